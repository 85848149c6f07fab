// SQL for projects, their collaborators (project_acl) and pending invites. Blocking functions
// taking a Connection; the service layer decides who may call them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "db/sql.h"
#include "modules/projects/pagination.h"
#include "modules/projects/projects.h"

namespace stipple::projects {

using db::placeholders;

void insert_project(db::Connection& conn, const Project& project);
std::optional<Project> find_project(db::Connection& conn, std::string_view id);
// The projects that exist among `ids`, in no particular order.
std::vector<Project> find_projects(db::Connection& conn, const std::vector<std::string>& ids);
// The project and `user_id`'s role in it (no role looked up for an empty user id).
std::optional<ProjectWithRole> find_project_with_role(db::Connection& conn, std::string_view id,
                                                      std::string_view user_id);
// Writes the editable columns: name, description, visibility, comments flag, updated_at.
void save_project(db::Connection& conn, const Project& project);
void touch_project(db::Connection& conn, std::string_view id, int64_t now_ms);
// Deletes the project and everything stored in it. Returns false when it did not exist.
bool delete_project(db::Connection& conn, std::string_view id);

std::optional<std::string> find_role(db::Connection& conn, std::string_view project_id,
                                     std::string_view user_id);
void set_role(db::Connection& conn, std::string_view project_id, std::string_view user_id,
              std::string_view role);
bool remove_role(db::Connection& conn, std::string_view project_id, std::string_view user_id);
int64_t count_role(db::Connection& conn, std::string_view project_id, std::string_view role);
// Collaborators of several projects, owners first.
std::vector<Collaborator> list_collaborators(db::Connection& conn,
                                             const std::vector<std::string>& project_ids);

struct UserProjectsQuery {
  std::string user_id;
  std::optional<std::string> search;  // case-insensitive substring of the name
  std::vector<std::string> roles;     // only projects where the user has one of these
  int64_t limit = 25;
  std::optional<Cursor> after;
};
// The projects a user has a role in, most recently updated first.
Page<ProjectWithRole> list_user_projects(db::Connection& conn, const UserProjectsQuery& query);

struct AllProjectsQuery {
  std::string viewer_id;                  // whose role each item carries
  std::optional<std::string> search;      // case-insensitive substring of the name or description
  std::optional<std::string> visibility;  // stored form: public, private
  bool by_creation = false;               // newest created first; else most recently updated
  int64_t limit = 25;
  std::optional<Cursor> after;  // keyset paging
  int64_t offset = 0;           // or offset paging (the legacy adminStreams)
};
// Every project of the server, for administrators.
Page<ProjectWithRole> list_all_projects(db::Connection& conn, const AllProjectsQuery& query);

void insert_invite(db::Connection& conn, const Invite& invite);
std::optional<Invite> find_invite_by_token(db::Connection& conn, std::string_view project_id,
                                           std::string_view token);
std::optional<Invite> find_invite(db::Connection& conn, std::string_view project_id,
                                  std::string_view invite_id);
std::optional<Invite> find_invite_for_user(db::Connection& conn, std::string_view project_id,
                                           std::string_view user_id);
void delete_invite(db::Connection& conn, std::string_view invite_id);
// Pending invites of several projects, oldest first.
std::vector<Invite> list_project_invites(db::Connection& conn,
                                         const std::vector<std::string>& project_ids);
// Pending invites addressed to a user, oldest first.
std::vector<Invite> list_user_invites(db::Connection& conn, std::string_view user_id);

}  // namespace stipple::projects
