// REST routes of the identity module. Each route family answers in upstream's own shapes:
// register errors as {"error":{"message","code"}}, login failures as {"err":true,"message"},
// /auth/token failures as 401 {"err": message}, access-code and logout failures as 400 text.
#include <boost/json.hpp>

#include "base/error.h"
#include "base/log.h"
#include "db/database.h"
#include "modules/apps/apps.h"
#include "modules/auth/auth_module.h"
#include "modules/auth/context.h"
#include "modules/auth/form.h"
#include "modules/auth/middleware.h"
#include "modules/auth/rate_limiter.h"
#include "modules/auth/redis_rate_limiter.h"
#include "modules/auth/scopes.h"
#include "modules/auth/sso.h"
#include "modules/auth/strategies.h"
#include "modules/auth/token_validator.h"
#include "modules/emails/emails.h"
#include "modules/invites/server_invites.h"
#include "modules/tokens/tokens.h"
#include "modules/users/users.h"
#include "net/server.h"

namespace stipple::auth {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using net::Exchange;
using net::http::status;

// ---------------------------------------------------------------------------------------------
// Helpers

constexpr std::string_view kTextHtml = "text/html; charset=utf-8";

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Shared state of the routes.
struct Routes {
  db::Database& database;
  std::shared_ptr<TokenValidator> validator;
  std::string frontend_origin;
  std::shared_ptr<emails::Outbox> outbox;

  // The challenge of a login or registration; answers 400 when there is none.
  std::optional<std::string> challenge(Exchange& ex) const {
    auto value = ex.query("challenge");
    if (!value || value->empty()) {
      ex.respond(status::bad_request, "Invalid request: no challenge detected.", kTextHtml);
      return std::nullopt;
    }
    return value;
  }

  // The web app's access code for a signed-in user, as a redirect to the frontend.
  void redirect_with_code(Exchange& ex, const std::string& code, bool registered) const {
    std::string url = frontend_origin + "/?access_code=" + code;
    if (registered) url += "&register=true";
    redirect(ex, url);
  }

  // Validates a token taken from a query or body (not from the request's carriers).
  asio::awaitable<std::optional<AuthContext>> validate(std::string token) const {
    AuthContext context;
    switch (validator->check_cached(token, context)) {
      case TokenValidator::Cached::valid:
        co_return context;
      case TokenValidator::Cached::invalid:
        co_return std::nullopt;
      case TokenValidator::Cached::unknown:
        break;
    }
    TokenValidator& checker = *validator;
    co_return co_await database.run(
        [&checker, &token](db::Connection& conn) { return checker.validate(conn, token); });
  }
};

// ---------------------------------------------------------------------------------------------
// Accounts

asio::awaitable<void> register_user(const Routes& r, Exchange& ex) {
  const auto challenge = r.challenge(ex);
  if (!challenge) co_return;

  const json::object fields = body_fields(ex);
  users::NewUser input;
  input.email = text_field(fields, "email").value_or("");
  input.name = text_field(fields, "name").value_or("");
  input.password = text_field(fields, "password").value_or("");
  input.company = text_field(fields, "company");
  // The invite travels as ?token= (or the older ?inviteId=), as upstream reads it.
  auto invite_token = ex.query("token");
  if (!invite_token || invite_token->empty()) invite_token = ex.query("inviteId");
  if (invite_token && invite_token->empty()) invite_token.reset();

  // Errors are USER_INPUT_ERROR or INVITE_NOT_FOUND, answered by the server in upstream's shape.
  const int64_t now = system_now_ms();
  emails::Outbox* outbox = r.outbox.get();
  const auto [user, code] = co_await r.database.run([&](db::Connection& conn) {
    // An invite-only server needs an invite; an invite must be valid on any server.
    const auto config = conn.query("SELECT invite_only FROM server_config WHERE id = 0");
    const bool invite_only = !config.empty() && config[0].boolean(0);
    if (invite_only && !invite_token) {
      throw Error("USER_INPUT_ERROR", "This server is invite only. Please provide an invite id.",
                  400);
    }
    std::optional<invites::RegistrationInvite> invite;
    if (invite_token) {
      invite = invites::validate_registration_invite(conn, input.email, *invite_token);
      input.role = invite->server_role;
    }

    // An invited address is proven by the invite; any other gets a verification link.
    auto created = users::create_user(conn, input, now);
    if (invite) {
      conn.execute("UPDATE users SET verified = TRUE WHERE id = $1", {created.id});
      created.verified = true;
      invites::finalize_registration(conn, created.email, created.id);
    } else if (outbox) {
      outbox->send_verification(conn, created, now);
    }
    auto minted = apps::create_access_code(conn, apps::kWebAppId, created.id, *challenge, now);
    return std::make_pair(std::move(created), std::move(minted));
  });
  log::info("auth.user_registered",
            {{"user_id", user.id}, {"role", user.role}, {"invited", user.verified}},
            "a new account was registered");
  r.redirect_with_code(ex, code, /*registered=*/true);
}

asio::awaitable<void> login(const Routes& r, Exchange& ex) {
  const auto challenge = r.challenge(ex);
  if (!challenge) co_return;

  const json::object fields = body_fields(ex);
  const std::string email = text_field(fields, "email").value_or("");
  const std::string password = text_field(fields, "password").value_or("");
  const int64_t now = system_now_ms();
  const auto code =
      co_await r.database.run([&](db::Connection& conn) -> std::optional<std::string> {
        const auto user = users::check_credentials(conn, email, password);
        if (!user) return std::nullopt;
        return apps::create_access_code(conn, apps::kWebAppId, user->id, *challenge, now);
      });
  if (!code) {
    ex.respond_json(status::unauthorized,
                    json::object{{"err", true}, {"message", "Invalid credentials."}});
    co_return;
  }
  r.redirect_with_code(ex, *code, /*registered=*/false);
}

// ---------------------------------------------------------------------------------------------
// App authorisation

asio::awaitable<void> access_code(const Routes& r, Exchange& ex) {
  auto fail = [&ex](std::string_view message) {
    ex.respond(status::bad_request, std::string(message), kTextHtml);
  };

  // Check the request in upstream's order: app, challenge, token, scope.
  const auto app_id = ex.query("appId");
  if (!app_id || app_id->empty()) co_return fail("appId missing from querystring.");
  const auto app = co_await r.database.run(
      [&app_id](db::Connection& conn) { return apps::find_app(conn, *app_id); });
  if (!app) co_return fail("App does not exist.");
  const auto challenge = ex.query("challenge");
  if (!challenge || challenge->empty()) co_return fail("Missing challenge");
  const auto token = ex.query("token");
  if (!token || token->empty()) co_return fail("Missing token");
  const auto caller = co_await r.validate(*token);
  if (!caller) co_return fail("Invalid token");
  if (!scope_granted(caller->scopes, kScopeTokensWrite)) {
    co_return fail(missing_scope_message(kScopeTokensWrite));
  }

  // Mint the code and send the user (or the frontend) to the app.
  const int64_t now = system_now_ms();
  const auto code = co_await r.database.run([&](db::Connection& conn) {
    return apps::create_access_code(conn, app->id, caller->user_id, *challenge, now);
  });
  const std::string url = app->redirect_url + "?access_code=" + code;
  if (ex.query("preventRedirect")) {
    ex.respond_json(status::ok, json::object{{"redirectUrl", url}});
  } else {
    redirect(ex, url);
  }
}

asio::awaitable<void> token_grant(const Routes& r, Exchange& ex) {
  auto fail = [&ex](std::string message) {
    ex.respond_json(status::unauthorized, json::object{{"err", std::move(message)}});
  };
  constexpr std::string_view kMissing = "Invalid request, insufficient information provided. ";

  const json::object fields = body_fields(ex);
  const auto app_id = text_field(fields, "appId");
  const auto app_secret = text_field(fields, "appSecret");
  if (!app_id || app_id->empty()) co_return fail(std::string(kMissing) + "App Id is required.");
  if (!app_secret || app_secret->empty()) {
    co_return fail(std::string(kMissing) + "App Secret is required.");
  }

  const int64_t now = system_now_ms();
  apps::GrantResult result;
  const bool refreshing = fields.contains("refreshToken");
  if (refreshing) {
    // The refresh grant.
    const auto refresh_token = text_field(fields, "refreshToken");
    if (!refresh_token || refresh_token->empty()) {
      co_return fail(std::string(kMissing) + "A valid refresh token is required.");
    }
    result = co_await r.database.run([&](db::Connection& conn) {
      return apps::refresh(conn, *app_id, *app_secret, *refresh_token, now);
    });
  } else {
    // The access-code grant.
    const auto code = text_field(fields, "accessCode");
    const auto challenge = text_field(fields, "challenge");
    if (!code || code->empty()) co_return fail(std::string(kMissing) + "Access Code is required.");
    if (!challenge || challenge->empty()) {
      co_return fail(std::string(kMissing) + "Challenge is required.");
    }
    result = co_await r.database.run([&](db::Connection& conn) {
      return apps::exchange_access_code(conn, *app_id, *app_secret, *code, *challenge, now);
    });
  }
  if (!result.pair) co_return fail(result.error.message);

  // Exactly these two keys: the .NET SDK refuses unknown members.
  if (refreshing) {
    ex.set_header(net::http::field::cache_control, "no-cache, no-store");
    ex.set_header(net::http::field::pragma, "no-cache");
    ex.set_header(net::http::field::expires, "0");
  }
  ex.respond_json(status::ok, json::object{{"token", result.pair->token},
                                           {"refreshToken", result.pair->refresh_token}});
}

asio::awaitable<void> logout(const Routes& r, Exchange& ex) {
  auto fail = [&ex] {
    ex.respond(status::bad_request, "Something went wrong while trying to logout.", kTextHtml);
  };

  // The token must be presented in full: knowing a token's id is not enough to end its session.
  const json::object fields = body_fields(ex);
  std::string token = text_field(fields, "token").value_or("");
  if (token.starts_with("Bearer ")) token.erase(0, 7);
  const auto caller = co_await r.validate(token);
  if (!caller) co_return fail();

  const auto refresh_token = text_field(fields, "refreshToken").value_or("");
  const bool deleted = co_await r.database.run([&](db::Connection& conn) {
    if (!refresh_token.empty()) apps::delete_refresh_token(conn, refresh_token);
    return tokens::delete_token(conn, caller->token_id);
  });
  r.validator->forget(caller->token_id);
  if (!deleted) co_return fail();
  ex.respond_json(status::ok, json::object{{"message", "You have logged out."}});
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void seed_identity(db::Connection& conn, const std::string& canonical_url) {
  seed_scopes(conn);
  apps::seed_default_apps(conn, without_trailing_slash(canonical_url), system_now_ms());
}

AuthServices register_module(const AuthDeps& deps) {
  // Built-in data first: the routes rely on the web app and the scopes existing.
  {
    auto lease = deps.database.acquire();
    seed_identity(*lease, deps.canonical_url);
  }

  // Middleware: rate limits, then the caller's identity.
  auto validator = std::make_shared<TokenValidator>();
  if (deps.rate_limiter_enabled) {
    // With REDIS_URL the counters are shared by every process; in memory otherwise.
    std::shared_ptr<RedisRateLimiter> shared;
    if (deps.config && !deps.config->redis_url.empty()) {
      shared = std::make_shared<RedisRateLimiter>(deps.config->redis_url);
    }
    deps.server.use(rate_limit_middleware(std::make_shared<RateLimiter>(), shared));
  }
  deps.server.use(token_middleware(validator, deps.database));

  // Routes.
  auto routes = std::make_shared<Routes>(
      Routes{deps.database, validator, without_trailing_slash(deps.frontend_origin), deps.outbox});
  auto bind = [routes](asio::awaitable<void> (*handler)(const Routes&, Exchange&)) {
    return
        [routes, handler](Exchange& ex) -> asio::awaitable<void> { co_await handler(*routes, ex); };
  };
  if (!deps.config || local_strategy_enabled(*deps.config)) {
    deps.server.post("/auth/local/register", bind(&register_user));
    deps.server.post("/auth/local/login", bind(&login));
  }
  if (deps.config) register_sso_routes(SsoDeps{deps.server, deps.database, *deps.config});
  deps.server.get("/auth/accesscode", bind(&access_code));
  deps.server.post("/auth/token", bind(&token_grant));
  deps.server.post("/auth/logout", bind(&logout));

  return AuthServices{validator};
}

}  // namespace stipple::auth
