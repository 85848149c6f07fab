// What the core API's resolvers (projects, models, versions) share: the request context, running
// service calls on the database pool, the JSON form of the domain types, and batch loaders.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "graphql/graphql.h"
#include "modules/api/graphql_api.h"
#include "modules/models/models.h"
#include "modules/projects/pagination.h"
#include "modules/projects/projects.h"
#include "modules/versions/versions.h"

namespace stipple::core_graphql {

namespace asio = boost::asio;
namespace json = boost::json;

inline api::RequestContext& request(graphql::ResolveContext& ctx) {
  return ctx.user<api::RequestContext>();
}

// Milliseconds since the epoch, strictly increasing within the process, so that rows written in
// one millisecond still sort in the order they were written.
inline int64_t now_ms() {
  static std::atomic<int64_t> last{0};
  const int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  int64_t previous = last.load();
  int64_t next = 0;
  do {
    next = std::max(wall, previous + 1);
  } while (!last.compare_exchange_weak(previous, next));
  return next;
}

// ISO-8601 in UTC with milliseconds, as upstream's DateTime scalar serialises.
std::string iso_time(int64_t ms);

// --- argument helpers ------------------------------------------------------------------------

std::optional<std::string> opt_string(const json::object& object, std::string_view key);
std::optional<int64_t> opt_int(const json::object& object, std::string_view key);
std::optional<bool> opt_bool(const json::object& object, std::string_view key);
std::vector<std::string> string_list(const json::object& object, std::string_view key);
const json::object& object_arg(graphql::ResolveContext& ctx, std::string_view name);
std::string parent_string(graphql::ResolveContext& ctx, std::string_view key);

// --- JSON forms of the domain types ----------------------------------------------------------
// Members named after GraphQL fields are read by the default resolver; members starting with
// "_" carry what nested resolvers need and are never selected.

json::object project_json(const projects::Project& project, const std::string& role);
json::object model_json(const models::Model& model);
json::object version_json(const versions::Version& version);
template <class T, class F>
json::object page_json(const projects::Page<T>& page, F item_json) {
  json::array items;
  for (const auto& item : page.items) items.push_back(item_json(item));
  return json::object{{"totalCount", page.total_count},
                      {"cursor", page.cursor ? json::value(*page.cursor) : json::value(nullptr)},
                      {"items", std::move(items)}};
}
json::object permission_json(projects::Permission permission);

// Answers a batch of "<parent id>\n<limit>" keys with each parent's first page: one count query
// and one latest-items query per distinct limit. `count(conn, ids)` gives the totals in the order
// of `ids`, `latest(conn, ids, limit)` the items of every parent; `parent_of(item)` and
// `sort_key_of(item)` place an item and make the cursor, `item_json` renders it.
template <class Item, class Count, class Latest, class ParentOf, class SortKeyOf, class ItemJson>
std::vector<json::value> first_pages(db::Connection& conn, const std::vector<std::string>& keys,
                                     Count count, Latest latest, ParentOf parent_of,
                                     SortKeyOf sort_key_of, ItemJson item_json) {
  std::unordered_map<int64_t, std::vector<std::string>> by_limit;
  for (const auto& key : keys) {
    const auto newline = key.find('\n');
    by_limit[std::stoll(key.substr(newline + 1))].push_back(key.substr(0, newline));
  }
  std::unordered_map<std::string, json::value> pages;
  for (const auto& [limit, ids] : by_limit) {
    const auto counts = count(conn, ids);
    std::unordered_map<std::string, projects::Page<Item>> grouped;
    for (std::size_t i = 0; i < ids.size(); ++i) grouped[ids[i]].total_count = counts[i];
    for (auto& item : latest(conn, ids, limit)) {
      grouped[parent_of(item)].items.push_back(std::move(item));
    }
    for (auto& [id, page] : grouped) {
      if (!page.items.empty()) {
        page.cursor =
            projects::encode_cursor({sort_key_of(page.items.back()), page.items.back().id});
      }
      pages[id + "\n" + std::to_string(limit)] = page_json(page, item_json);
    }
  }
  std::vector<json::value> out;
  for (const auto& key : keys) out.push_back(pages[key]);
  return out;
}

// The public view of a user (LimitedUser), loaded in batches per request; null when unknown.
asio::awaitable<json::value> load_limited_user(graphql::ResolveContext& ctx,
                                               const std::optional<std::string>& user_id);

// The caller's view of a project: exists (else STREAM_NOT_FOUND) and is readable (else
// FORBIDDEN). Cached per request.
asio::awaitable<projects::ProjectWithRole> readable_project(graphql::ResolveContext& ctx,
                                                            const std::string& project_id);

// Told about each project invite right after it is stored, on the database thread (the e-mail
// side mails it). Empty = nobody is told.
using InviteListener = std::function<void(db::Connection&, const projects::Invite&)>;

// Binders, one per module, registered by the composition root.
void bind_projects(graphql::Schema& schema, const InviteListener& on_invite = {});
void bind_models(graphql::Schema& schema);
void bind_versions(graphql::Schema& schema);
void bind_objects(graphql::Schema& schema);
void bind_viewer(graphql::Schema& schema);
// All of them.
void bind_core(graphql::Schema& schema, const InviteListener& on_invite = {});

}  // namespace stipple::core_graphql
