// Server apps and Speckle's app authorisation ("access code") flow: the built-in apps, access
// codes bound to a challenge, their exchange for an app token plus a refresh token, and the
// refresh grant. Blocking functions taking a Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::db {
class Connection;
}

namespace stipple::apps {

inline constexpr std::size_t kAccessCodeLength = 42;
inline constexpr int64_t kAccessCodeLifespanMs = 600'000;           // 10 minutes
inline constexpr int64_t kRefreshTokenLifespanMs = 15'770'000'000;  // about 6 months

// The app every web-app login is issued through.
inline constexpr std::string_view kWebAppId = "spklwebapp";

struct App {
  std::string id;
  std::string secret;
  std::string name;
  std::optional<std::string> description;
  std::string redirect_url;
  bool trust_by_default = false;
  bool is_public = false;
  std::optional<std::string> author_id;
  int64_t created_at = 0;
  std::vector<std::string> scopes;  // sorted
};

// Creates or updates the built-in apps (web app, explorer, desktop connectors, Excel, Power BI)
// with their fixed ids and secrets. `server_origin` is the canonical URL without a trailing slash.
// Scopes must be seeded first.
void seed_default_apps(db::Connection& conn, std::string_view server_origin, int64_t now_ms);

std::optional<App> find_app(db::Connection& conn, std::string_view id);

// Mints a single-use access code for (app, user, challenge).
std::string create_access_code(db::Connection& conn, std::string_view app_id,
                               std::string_view user_id, std::string_view challenge,
                               int64_t now_ms);

struct TokenPair {
  std::string token;
  std::string refresh_token;
};

// A failed grant; `message` is what /auth/token answers in {"err": message}.
struct GrantError {
  std::string message;
};

// The access-code grant. The code is looked up by id; a code minted for another app is left
// untouched, otherwise it is spent before the remaining checks (expiry, challenge, secret).
// Returns the new pair, or the failure.
struct GrantResult {
  std::optional<TokenPair> pair;
  GrantError error;
};
GrantResult exchange_access_code(db::Connection& conn, std::string_view app_id,
                                 std::string_view app_secret, std::string_view code,
                                 std::string_view challenge, int64_t now_ms);

// The refresh-token grant: a new token pair for the refresh token's user and app. The presented
// refresh token stays valid until it expires; an expired one is deleted.
GrantResult refresh(db::Connection& conn, std::string_view app_id, std::string_view app_secret,
                    std::string_view refresh_token, int64_t now_ms);

// Issues an app token (scopes = the app's) and a refresh token for a user.
TokenPair issue_app_tokens(db::Connection& conn, const App& app, std::string_view user_id,
                           int64_t now_ms);

// Deletes a refresh token presented in full; false when it is unknown or the secret differs.
bool delete_refresh_token(db::Connection& conn, std::string_view refresh_token);

// Deletes every token and refresh token `user_id` holds for `app_id`; returns the deleted api
// token ids (so caches can forget them).
std::vector<std::string> revoke_app_access(db::Connection& conn, std::string_view app_id,
                                           std::string_view user_id);

}  // namespace stipple::apps
