// Apps registered by users: creation, update and deletion, and the lists of apps a user created
// or authorised. Blocking functions taking a Connection, used by the GraphQL resolvers.
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

inline constexpr std::size_t kAppSecretLength = 10;

struct ScopeRef {
  std::string name;
  std::string description;
};

// Everything the GraphQL types ServerApp and ServerAppListItem show.
struct AppDetails {
  std::string id;
  std::string secret;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> terms_and_conditions_link;
  std::optional<std::string> logo;
  bool is_public = false;
  bool trust_by_default = false;
  std::optional<std::string> author_id;
  int64_t created_at = 0;
  std::string redirect_url;
  std::vector<ScopeRef> scopes;  // sorted by name
};

std::optional<AppDetails> load_app(db::Connection& conn, std::string_view id);

// Apps whose author is the user, newest first.
std::vector<AppDetails> apps_created_by(db::Connection& conn, std::string_view user_id);
// Apps holding at least one token of the user.
std::vector<AppDetails> apps_authorized_by(db::Connection& conn, std::string_view user_id);
// Apps marked public.
std::vector<AppDetails> public_apps(db::Connection& conn);

struct AppInput {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> terms_and_conditions_link;
  std::optional<std::string> logo;
  std::optional<bool> is_public;  // a new app is public unless told otherwise
  std::string redirect_url;
  std::vector<std::string> scopes;  // unknown names are dropped
};

// Creates the app with a new id and secret; returns the id. Throws Error APP_CREATE (400) when
// no known scope remains.
std::string create_app(db::Connection& conn, std::string_view author_id, const AppInput& input,
                       int64_t now_ms);

// Replaces the app's fields and scopes. Credentials issued under the old scopes are revoked
// (tokens, refresh tokens, access codes); their token ids are returned so caches can forget
// them. Throws Error APP_UPDATE (400) when no known scope remains.
std::vector<std::string> update_app(db::Connection& conn, std::string_view app_id,
                                    const AppInput& input);

// Deletes the app and every credential issued through it; returns the deleted token ids.
std::vector<std::string> delete_app(db::Connection& conn, std::string_view app_id);

}  // namespace stipple::apps
