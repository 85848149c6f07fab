// The business rules of projects: creation with the `main` model and the owner role, updates,
// deletion, the team (roles, leaving) and invites. Blocking functions taking a Connection, the
// caller and the time, so they run the same under GraphQL, REST and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "modules/auth/context.h"
#include "modules/projects/projects.h"

namespace stipple::projects {

// The project and the caller's role in it; STREAM_NOT_FOUND (404) "Project not found" when it
// does not exist. Checks nothing else.
ProjectWithRole load_project(db::Connection& conn, const auth::AuthContext& caller,
                             std::string_view project_id);
// load_project, then require_read.
ProjectWithRole read_project(db::Connection& conn, const auth::AuthContext& caller,
                             std::string_view project_id);

// Visibility as stored, from the GraphQL enum or the stored form: UNLISTED means public.
// BAD_REQUEST_ERROR for anything else.
std::string parse_visibility(std::string_view value);

// A random two-word project name ("Speckled Palace"), for projects created without one.
std::string random_project_name();

struct NewProject {
  std::optional<std::string> name;  // empty or missing: a random name
  std::optional<std::string> description;
  std::optional<std::string> visibility;  // missing: private
};
// Creates the project, the caller's owner role and the model `main` ("default model").
Project create_project(db::Connection& conn, const auth::AuthContext& caller,
                       const NewProject& input, int64_t now_ms);

struct ProjectChanges {
  std::string id;
  std::optional<std::string> name;  // empty is ignored
  std::optional<std::string> description;
  std::optional<std::string> visibility;
  std::optional<bool> allow_public_comments;
};
// Owner only. Making a project private also turns public comments off.
Project update_project(db::Connection& conn, const auth::AuthContext& caller,
                       const ProjectChanges& changes, int64_t now_ms);

// Owner only; cascades to models, versions, objects, roles and invites.
void delete_project(db::Connection& conn, const auth::AuthContext& caller,
                    std::string_view project_id);
// Server admins only (FORBIDDEN "You do not have the required server role").
void batch_delete_projects(db::Connection& conn, const auth::AuthContext& caller,
                           const std::vector<std::string>& project_ids);

// Owner only. Changes an existing collaborator's role, or removes them when `role` is empty.
// Users become collaborators only through invites.
Project update_role(db::Connection& conn, const auth::AuthContext& caller,
                    std::string_view project_id, std::string_view user_id,
                    const std::optional<std::string>& role);

// Removes the caller's own role; the last owner cannot leave.
void leave_project(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id);

struct NewInvite {
  std::optional<std::string> user_id;
  std::optional<std::string> email;
  std::optional<std::string> role;  // default stream:contributor
};
// Owner only. Inviting someone already invited replaces the pending invite's role.
Invite create_invite(db::Connection& conn, const auth::AuthContext& caller,
                     std::string_view project_id, const NewInvite& input, int64_t now_ms);
// Accepts (the invite's role is granted) or declines; either way the invite is consumed.
void use_invite(db::Connection& conn, const auth::AuthContext& caller, std::string_view project_id,
                std::string_view token, bool accept);
// Owner only.
void cancel_invite(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id, std::string_view invite_id);

}  // namespace stipple::projects
