#include "modules/apps/apps.h"

#include <algorithm>
#include <array>

#include "base/ids.h"
#include "db/database.h"
#include "modules/auth/crypto.h"
#include "modules/auth/scopes.h"
#include "modules/tokens/tokens.h"

namespace stipple::apps {
namespace {

// ---------------------------------------------------------------------------------------------
// The built-in apps. Ids and secrets are fixed on the wire: clients ship with them.

enum class ScopeSet { all, desktop, power_bi };

struct DefaultApp {
  std::string_view id;  // also the secret
  std::string_view name;
  std::string_view description;
  std::string_view redirect;  // a path appended to the server origin when it starts with '/'
  bool trust_by_default;
  ScopeSet scopes;
};

constexpr std::array<DefaultApp, 9> kDefaultApps{{
    {"spklwebapp", "Speckle Web Manager", "The web application of this server.", "", true,
     ScopeSet::all},
    {"explorer", "Speckle Explorer", "A GraphQL playground signed in as you.", "/explorer", true,
     ScopeSet::all},
    {"sdm", "Speckle Desktop Manager", "Installs and updates Speckle connectors.",
     "speckle://account", true, ScopeSet::desktop},
    {"sdui", "DUI", "The desktop user interface shared by the connectors.",
     "https://dui.speckle.systems/authn/callback", false, ScopeSet::desktop},
    {"sca", "Speckle Connector", "Speckle's desktop connectors (v2).", "http://localhost:29363",
     true, ScopeSet::desktop},
    {"sdas", "Speckle Connector", "Links your account with the desktop connectors.",
     "http://localhost:29364", true, ScopeSet::desktop},
    {"connectrV3", "Desktop Connectors", "Speckle's desktop connectors (v3).",
     "http://localhost:29355", false, ScopeSet::desktop},
    {"spklexcel", "Speckle Connector For Excel", "Speckle in Microsoft Excel.",
     "https://speckle-excel.netlify.app", true, ScopeSet::desktop},
    {"spklpwerbi", "Speckle Connector For PowerBI", "Speckle in Microsoft Power BI.",
     "https://oauth.powerbi.com/views/oauthredirect.html", true, ScopeSet::power_bi},
}};

std::vector<std::string> scopes_of(ScopeSet set) {
  using namespace auth;
  switch (set) {
    case ScopeSet::all: {
      std::vector<std::string> all;
      for (const auto& scope : all_scopes()) all.emplace_back(scope.name);
      return all;
    }
    case ScopeSet::desktop:
      return {std::string(kScopeStreamsRead), std::string(kScopeStreamsWrite),
              std::string(kScopeProfileRead), std::string(kScopeProfileEmail),
              std::string(kScopeUsersRead),   std::string(kScopeUsersInvite)};
    case ScopeSet::power_bi:
      return {std::string(kScopeStreamsRead),  std::string(kScopeProfileRead),
              std::string(kScopeProfileEmail), std::string(kScopeUsersRead),
              std::string(kScopeUsersInvite),  std::string(kScopeTokensWrite)};
  }
  return {};
}

std::string resolve_redirect(std::string_view redirect, std::string_view origin) {
  if (redirect.empty()) return std::string(origin);
  if (redirect.front() == '/') return std::string(origin) + std::string(redirect);
  return std::string(redirect);
}

GrantResult fail(std::string message) {
  return GrantResult{std::nullopt, {std::move(message)}};
}

// ---------------------------------------------------------------------------------------------

}  // namespace

void seed_default_apps(db::Connection& conn, std::string_view server_origin, int64_t now_ms) {
  conn.transaction([&] {
    for (const auto& app : kDefaultApps) {
      const std::string redirect = resolve_redirect(app.redirect, server_origin);
      conn.execute(
          "INSERT INTO server_apps (id, secret, name, description, public, trust_by_default, "
          "created_at, redirect_url) VALUES ($1, $1, $2, $3, TRUE, $4, $5, $6) "
          "ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, name = excluded.name, "
          "description = excluded.description, public = excluded.public, "
          "trust_by_default = excluded.trust_by_default, redirect_url = excluded.redirect_url",
          {app.id, app.name, app.description, app.trust_by_default, now_ms, redirect});
      conn.execute("DELETE FROM server_apps_scopes WHERE app_id = $1", {app.id});
      for (const auto& scope : scopes_of(app.scopes)) {
        conn.execute("INSERT INTO server_apps_scopes (app_id, scope_name) VALUES ($1, $2)",
                     {app.id, scope});
      }
    }
  });
}

std::optional<App> find_app(db::Connection& conn, std::string_view id) {
  const auto result = conn.query(
      "SELECT id, secret, name, description, redirect_url, trust_by_default, public, author_id, "
      "created_at FROM server_apps WHERE id = $1",
      {id});
  if (result.empty()) return std::nullopt;
  const auto& row = result[0];
  App app;
  app.id = row.text(0);
  app.secret = row.text(1);
  app.name = row.text(2);
  app.description = row.opt_text(3);
  app.redirect_url = row.text(4);
  app.trust_by_default = row.boolean(5);
  app.is_public = row.boolean(6);
  app.author_id = row.opt_text(7);
  app.created_at = row.integer(8);
  for (const auto& scope : conn.query("SELECT scope_name FROM server_apps_scopes WHERE app_id = $1 "
                                      "ORDER BY scope_name",
                                      {id})
                               .rows) {
    app.scopes.push_back(scope.text(0));
  }
  return app;
}

std::string create_access_code(db::Connection& conn, std::string_view app_id,
                               std::string_view user_id, std::string_view challenge,
                               int64_t now_ms) {
  const std::string code = random_hex(kAccessCodeLength);
  conn.execute(
      "INSERT INTO authorization_codes (id, app_id, user_id, challenge, created_at, lifespan) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {code, app_id, user_id, challenge, now_ms, kAccessCodeLifespanMs});
  return code;
}

TokenPair issue_app_tokens(db::Connection& conn, const App& app, std::string_view user_id,
                           int64_t now_ms) {
  return conn.transaction([&] {
    // The app token carries every scope the app was granted.
    tokens::TokenSpec spec;
    spec.owner_id = std::string(user_id);
    spec.name = app.name + "-token";
    spec.scopes = app.scopes;
    spec.lifespan_ms = tokens::kAppTokenLifespanMs;
    spec.app_id = app.id;
    const auto token = tokens::create_token(conn, spec, now_ms);

    // The refresh token has the same shape; only its digest is stored.
    const std::string id = random_hex(tokens::kIdLength);
    const std::string secret = random_hex(tokens::kSecretLength);
    conn.execute(
        "INSERT INTO refresh_tokens (id, token_digest, app_id, user_id, created_at, lifespan) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {id, auth::sha256_hex(secret), app.id, user_id, now_ms, kRefreshTokenLifespanMs});
    return TokenPair{token.token, id + secret};
  });
}

GrantResult exchange_access_code(db::Connection& conn, std::string_view app_id,
                                 std::string_view app_secret, std::string_view code,
                                 std::string_view challenge, int64_t now_ms) {
  // Find the code; one minted for another app stays usable.
  const auto found = conn.query(
      "SELECT app_id, user_id, challenge, created_at, lifespan FROM authorization_codes "
      "WHERE id = $1",
      {code});
  if (found.empty()) return fail("Access code not found.");
  const auto& row = found[0];
  if (row.text(0) != app_id) return fail("Invalid request: application id does not match.");

  // Spend it before the remaining checks: any later failure burns the code.
  conn.execute("DELETE FROM authorization_codes WHERE id = $1", {code});
  if (now_ms - row.integer(3) > row.integer(4)) return fail("Access code expired");
  if (row.text(2) != challenge) {
    return fail(
        "Code challenge mismatch. Ensure the same challenge is used for authentication and token "
        "exchange.");
  }
  const auto app = find_app(conn, app_id);
  if (!app || !auth::constant_time_equals(app->secret, app_secret)) {
    return fail("Invalid app secret. Ensure the app secret is correct.");
  }
  return GrantResult{issue_app_tokens(conn, *app, row.text(1), now_ms), {}};
}

GrantResult refresh(db::Connection& conn, std::string_view app_id, std::string_view app_secret,
                    std::string_view refresh_token, int64_t now_ms) {
  // Every failure reads the same, so the answer reveals nothing about which check failed.
  constexpr std::string_view kInvalid = "Invalid request";
  const auto parts = tokens::split_token(refresh_token);
  if (!parts) return fail(std::string(kInvalid));

  const auto found = conn.query(
      "SELECT token_digest, app_id, user_id, created_at, lifespan FROM refresh_tokens "
      "WHERE id = $1",
      {parts->id});
  if (found.empty()) return fail(std::string(kInvalid));
  const auto& row = found[0];
  if (now_ms - row.integer(3) > row.integer(4)) {
    conn.execute("DELETE FROM refresh_tokens WHERE id = $1", {parts->id});
    return fail(std::string(kInvalid));
  }
  if (!auth::constant_time_equals(auth::sha256_hex(parts->secret), row.text(0)) ||
      row.text(1) != app_id) {
    return fail(std::string(kInvalid));
  }
  const auto app = find_app(conn, app_id);
  if (!app || !auth::constant_time_equals(app->secret, app_secret)) {
    return fail(std::string(kInvalid));
  }
  return GrantResult{issue_app_tokens(conn, *app, row.text(2), now_ms), {}};
}

bool delete_refresh_token(db::Connection& conn, std::string_view refresh_token) {
  const auto parts = tokens::split_token(refresh_token);
  if (!parts) return false;
  const auto found =
      conn.query("SELECT token_digest FROM refresh_tokens WHERE id = $1", {parts->id});
  if (found.empty()) return false;
  if (!auth::constant_time_equals(auth::sha256_hex(parts->secret), found[0].text(0))) {
    return false;
  }
  return conn.execute("DELETE FROM refresh_tokens WHERE id = $1", {parts->id}) > 0;
}

std::vector<std::string> revoke_app_access(db::Connection& conn, std::string_view app_id,
                                           std::string_view user_id) {
  return conn.transaction([&] {
    std::vector<std::string> ids;
    for (const auto& row : conn.query("SELECT token_id FROM user_server_app_tokens "
                                      "WHERE app_id = $1 AND user_id = $2",
                                      {app_id, user_id})
                               .rows) {
      ids.push_back(row.text(0));
    }
    for (const auto& id : ids) tokens::delete_token(conn, id);
    conn.execute("DELETE FROM refresh_tokens WHERE app_id = $1 AND user_id = $2",
                 {app_id, user_id});
    conn.execute("DELETE FROM authorization_codes WHERE app_id = $1 AND user_id = $2",
                 {app_id, user_id});
    return ids;
  });
}

}  // namespace stipple::apps
