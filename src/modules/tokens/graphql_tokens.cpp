// GraphQL resolvers of tokens: apiTokenCreate, appTokenCreate, apiTokenRevoke, User.apiTokens.
#include <boost/json.hpp>

#include "base/error.h"
#include "db/database.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/personal_tokens.h"
#include "modules/users/identity_graphql.h"

namespace stipple::identity_graphql {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;

// A BigInt argument as milliseconds; nullopt when absent or not a whole number.
std::optional<int64_t> big_int(const json::value* value) {
  if (!value || value->is_null()) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<int64_t>(value->as_double());
  if (value->is_string()) {
    try {
      return std::stoll(std::string(value->as_string()));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<std::string> strings(const json::value* value) {
  std::vector<std::string> out;
  if (!value || !value->is_array()) return out;
  for (const auto& item : value->as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

tokens::PersonalTokenRequest token_request(const json::object& input) {
  tokens::PersonalTokenRequest out;
  out.name = opt_string(input, "name").value_or("");
  out.scopes = strings(input.if_contains("scopes"));
  out.lifespan_ms = big_int(input.if_contains("lifespan"));
  if (const auto* limits = input.if_contains("limitResources"); limits && limits->is_array()) {
    for (const auto& limit : limits->as_array()) {
      // Not handled yet: workspace limits; a token limited to workspaces is limited to nothing.
      const auto& object = limit.as_object();
      if (opt_string(object, "type") == "project") {
        out.project_ids.push_back(opt_string(object, "id").value_or(""));
      }
    }
  }
  return out;
}

json::object token_json(const tokens::TokenSummary& token) {
  json::array scopes;
  for (const auto& scope : token.scopes) scopes.emplace_back(scope);
  return json::object{{"id", token.id},
                      {"name", token.name},
                      {"lastChars", token.last_chars},
                      {"scopes", std::move(scopes)},
                      {"createdAt", iso_time(token.created_at)},
                      {"lifespan", token.lifespan_ms},
                      {"lastUsed", iso_time(token.last_used)}};
}

asio::awaitable<json::value> create_token(ResolveContext& ctx) {
  const auto& caller = signed_in(ctx);
  const std::string owner = caller.user_id;
  const std::vector<std::string> caller_scopes = caller.scopes;
  const auto spec = token_request(ctx.arg("token")->as_object());
  const int64_t now = now_ms();
  const auto created = co_await request(ctx).database->run([&](db::Connection& c) {
    return tokens::create_personal_token(c, owner, spec, caller_scopes, now);
  });
  co_return created.token;
}

// Another token of the app the caller is signed in through (for example an embed token).
asio::awaitable<json::value> create_app_token(ResolveContext& ctx) {
  const auto& caller = signed_in(ctx);
  if (caller.app_id.empty()) {
    throw forbidden("App tokens can only be created with a token issued to an app");
  }
  const std::string owner = caller.user_id;
  const std::string app_id = caller.app_id;
  const std::vector<std::string> caller_scopes = caller.scopes;
  const auto spec = token_request(ctx.arg("token")->as_object());
  const int64_t now = now_ms();
  const auto created = co_await request(ctx).database->run([&](db::Connection& c) {
    return tokens::create_app_token(c, owner, app_id, spec, caller_scopes, now);
  });
  co_return created.token;
}

asio::awaitable<json::value> list_tokens(ResolveContext& ctx) {
  require_own_user(ctx, "You can only view your own tokens");
  const std::string owner = parent_id(ctx);
  const auto list = co_await request(ctx).database->run(
      [&](db::Connection& c) { return tokens::list_personal_tokens(c, owner); });
  json::array items;
  for (const auto& token : list) items.push_back(token_json(token));
  co_return items;
}

}  // namespace

void bind_tokens(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator) {
  schema.resolve("Mutation", "apiTokenCreate", create_token);
  schema.resolve("Mutation", "appTokenCreate", create_app_token);
  schema.resolve("User", "apiTokens", list_tokens);

  // Revocation deletes the token and drops it from this process's cache at once.
  schema.resolve("Mutation", "apiTokenRevoke",
                 [validator](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string owner = signed_in(ctx).user_id;
                   const std::string id = tokens::revocation_target(ctx.arg("token")->as_string());
                   const bool revoked = co_await request(ctx).database->run(
                       [&](db::Connection& c) { return tokens::revoke_owned_token(c, owner, id); });
                   if (!revoked) throw Error("USER_INPUT_ERROR", "Did not revoke token", 400);
                   validator->forget(id);
                   co_return true;
                 });
}

}  // namespace stipple::identity_graphql
