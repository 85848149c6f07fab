#include "modules/projects/projects.h"

#include "base/error.h"

namespace stipple::projects {
namespace {

constexpr const char* kNotLoggedIn = "You are not logged in to this server";
constexpr const char* kNoAccess = "You do not have access to the project";
constexpr const char* kNotEnough =
    "You do not have enough permissions in the project to perform this action";

// A token limited to other projects sees this one as if it had no role in it.
bool token_reaches(const auth::AuthContext& caller, const ProjectWithRole& project) {
  return caller.may_access_project(project.project.id);
}

}  // namespace

bool is_project_role(std::string_view role) {
  return auth::project_role_weight(role) > 0;
}

std::string_view permission_code(Permission permission) {
  switch (permission) {
    case Permission::kOk:
      return "OK";
    case Permission::kServerNoSession:
      return "ServerNoSession";
    case Permission::kProjectNoAccess:
      return "ProjectNoAccess";
    case Permission::kProjectNotEnoughPermissions:
      return "ProjectNotEnoughPermissions";
  }
  return "ProjectNoAccess";
}

Permission can_read(const auth::AuthContext& caller, const ProjectWithRole& project) {
  if (!token_reaches(caller, project)) return Permission::kProjectNoAccess;
  if (project.project.is_public()) return Permission::kOk;
  if (!caller.authenticated) return Permission::kServerNoSession;
  if (project.role.empty()) return Permission::kProjectNoAccess;
  return Permission::kOk;
}

Permission has_role(const auth::AuthContext& caller, const ProjectWithRole& project,
                    std::string_view min_role) {
  if (!caller.authenticated) return Permission::kServerNoSession;
  if (!token_reaches(caller, project) || project.role.empty()) {
    return Permission::kProjectNoAccess;
  }
  if (caller.server_role == auth::kServerArchivedUser) return Permission::kProjectNoAccess;
  if (auth::project_role_weight(project.role) < auth::project_role_weight(min_role)) {
    return Permission::kProjectNotEnoughPermissions;
  }
  return Permission::kOk;
}

void require_read(const auth::AuthContext& caller, const ProjectWithRole& project) {
  switch (can_read(caller, project)) {
    case Permission::kOk:
      return;
    case Permission::kServerNoSession:
      throw forbidden(kNotLoggedIn);
    default:
      throw forbidden(kNoAccess);
  }
}

void require_role(const auth::AuthContext& caller, const ProjectWithRole& project,
                  std::string_view min_role) {
  switch (has_role(caller, project, min_role)) {
    case Permission::kOk:
      return;
    case Permission::kServerNoSession:
      throw forbidden(kNotLoggedIn);
    case Permission::kProjectNoAccess:
      throw forbidden(kNoAccess);
    case Permission::kProjectNotEnoughPermissions:
      throw forbidden(kNotEnough);
  }
}

}  // namespace stipple::projects
