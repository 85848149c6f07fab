// Account operations beyond creation and login: profile updates, the user search with its
// cursor, server role changes and deletion. Blocking functions taking a Connection, used by the
// GraphQL resolvers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/users/users.h"

namespace stipple::users {

// Profile fields a user may change; absent fields stay as they are.
struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::string> company;
  std::optional<std::string> bio;
  std::optional<std::string> avatar;
};

// Applies the update and returns the account as stored afterwards. Throws Error USER_INPUT_ERROR
// when the user does not exist. An empty name is accepted, as upstream accepts it.
User update_profile(db::Connection& conn, std::string_view user_id, const ProfileUpdate& update);

// The user's `profiles` JSON text (external identity provider data); nullopt when none.
std::optional<std::string> user_profiles(db::Connection& conn, std::string_view user_id);

// Per-user flags kept for the web app (user_meta rows), by key; values are JSON texts.
inline constexpr std::string_view kOnboardingFinishedKey = "isOnboardingFinished";
std::map<std::string, std::string> user_meta(db::Connection& conn, std::string_view user_id);
void set_user_meta(db::Connection& conn, std::string_view user_id, std::string_view key,
                   std::string_view value);

// Where a search page ended: the last user's creation time and id (newest first ordering).
struct SearchCursor {
  int64_t created_at = 0;
  std::string id;
};
std::string encode_search_cursor(const SearchCursor& cursor);
// nullopt for anything encode_search_cursor did not produce; callers then start from the top.
std::optional<SearchCursor> decode_search_cursor(std::string_view text);

inline constexpr int kMaxSearchLimit = 100;
inline constexpr int kDefaultSearchLimit = 100;

struct SearchQuery {
  std::string text;  // matched against names (substring, any case) and e-mails (whole address)
  int limit = kDefaultSearchLimit;
  std::optional<SearchCursor> after;
  bool email_only = false;        // match the e-mail address only
  bool include_archived = false;  // archived users are left out unless asked for
};

struct SearchPage {
  std::vector<User> users;  // newest account first
  // Set whenever the page is not empty, as upstream does (so a client stops at an empty page).
  std::optional<std::string> cursor;
};

SearchPage search_users(db::Connection& conn, const SearchQuery& query);

// Sets a user's server role. Throws Error USER_INPUT_ERROR for an unknown role or user, and when
// it would leave the server without an administrator.
void change_server_role(db::Connection& conn, std::string_view user_id, std::string_view role);

// Deletes the account, the projects it alone owns, and (through the schema's cascades) its
// tokens, apps, roles and invitations; authorship of versions and models is kept without a user.
// Returns the ids of the api tokens that were deleted, so token caches can forget them. Throws
// Error USER_INPUT_ERROR for an unknown user and for the server's last administrator.
std::vector<std::string> delete_user(db::Connection& conn, std::string_view user_id,
                                     std::string_view invoker_id = {});

}  // namespace stipple::users
