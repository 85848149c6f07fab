// Projects (upstream's "streams"): the domain types, and the rules deciding what a caller may do
// with a project given the caller's role in it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/auth/context.h"

namespace stipple::projects {

// Stored visibility values; the GraphQL enum is their upper-case form.
inline constexpr std::string_view kVisibilityPrivate = "private";
inline constexpr std::string_view kVisibilityPublic = "public";
inline constexpr std::string_view kVisibilityWorkspace = "workspace";

struct Project {
  std::string id;
  std::string name;
  std::optional<std::string> description;
  std::string visibility = std::string(kVisibilityPrivate);
  bool allow_public_comments = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool is_public() const { return visibility == kVisibilityPublic; }
};

// A project together with the caller's role in it ("" for none).
struct ProjectWithRole {
  Project project;
  std::string role;
};

struct Collaborator {
  std::string project_id;
  std::string user_id;
  std::string role;
};

// A pending invitation to join a project.
struct Invite {
  std::string id;  // 20 hex characters
  std::string project_id;
  std::optional<std::string> user_id;  // the invited account, when it exists
  std::optional<std::string> email;    // the invited address, when no account was named
  std::string inviter_id;
  std::string role;
  std::string token;  // 50 hex characters, the invitee's proof
  int64_t created_at = 0;
};

// Whether `role` is one of the three project roles.
bool is_project_role(std::string_view role);

// Outcome of a permission check, named as upstream's Project.permissions codes.
enum class Permission { kOk, kServerNoSession, kProjectNoAccess, kProjectNotEnoughPermissions };
std::string_view permission_code(Permission permission);

// Whether the caller may read the project (public, or any role in it).
Permission can_read(const auth::AuthContext& caller, const ProjectWithRole& project);
// Whether the caller holds at least `min_role` in the project (auth::kProject*).
Permission has_role(const auth::AuthContext& caller, const ProjectWithRole& project,
                    std::string_view min_role);

// The same checks as errors: FORBIDDEN with upstream's messages, nothing when allowed.
void require_read(const auth::AuthContext& caller, const ProjectWithRole& project);
void require_role(const auth::AuthContext& caller, const ProjectWithRole& project,
                  std::string_view min_role);

}  // namespace stipple::projects
