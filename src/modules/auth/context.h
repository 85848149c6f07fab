// Who is calling: the result of token validation, attached to every request by the auth
// middleware (modules/auth). Anonymous callers get an empty, unauthenticated context.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::net {
class Exchange;
}

namespace stipple::auth {

// Server roles, as upstream names them.
inline constexpr std::string_view kServerAdmin = "server:admin";
inline constexpr std::string_view kServerUser = "server:user";
inline constexpr std::string_view kServerGuest = "server:guest";
inline constexpr std::string_view kServerArchivedUser = "server:archived-user";

// Project roles, as upstream names them (the legacy "stream" prefix is part of the wire format).
inline constexpr std::string_view kProjectOwner = "stream:owner";
inline constexpr std::string_view kProjectContributor = "stream:contributor";
inline constexpr std::string_view kProjectReviewer = "stream:reviewer";

struct AuthContext {
  bool authenticated = false;
  std::string user_id;
  std::string token_id;
  std::string server_role;          // one of the kServer* roles when authenticated
  std::vector<std::string> scopes;  // the token's scopes
  // Projects the token is limited to; empty = no limit.
  std::vector<std::string> resource_project_ids;
  std::string app_id;  // the app the token was issued to; empty for personal tokens

  bool has_scope(std::string_view scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  }
  bool may_access_project(std::string_view project_id) const {
    return resource_project_ids.empty() ||
           std::find(resource_project_ids.begin(), resource_project_ids.end(), project_id) !=
               resource_project_ids.end();
  }
};

// Weight of a project role for "at least" comparisons: owner 3 > contributor 2 > reviewer 1;
// 0 for no role.
inline int project_role_weight(std::string_view role) {
  if (role == kProjectOwner) return 3;
  if (role == kProjectContributor) return 2;
  if (role == kProjectReviewer) return 1;
  return 0;
}

// The caller of this request; anonymous when the middleware found no token.
const AuthContext& caller(net::Exchange& ex);

// Sets the caller of this request (used by the auth middleware, and by tests).
void set_caller(net::Exchange& ex, AuthContext context);

}  // namespace stipple::auth
