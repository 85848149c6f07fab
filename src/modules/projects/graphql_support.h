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
