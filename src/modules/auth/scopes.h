// The scopes a token can carry, as upstream registers them on a core server (no workspace,
// automate or gatekeeper modules), and the checks built on them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::db {
class Connection;
}

namespace stipple::auth {

struct ScopeInfo {
  std::string_view name;
  std::string_view description;
  bool is_public;  // offered for personal access tokens and apps; listed in serverInfo.scopes
};

inline constexpr std::string_view kScopeStreamsRead = "streams:read";
inline constexpr std::string_view kScopeStreamsWrite = "streams:write";
inline constexpr std::string_view kScopeProfileRead = "profile:read";
inline constexpr std::string_view kScopeProfileWrite = "profile:write";
inline constexpr std::string_view kScopeProfileEmail = "profile:email";
inline constexpr std::string_view kScopeProfileDelete = "profile:delete";
inline constexpr std::string_view kScopeUsersRead = "users:read";
inline constexpr std::string_view kScopeUsersEmail = "users:email";
inline constexpr std::string_view kScopeUsersInvite = "users:invite";
inline constexpr std::string_view kScopeServerStats = "server:stats";
inline constexpr std::string_view kScopeServerSetup = "server:setup";
inline constexpr std::string_view kScopeTokensRead = "tokens:read";
inline constexpr std::string_view kScopeTokensWrite = "tokens:write";
inline constexpr std::string_view kScopeAppsRead = "apps:read";
inline constexpr std::string_view kScopeAppsWrite = "apps:write";
// Accepted by the scope check when a token carries it; never granted by Stipple itself.
inline constexpr std::string_view kScopeWildcard = "*";

// Every scope of a core server, in a stable order.
std::span<const ScopeInfo> all_scopes();

// Whether `name` is a registered scope.
bool is_known_scope(std::string_view name);

// Whether a token with `granted` scopes may act where `required` is needed ("*" grants all).
bool scope_granted(std::span<const std::string> granted, std::string_view required);

// The message upstream gives when a token lacks a scope.
std::string missing_scope_message(std::string_view scope);

// Inserts missing scopes and refreshes descriptions; run at every start.
void seed_scopes(db::Connection& conn);

}  // namespace stipple::auth
