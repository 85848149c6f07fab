// GraphQL resolvers of accounts: who is calling, other users, the user search, profile updates
// and server role changes; plus the binder that registers all identity resolvers.
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <ctime>
#include <map>

#include "base/error.h"
#include "db/database.h"
#include "modules/auth/scopes.h"
#include "modules/auth/token_validator.h"
#include "modules/users/identity_graphql.h"
#include "modules/users/user_directory.h"

namespace stipple::identity_graphql {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;

// --- shared helpers ------------------------------------------------------------------------------

const auth::AuthContext& signed_in(ResolveContext& ctx) {
  const auto& caller = request(ctx).caller;
  if (!caller.authenticated) throw unauthorized("Must provide an auth token");
  return caller;
}

std::string parent_id(const ResolveContext& ctx) {
  if (const auto* object = ctx.parent.if_object()) {
    if (const auto* id = object->if_contains("id"); id && id->is_string()) {
      return std::string(id->as_string());
    }
  }
  return {};
}

void require_own_user(ResolveContext& ctx, std::string_view message) {
  if (parent_id(ctx) != signed_in(ctx).user_id) throw forbidden(std::string(message));
}

std::string iso_time(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(text, length) + millis;
}

int64_t now_ms() {
  return auth::system_now_ms();
}

std::optional<std::string> opt_string(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

namespace {

json::value nullable(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

}  // namespace

json::object limited_user_json(const users::User& user) {
  return json::object{{"id", user.id},
                      {"name", user.name},
                      {"bio", nullable(user.bio)},
                      {"company", nullable(user.company)},
                      {"avatar", nullable(user.avatar)},
                      {"verified", user.verified},
                      {"role", user.role.empty() ? json::value(nullptr) : json::value(user.role)}};
}

json::object user_json(const users::User& user) {
  auto object = limited_user_json(user);
  object["email"] = user.email;  // redacted by the User.email resolver for other viewers
  object["createdAt"] = iso_time(user.created_at);
  return object;
}

api::Binder binder(std::shared_ptr<auth::TokenValidator> validator) {
  return [validator](graphql::Schema& schema) {
    bind_users(schema, validator);
    bind_tokens(schema, validator);
    bind_apps(schema, validator);
  };
}

// --- accounts ------------------------------------------------------------------------------------

namespace {

asio::awaitable<std::optional<users::User>> load_user(ResolveContext& ctx, const std::string& id) {
  co_return co_await request(ctx).database->run(
      [&](db::Connection& c) { return users::find_user_by_id(c, id); });
}

// The page size of a search: at most kMaxSearchLimit; 0 or none means the default.
int search_limit(const json::value* limit) {
  if (!limit || !limit->is_int64() || limit->as_int64() == 0) return users::kDefaultSearchLimit;
  if (limit->as_int64() > users::kMaxSearchLimit) {
    throw bad_request("Cannot return more than 100 items, please use pagination.");
  }
  return static_cast<int>(std::max<int64_t>(limit->as_int64(), 1));
}

asio::awaitable<json::value> run_search(ResolveContext& ctx, const users::SearchQuery& query) {
  const auto page = co_await request(ctx).database->run(
      [&](db::Connection& c) { return users::search_users(c, query); });
  json::array items;
  for (const auto& user : page.users) items.push_back(limited_user_json(user));
  co_return json::object{{"cursor", nullable(page.cursor)}, {"items", std::move(items)}};
}

users::ProfileUpdate profile_update(const json::object& input) {
  return users::ProfileUpdate{opt_string(input, "name"), opt_string(input, "company"),
                              opt_string(input, "bio"), opt_string(input, "avatar")};
}

asio::awaitable<json::value> active_user(ResolveContext& ctx) {
  const auto& caller = request(ctx).caller;
  if (!caller.authenticated) co_return nullptr;
  const auto user = co_await load_user(ctx, caller.user_id);
  co_return user ? json::value(user_json(*user)) : json::value(nullptr);
}

asio::awaitable<json::value> other_user(ResolveContext& ctx) {
  const std::string id(ctx.arg("id")->as_string());
  const auto user = co_await load_user(ctx, id);
  co_return user ? json::value(limited_user_json(*user)) : json::value(nullptr);
}

// Legacy user(id): the caller without an id, anyone with users:read otherwise.
asio::awaitable<json::value> legacy_user(ResolveContext& ctx) {
  const auto& caller = request(ctx).caller;
  const auto* id = ctx.arg("id");
  const bool self = !id || id->is_null();
  if (!caller.authenticated && self) co_return nullptr;
  signed_in(ctx);
  if (api::server_role_weight(caller.server_role) < api::server_role_weight(auth::kServerGuest)) {
    throw forbidden("You do not have the required server role");
  }
  if (!self && !caller.has_scope(auth::kScopeUsersRead)) {
    throw forbidden(auth::missing_scope_message(auth::kScopeUsersRead));
  }
  const std::string target = self ? caller.user_id : std::string(id->as_string());
  const auto user = co_await load_user(ctx, target);
  co_return user ? json::value(user_json(*user)) : json::value(nullptr);
}

asio::awaitable<json::value> users_search(ResolveContext& ctx) {
  const auto& input = ctx.arg("input")->as_object();
  users::SearchQuery query;
  query.text = opt_string(input, "query").value_or("");
  query.limit = search_limit(input.if_contains("limit"));
  if (const auto cursor = opt_string(input, "cursor")) {
    query.after = users::decode_search_cursor(*cursor);
  }
  if (const auto* email_only = input.if_contains("emailOnly");
      email_only && email_only->is_bool()) {
    query.email_only = email_only->as_bool();
  }
  co_return co_await run_search(ctx, query);
}

asio::awaitable<json::value> legacy_user_search(ResolveContext& ctx) {
  users::SearchQuery query;
  query.text = std::string(ctx.arg("query")->as_string());
  if (query.text.size() < 3) throw bad_request("Search query must be at least 3 characters.");
  query.limit = search_limit(ctx.arg("limit"));
  if (const auto* cursor = ctx.arg("cursor"); cursor && cursor->is_string()) {
    query.after = users::decode_search_cursor(cursor->as_string());
  }
  if (const auto* archived = ctx.arg("archived"); archived && archived->is_bool()) {
    query.include_archived = archived->as_bool();
  }
  if (const auto* email_only = ctx.arg("emailOnly"); email_only && email_only->is_bool()) {
    query.email_only = email_only->as_bool();
  }
  co_return co_await run_search(ctx, query);
}

asio::awaitable<users::User> update_own_profile(ResolveContext& ctx) {
  const std::string user_id = signed_in(ctx).user_id;
  const auto update = profile_update(ctx.arg("user")->as_object());
  co_return co_await request(ctx).database->run(
      [&](db::Connection& c) { return users::update_profile(c, user_id, update); });
}

// Own e-mail needs profile:email; somebody else's needs an administrator with users:email.
// Anything else reads as null rather than failing the whole user.
json::value visible_email(ResolveContext& ctx) {
  const auto& caller = request(ctx).caller;
  const auto* email = ctx.parent.as_object().if_contains("email");
  if (!email || !caller.authenticated) return nullptr;
  const bool self = parent_id(ctx) == caller.user_id;
  if (self && caller.has_scope(auth::kScopeProfileEmail)) return *email;
  if (!self && caller.server_role == auth::kServerAdmin &&
      caller.has_scope(auth::kScopeUsersEmail)) {
    return *email;
  }
  return nullptr;
}

// The UI flags of UserMeta, each stored under its field name.
constexpr std::array<std::string_view, 5> kMetaFlags = {
    "newWorkspaceExplainerDismissed", "speckleConBannerDismissed",
    "intelligenceCommunityStandUpBannerDismissed", "speckleCon25BannerDismissed",
    "legacyProjectsExplainerCollapsed"};

asio::awaitable<std::map<std::string, std::string>> load_meta(ResolveContext& ctx,
                                                              const std::string& user_id) {
  co_return co_await request(ctx).database->run(
      [&](db::Connection& c) { return users::user_meta(c, user_id); });
}

// Stores a flag of the caller and answers its new value.
asio::awaitable<json::value> set_own_flag(ResolveContext& ctx, const std::string& key) {
  const std::string user_id = signed_in(ctx).user_id;
  const bool value = ctx.arg("value")->as_bool();
  co_await request(ctx).database->run(
      [&](db::Connection& c) { users::set_user_meta(c, user_id, key, value ? "true" : "false"); });
  co_return value;
}

}  // namespace

void bind_users(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator) {
  // Queries.
  schema.resolve("Query", "activeUser", active_user);
  schema.resolve("Query", "otherUser", other_user);
  schema.resolve("Query", "user", legacy_user);
  schema.resolve("Query", "users", users_search);
  schema.resolve("Query", "userSearch", legacy_user_search);

  schema.resolve("Query", "usersByEmail", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    // The accounts found among the given addresses, in the order asked; unknown ones are left out.
    std::vector<std::string> emails;
    for (const auto& email : ctx.arg("input")->as_object().at("emails").as_array()) {
      emails.emplace_back(email.as_string());
    }
    const auto found = co_await request(ctx).database->run([&](db::Connection& c) {
      std::vector<users::User> list;
      for (const auto& email : emails) {
        if (auto user = users::find_user_by_email(c, email)) list.push_back(std::move(*user));
      }
      return list;
    });
    json::array items;
    for (const auto& user : found) items.push_back(limited_user_json(user));
    co_return items;
  });

  // User fields computed from the stored account.
  schema.resolve_sync("User", "email", visible_email);
  // User.hasPendingVerification is resolved by the e-mail module.
  schema.resolve_sync("User", "emails", [](ResolveContext& ctx) -> json::value {
    // One primary address per account; its id is the user's.
    const auto& user = ctx.parent.as_object();
    const auto* email = user.if_contains("email");
    if (!email) return json::array{};
    return json::array{json::object{{"id", user.at("id")},
                                    {"email", *email},
                                    {"verified", user.at("verified")},
                                    {"primary", true},
                                    {"userId", user.at("id")}}};
  });
  schema.resolve("User", "profiles", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const std::string id = parent_id(ctx);
    const auto text = co_await request(ctx).database->run(
        [&](db::Connection& c) { return users::user_profiles(c, id); });
    if (!text) co_return nullptr;
    boost::system::error_code error;
    auto value = json::parse(*text, error);
    co_return error || !value.is_object() ? json::value(nullptr) : value;
  });

  // Onboarding and UI flags.
  schema.resolve("User", "isOnboardingFinished",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto meta = co_await load_meta(ctx, parent_id(ctx));
                   const auto found = meta.find(std::string(users::kOnboardingFinishedKey));
                   co_return found != meta.end() && found->second == "true";
                 });
  schema.resolve("User", "meta", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto meta = co_await load_meta(ctx, parent_id(ctx));
    json::object flags;
    for (const auto& [key, value] : meta) flags[key] = value == "true";
    json::object out;
    for (const auto name : kMetaFlags) out[name] = flags.contains(name) && flags[name].as_bool();
    out["_flags"] = std::move(flags);
    co_return out;
  });
  schema.resolve_sync("UserMeta", "flag", [](ResolveContext& ctx) -> json::value {
    const auto& flags = ctx.parent.as_object().at("_flags").as_object();
    const auto* value = flags.if_contains(ctx.arg("key")->as_string());
    return value && value->as_bool();
  });
  schema.resolve("ActiveUserMutations", "finishOnboarding",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string user_id = signed_in(ctx).user_id;
                   co_await request(ctx).database->run([&](db::Connection& c) {
                     users::set_user_meta(c, user_id, users::kOnboardingFinishedKey, "true");
                   });
                   co_return true;
                 });
  schema.resolve_sync("ActiveUserMutations", "meta",
                      [](ResolveContext&) -> json::value { return json::object{}; });
  schema.resolve("UserMetaMutations", "setFlag",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string key(ctx.arg("key")->as_string());
                   co_return co_await set_own_flag(ctx, key);
                 });
  for (const auto name : kMetaFlags) {
    std::string field = "set" + std::string(name);
    field[3] = static_cast<char>(std::toupper(static_cast<unsigned char>(field[3])));
    const std::string key(name);
    schema.resolve("UserMetaMutations", field,
                   [key](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     co_return co_await set_own_flag(ctx, key);
                   });
  }

  // Profile mutations.
  schema.resolve_sync("Mutation", "activeUserMutations",
                      [](ResolveContext&) -> json::value { return json::object{}; });
  schema.resolve("ActiveUserMutations", "update",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   co_return user_json(co_await update_own_profile(ctx));
                 });
  schema.resolve("Mutation", "userUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_await update_own_profile(ctx);
    co_return true;
  });

  // Deletion: the caller's own account (confirmed by its e-mail), or any account by an admin.
  schema.resolve("Mutation", "userDelete",
                 [validator](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string user_id = signed_in(ctx).user_id;
                   const std::string email = users::normalize_email(
                       ctx.arg("userConfirmation")->as_object().at("email").as_string());
                   const auto deleted = co_await request(ctx).database->run([&](db::Connection& c) {
                     const auto user = users::find_user_by_id(c, user_id);
                     if (!user || user->email != email) {
                       throw bad_request("Malformed input: emails do not match");
                     }
                     return users::delete_user(c, user_id);
                   });
                   for (const auto& id : deleted) validator->forget(id);
                   co_return true;
                 });
  schema.resolve(
      "Mutation", "adminDeleteUser",
      [validator](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const std::string email(ctx.arg("userConfirmation")->as_object().at("email").as_string());
        const std::string admin_id = request(ctx).caller.user_id;
        const auto deleted = co_await request(ctx).database->run([&](db::Connection& c) {
          const auto user = users::find_user_by_email(c, email);
          if (!user) throw Error("USER_INPUT_ERROR", "User not found", 400);
          return users::delete_user(c, user->id, admin_id);
        });
        for (const auto& id : deleted) validator->forget(id);
        co_return true;
      });

  // Administration.
  schema.resolve("Mutation", "userRoleChange",
                 [validator](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& input = ctx.arg("userRoleInput")->as_object();
                   const std::string id(input.at("id").as_string());
                   const std::string role(input.at("role").as_string());
                   co_await request(ctx).database->run(
                       [&](db::Connection& c) { users::change_server_role(c, id, role); });
                   // Cached tokens carry the old role.
                   validator->forget_all();
                   co_return true;
                 });
}

}  // namespace stipple::identity_graphql
