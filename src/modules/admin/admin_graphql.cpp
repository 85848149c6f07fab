#include "modules/admin/admin_graphql.h"

#include <algorithm>

#include "base/error.h"
#include "db/database.h"
#include "db/sql.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_repository.h"
#include "modules/users/identity_graphql.h"
#include "modules/users/user_directory.h"
#include "modules/users/users.h"

namespace stipple::admin {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;
using identity_graphql::request;

namespace {

constexpr int64_t kMaxPage = 100;

int64_t page_limit(ResolveContext& ctx) {
  const auto* limit = ctx.arg("limit");
  const int64_t wanted = limit && limit->is_int64() ? limit->as_int64() : 25;
  if (wanted < 0) throw bad_request("The limit must not be negative");
  return std::min(wanted, kMaxPage);
}

std::optional<std::string> string_arg(ResolveContext& ctx, std::string_view name) {
  const auto* value = ctx.arg(name);
  if (!value || !value->is_string() || value->as_string().empty()) return std::nullopt;
  return std::string(value->as_string());
}

// SERVER_ARCHIVED_USER -> server:archived-user.
std::string server_role(std::string_view value) {
  std::string out = "server:";
  for (char c : value.substr(value.find('_') + 1)) {
    out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "%text%" for a case-insensitive LIKE, with the pattern characters of `text` taken literally.
std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

struct Keyset {
  int64_t created_at = 0;
  std::string id;
};

// --- users ---------------------------------------------------------------------------------------

struct UserFilter {
  std::optional<std::string> search;  // name or e-mail, any case
  std::optional<std::string> role;
};

std::string user_where(const UserFilter& filter, std::vector<std::string>& values) {
  std::string where = "1 = 1";
  if (filter.search) {
    values.push_back(like_pattern(*filter.search));
    const auto n = "$" + std::to_string(values.size());
    where += " AND (LOWER(u.name) LIKE LOWER(" + n + ") ESCAPE '\\' OR LOWER(u.email) LIKE LOWER(" +
             n + ") ESCAPE '\\')";
  }
  if (filter.role) {
    values.push_back(*filter.role);
    where += " AND a.role = $" + std::to_string(values.size());
  }
  return where;
}

constexpr const char* kUserFrom = " FROM users u JOIN server_acl a ON a.user_id = u.id WHERE ";

json::object user_list(db::Connection& conn, const UserFilter& filter, int64_t limit,
                       const std::optional<users::SearchCursor>& after) {
  std::vector<std::string> values;
  const std::string where = user_where(filter, values);
  auto params = db::params_of(values);
  const int64_t total =
      conn.query(std::string("SELECT COUNT(*)") + kUserFrom + where, params)[0].integer(0);

  const std::string keyset =
      after ? db::keyset_after("u.created_at", "u.id", after->created_at, after->id, params) : "";
  params.emplace_back(limit);
  const auto rows = conn.query(
      std::string("SELECT u.id, u.email, u.name, u.company, u.avatar, u.verified, a.role, "
                  "u.created_at") +
          kUserFrom + where + keyset + " ORDER BY u.created_at DESC, u.id DESC LIMIT $" +
          std::to_string(params.size()),
      params);
  json::array items;
  std::optional<std::string> cursor;
  for (const auto& row : rows.rows) {
    const auto optional = [](const std::optional<std::string>& v) {
      return v ? json::value(*v) : json::value(nullptr);
    };
    items.push_back(json::object{{"id", row.text(0)},
                                 {"email", row.text(1)},
                                 {"name", row.text(2)},
                                 {"company", optional(row.opt_text(3))},
                                 {"avatar", optional(row.opt_text(4))},
                                 {"verified", row.boolean(5)},
                                 {"role", row.text(6)}});
    cursor = users::encode_search_cursor({row.integer(7), row.text(0)});
  }
  return json::object{{"totalCount", total},
                      {"cursor", cursor ? json::value(*cursor) : json::value(nullptr)},
                      {"items", std::move(items)}};
}

// --- invites -------------------------------------------------------------------------------------

json::object invite_json(const db::Result::Row& row) {
  return json::object{{"id", row.text(0)}, {"email", row.text(1)}, {"_inviterId", row.text(2)}};
}

json::object invite_list(db::Connection& conn, const std::optional<std::string>& search,
                         int64_t limit, const std::optional<users::SearchCursor>& after) {
  std::vector<std::string> values;
  std::string where = "1 = 1";
  if (search) {
    values.push_back(like_pattern(*search));
    where += " AND LOWER(i.email) LIKE LOWER($1) ESCAPE '\\'";
  }
  auto params = db::params_of(values);
  const int64_t total =
      conn.query("SELECT COUNT(*) FROM server_invites i WHERE " + where, params)[0].integer(0);
  const std::string keyset =
      after ? db::keyset_after("i.created_at", "i.id", after->created_at, after->id, params) : "";
  params.emplace_back(limit);
  const auto rows = conn.query(
      "SELECT i.id, i.email, i.inviter_id, i.created_at FROM server_invites i WHERE " + where +
          keyset + " ORDER BY i.created_at DESC, i.id DESC LIMIT $" + std::to_string(params.size()),
      params);
  json::array items;
  std::optional<std::string> cursor;
  for (const auto& row : rows.rows) {
    items.push_back(invite_json(row));
    cursor = users::encode_search_cursor({row.integer(3), row.text(0)});
  }
  return json::object{{"totalCount", total},
                      {"cursor", cursor ? json::value(*cursor) : json::value(nullptr)},
                      {"items", std::move(items)}};
}

// --- projects ------------------------------------------------------------------------------------

projects::AllProjectsQuery project_query(ResolveContext& ctx) {
  projects::AllProjectsQuery query;
  query.viewer_id = request(ctx).caller.user_id;
  query.search = string_arg(ctx, "query");
  if (auto visibility = string_arg(ctx, "visibility")) {
    std::string lowered = *visibility;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    query.visibility = lowered == "public" || lowered == "private"
                           ? lowered
                           : throw bad_request("Unknown visibility: " + *visibility);
  }
  const auto order = string_arg(ctx, "orderBy");
  query.by_creation = order && order->starts_with("created");
  query.limit = page_limit(ctx);
  return query;
}

}  // namespace

api::Binder binder() {
  return [](graphql::Schema& schema) {
    schema.resolve_sync("Query", "admin",
                        [](ResolveContext&) -> json::value { return json::object{}; });
    schema.resolve_sync("Mutation", "admin",
                        [](ResolveContext&) -> json::value { return json::object{}; });

    schema.resolve("AdminQueries", "userList",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     UserFilter filter;
                     filter.search = string_arg(ctx, "query");
                     if (auto role = string_arg(ctx, "role")) filter.role = server_role(*role);
                     const int64_t limit = page_limit(ctx);
                     std::optional<users::SearchCursor> after;
                     if (auto cursor = string_arg(ctx, "cursor")) {
                       after = users::decode_search_cursor(*cursor);
                     }
                     co_return co_await request(ctx).database->run(
                         [&](db::Connection& c) { return user_list(c, filter, limit, after); });
                   });

    schema.resolve("AdminQueries", "inviteList",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const auto search = string_arg(ctx, "query");
                     const int64_t limit = page_limit(ctx);
                     std::optional<users::SearchCursor> after;
                     if (auto cursor = string_arg(ctx, "cursor")) {
                       after = users::decode_search_cursor(*cursor);
                     }
                     co_return co_await request(ctx).database->run(
                         [&](db::Connection& c) { return invite_list(c, search, limit, after); });
                   });

    schema.resolve(
        "AdminQueries", "projectList", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
          auto query = project_query(ctx);
          if (auto cursor = string_arg(ctx, "cursor")) {
            query.after = projects::decode_cursor(*cursor);
          }
          co_return co_await request(ctx).database->run([&](db::Connection& c) {
            return core_graphql::page_json(projects::list_all_projects(c, query),
                                           [](const projects::ProjectWithRole& p) {
                                             return core_graphql::project_json(p.project, p.role);
                                           });
          });
        });

    schema.resolve(
        "AdminQueries", "serverStatistics",
        [](ResolveContext& ctx) -> asio::awaitable<json::value> {
          co_return co_await request(ctx).database->run([](db::Connection& c) {
            const auto count = [&](const char* sql) { return c.query(sql)[0].integer(0); };
            return json::object{
                {"totalProjectCount", count("SELECT COUNT(*) FROM projects")},
                {"totalUserCount", count("SELECT COUNT(*) FROM users")},
                {"totalPendingInvites", count("SELECT (SELECT COUNT(*) FROM server_invites) + "
                                              "(SELECT COUNT(*) FROM project_invites)")}};
          });
        });

    // The legacy lists, paged by offset.
    schema.resolve(
        "Query", "adminStreams", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
          auto query = project_query(ctx);
          const auto* offset = ctx.arg("offset");
          query.offset =
              offset && offset->is_int64() ? std::max<int64_t>(0, offset->as_int64()) : 0;
          co_return co_await request(ctx).database->run([&](db::Connection& c) {
            auto page = projects::list_all_projects(c, query);
            page.cursor.reset();
            return core_graphql::page_json(page, [](const projects::ProjectWithRole& p) {
              return core_graphql::project_json(p.project, p.role);
            });
          });
        });

    // Registered users first (newest first), then pending server invites.
    schema.resolve("Query", "adminUsers", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
      UserFilter filter;
      filter.search = string_arg(ctx, "query");
      const int64_t limit = page_limit(ctx);
      const auto* offset_arg = ctx.arg("offset");
      const int64_t offset =
          offset_arg && offset_arg->is_int64() ? std::max<int64_t>(0, offset_arg->as_int64()) : 0;
      co_return co_await request(ctx).database->run([&](db::Connection& c) {
        // Every user of the filter plus every matching invite, cut to the window.
        const auto users_page = user_list(c, filter, offset + limit, std::nullopt);
        const auto invites_page = invite_list(c, filter.search, offset + limit, std::nullopt);
        json::array all;
        for (const auto& user : users_page.at("items").as_array()) {
          const auto& u = user.as_object();
          json::object registered = u;
          registered["bio"] = nullptr;
          all.push_back(json::object{{"id", u.at("id")},
                                     {"registeredUser", std::move(registered)},
                                     {"invitedUser", nullptr}});
        }
        for (const auto& invite : invites_page.at("items").as_array()) {
          all.push_back(json::object{{"id", invite.as_object().at("id")},
                                     {"registeredUser", nullptr},
                                     {"invitedUser", invite}});
        }
        json::array items;
        for (std::size_t i = static_cast<std::size_t>(offset);
             i < all.size() && items.size() < static_cast<std::size_t>(limit); ++i) {
          items.push_back(all[i]);
        }
        return json::object{{"totalCount", users_page.at("totalCount").as_int64() +
                                               invites_page.at("totalCount").as_int64()},
                            {"items", std::move(items)}};
      });
    });

    schema.resolve("AdminMutations", "updateEmailVerification",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const auto& input = ctx.arg("input")->as_object();
                     const std::string email =
                         users::normalize_email(input.at("email").as_string());
                     const auto* verified = input.if_contains("verified");
                     const bool value = !verified || verified->is_null() || verified->as_bool();
                     co_await request(ctx).database->run([&](db::Connection& c) {
                       const auto changed = c.execute(
                           "UPDATE users SET verified = $2 WHERE email = $1", {email, value});
                       if (changed == 0) throw Error("USER_INPUT_ERROR", "User not found", 400);
                     });
                     co_return true;
                   });
  };
}

}  // namespace stipple::admin
