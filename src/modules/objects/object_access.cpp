#include "modules/objects/object_access.h"

namespace stipple::objects {
namespace {

constexpr std::string_view kReadScope = "streams:read";
constexpr std::string_view kWriteScope = "streams:write";
constexpr int kContributorWeight = 2;
constexpr int kReviewerWeight = 1;

// Whether the caller holds `weight` or more in the project, through a token allowed there.
bool holds_role(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                std::string_view project_id, int weight) {
  return caller.may_access_project(project_id) && auth::project_role_weight(project.role) >= weight;
}

}  // namespace

Verdict check_write(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                    std::string_view project_id) {
  // Every refusal is the same empty 401, an unknown project included.
  const bool ok = caller.authenticated && caller.has_scope(kWriteScope) && project.exists &&
                  caller.server_role != auth::kServerArchivedUser &&
                  holds_role(caller, project, project_id, kContributorWeight);
  return ok ? Verdict{} : Verdict{401, {}};
}

Verdict check_read(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                   std::string_view project_id) {
  if (!project.exists) return Verdict{caller.authenticated ? 404 : 401, {}};
  if (project.is_public) return Verdict{};
  const bool ok = caller.authenticated && caller.has_scope(kReadScope) &&
                  holds_role(caller, project, project_id, kReviewerWeight);
  return ok ? Verdict{} : Verdict{401, {}};
}

Verdict check_stream_read(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                          std::string_view project_id) {
  if (caller.authenticated && !caller.has_scope(kReadScope)) {
    return Verdict{403, "Your auth token does not have the required scope: streams:read."};
  }
  if (!project.exists) {
    return Verdict{404,
                   "Project ID is malformed and cannot be found, or the project does not exist"};
  }
  if (project.is_public) return Verdict{};
  if (!caller.authenticated) {
    return Verdict{403, "Your auth token does not have the required scope: streams:read."};
  }
  if (!holds_role(caller, project, project_id, kReviewerWeight)) {
    return Verdict{403, "You do not have access to the project"};
  }
  return Verdict{};
}

}  // namespace stipple::objects
