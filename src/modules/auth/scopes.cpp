#include "modules/auth/scopes.h"

#include <algorithm>
#include <array>

#include "db/database.h"

namespace stipple::auth {
namespace {

// Public flags follow upstream's core registration; users:invite is private unless
// FF_USERS_INVITE_SCOPE_IS_PUBLIC is set, which Stipple does not support yet.
constexpr std::array<ScopeInfo, 15> kScopes{{
    {kScopeStreamsRead, "Read your projects and their data.", true},
    {kScopeStreamsWrite, "Create projects, publish versions and edit your projects.", true},
    {kScopeProfileRead, "Read your profile, except your e-mail address.", true},
    {kScopeProfileWrite, "Change your profile.", true},
    {kScopeProfileEmail, "Read your e-mail address.", true},
    {kScopeProfileDelete, "Delete your account.", false},
    {kScopeUsersRead, "Read other users' profiles.", true},
    {kScopeUsersEmail, "Read other users' e-mail addresses.", false},
    {kScopeUsersInvite, "Invite people to the server and to projects.", false},
    {kScopeServerStats, "Read the server's statistics.", true},
    {kScopeServerSetup, "Change the server's settings.", false},
    {kScopeTokensRead, "List your access tokens.", false},
    {kScopeTokensWrite, "Create and revoke access tokens.", false},
    {kScopeAppsRead, "Read the apps you created or authorised.", false},
    {kScopeAppsWrite, "Create, change and delete apps.", false},
}};

}  // namespace

std::span<const ScopeInfo> all_scopes() {
  return kScopes;
}

bool is_known_scope(std::string_view name) {
  return std::any_of(kScopes.begin(), kScopes.end(),
                     [&](const ScopeInfo& s) { return s.name == name; });
}

bool scope_granted(std::span<const std::string> granted, std::string_view required) {
  return std::any_of(granted.begin(), granted.end(),
                     [&](const std::string& s) { return s == required || s == kScopeWildcard; });
}

std::string missing_scope_message(std::string_view scope) {
  return "Your auth token does not have the required scope: " + std::string(scope) + ".";
}

void seed_scopes(db::Connection& conn) {
  for (const auto& scope : kScopes) {
    conn.execute(
        "INSERT INTO scopes (name, description, public) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
        "public = excluded.public",
        {scope.name, scope.description, scope.is_public});
  }
}

}  // namespace stipple::auth
