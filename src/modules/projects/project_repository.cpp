#include "modules/projects/project_repository.h"

namespace stipple::projects {
namespace {

// Column lists are macros so statements are single literals.
#define STIPPLE_PROJECT_COLUMNS                                                        \
  "p.id, p.name, p.description, p.visibility, p.allow_public_comments, p.created_at, " \
  "p.updated_at"
#define STIPPLE_INVITE_COLUMNS "id, project_id, user_id, email, inviter_id, role, token, created_at"

Project project_from_row(const db::Result::Row& row) {
  Project p;
  p.id = row.text(0);
  p.name = row.text(1);
  p.description = row.opt_text(2);
  p.visibility = row.text(3);
  p.allow_public_comments = row.boolean(4);
  p.created_at = row.integer(5);
  p.updated_at = row.integer(6);
  return p;
}

Invite invite_from_row(const db::Result::Row& row) {
  Invite i;
  i.id = row.text(0);
  i.project_id = row.text(1);
  i.user_id = row.opt_text(2);
  i.email = row.opt_text(3);
  i.inviter_id = row.text(4);
  i.role = row.text(5);
  i.token = row.text(6);
  i.created_at = row.integer(7);
  return i;
}

using db::params_of;

// The condition that continues a newest-first list after `after` (its sort key in `column`,
// then the project id); empty without a cursor. `after` must outlive the query.
std::string keyset_after(std::string_view column, const std::optional<Cursor>& after,
                         std::vector<db::Param>& params) {
  return after ? db::keyset_after(column, "p.id", after->sort_key, after->id, params) : "";
}

std::optional<Invite> one_invite(db::Connection& conn, const std::string& sql, std::string_view a,
                                 std::string_view b) {
  const auto result = conn.query(sql, {a, b});
  if (result.empty()) return std::nullopt;
  return invite_from_row(result[0]);
}

}  // namespace

void insert_project(db::Connection& conn, const Project& p) {
  conn.execute(
      "INSERT INTO projects (id, name, description, visibility, allow_public_comments, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {p.id, p.name,
       p.description ? db::Param(std::string_view(*p.description)) : db::Param(nullptr),
       p.visibility, p.allow_public_comments, p.created_at, p.updated_at});
}

std::optional<Project> find_project(db::Connection& conn, std::string_view id) {
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_PROJECT_COLUMNS " FROM projects p WHERE p.id = $1"), {id});
  if (result.empty()) return std::nullopt;
  return project_from_row(result[0]);
}

std::vector<Project> find_projects(db::Connection& conn, const std::vector<std::string>& ids) {
  std::vector<Project> out;
  if (ids.empty()) return out;
  const auto params = params_of(ids);
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_PROJECT_COLUMNS " FROM projects p WHERE p.id IN (") +
                     placeholders(1, ids.size()) + ")",
                 params);
  for (const auto& row : result.rows) out.push_back(project_from_row(row));
  return out;
}

std::optional<ProjectWithRole> find_project_with_role(db::Connection& conn, std::string_view id,
                                                      std::string_view user_id) {
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_PROJECT_COLUMNS
                             ", a.role FROM projects p LEFT JOIN project_acl a "
                             "ON a.project_id = p.id AND a.user_id = $2 WHERE p.id = $1"),
                 {id, user_id});
  if (result.empty()) return std::nullopt;
  return ProjectWithRole{project_from_row(result[0]), result[0].opt_text(7).value_or("")};
}

void save_project(db::Connection& conn, const Project& p) {
  conn.execute(
      "UPDATE projects SET name = $2, description = $3, visibility = $4, "
      "allow_public_comments = $5, updated_at = $6 WHERE id = $1",
      {p.id, p.name,
       p.description ? db::Param(std::string_view(*p.description)) : db::Param(nullptr),
       p.visibility, p.allow_public_comments, p.updated_at});
}

void touch_project(db::Connection& conn, std::string_view id, int64_t now_ms) {
  conn.execute("UPDATE projects SET updated_at = $2 WHERE id = $1", {id, now_ms});
}

bool delete_project(db::Connection& conn, std::string_view id) {
  // Children first: the schema cascades too, but SQLite only does so with foreign keys enabled
  // on the connection, and explicit statements keep both backends identical.
  conn.execute("DELETE FROM objects WHERE project_id = $1", {id});
  conn.execute("DELETE FROM versions WHERE project_id = $1", {id});
  conn.execute("DELETE FROM models WHERE project_id = $1", {id});
  conn.execute("DELETE FROM project_invites WHERE project_id = $1", {id});
  conn.execute("DELETE FROM project_acl WHERE project_id = $1", {id});
  return conn.execute("DELETE FROM projects WHERE id = $1", {id}) > 0;
}

std::optional<std::string> find_role(db::Connection& conn, std::string_view project_id,
                                     std::string_view user_id) {
  const auto result = conn.query(
      "SELECT role FROM project_acl WHERE project_id = $1 AND user_id = $2", {project_id, user_id});
  if (result.empty()) return std::nullopt;
  return result[0].text(0);
}

void set_role(db::Connection& conn, std::string_view project_id, std::string_view user_id,
              std::string_view role) {
  conn.execute(
      "INSERT INTO project_acl (user_id, project_id, role) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role",
      {user_id, project_id, role});
}

bool remove_role(db::Connection& conn, std::string_view project_id, std::string_view user_id) {
  return conn.execute("DELETE FROM project_acl WHERE project_id = $1 AND user_id = $2",
                      {project_id, user_id}) > 0;
}

int64_t count_role(db::Connection& conn, std::string_view project_id, std::string_view role) {
  return conn
      .query("SELECT COUNT(*) FROM project_acl WHERE project_id = $1 AND role = $2",
             {project_id, role})[0]
      .integer(0);
}

std::vector<Collaborator> list_collaborators(db::Connection& conn,
                                             const std::vector<std::string>& project_ids) {
  std::vector<Collaborator> out;
  if (project_ids.empty()) return out;
  const auto params = params_of(project_ids);
  const auto result = conn.query(
      "SELECT a.project_id, a.user_id, a.role FROM project_acl a JOIN users u ON u.id = a.user_id "
      "WHERE a.project_id IN (" +
          placeholders(1, project_ids.size()) +
          ") ORDER BY CASE a.role WHEN 'stream:owner' THEN 0 WHEN 'stream:contributor' THEN 1 "
          "ELSE 2 END, u.created_at",
      params);
  for (const auto& row : result.rows) out.push_back({row.text(0), row.text(1), row.text(2)});
  return out;
}

Page<ProjectWithRole> list_all_projects(db::Connection& conn, const AllProjectsQuery& q) {
  std::string where = "1 = 1";
  std::vector<std::string> values = {q.viewer_id};
  if (q.search && !q.search->empty()) {
    values.push_back("%" + *q.search + "%");
    const auto n = "$" + std::to_string(values.size());
    where += " AND (LOWER(p.name) LIKE LOWER(" + n +
             ") OR LOWER(COALESCE(p.description, '')) "
             "LIKE LOWER(" +
             n + "))";
  }
  if (q.visibility && !q.visibility->empty()) {
    values.push_back(*q.visibility);
    where += " AND p.visibility = $" + std::to_string(values.size());
  }
  const std::string from =
      " FROM projects p LEFT JOIN project_acl a ON a.project_id = p.id AND a.user_id = $1 WHERE ";
  const std::string column = q.by_creation ? "p.created_at" : "p.updated_at";

  Page<ProjectWithRole> page;
  auto params = params_of(values);
  page.total_count = conn.query("SELECT COUNT(*)" + from + where, params)[0].integer(0);
  if (q.limit <= 0) return page;

  const std::string keyset = keyset_after(column, q.after, params);
  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_PROJECT_COLUMNS ", COALESCE(a.role, '')") + from + where +
          keyset + " ORDER BY " + column + " DESC, p.id DESC LIMIT $" +
          std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size()),
      params);
  for (const auto& row : result.rows) {
    page.items.push_back({project_from_row(row), row.text(7)});
  }
  if (!page.items.empty()) {
    const auto& last = page.items.back().project;
    page.cursor = encode_cursor({q.by_creation ? last.created_at : last.updated_at, last.id});
  }
  return page;
}

Page<ProjectWithRole> list_user_projects(db::Connection& conn, const UserProjectsQuery& q) {
  // Filters shared by the count and the page.
  std::string where = "a.user_id = $1";
  std::vector<std::string> values = {q.user_id};
  if (q.search && !q.search->empty()) {
    values.push_back("%" + *q.search + "%");
    where += " AND LOWER(p.name) LIKE LOWER($" + std::to_string(values.size()) + ")";
  }
  if (!q.roles.empty()) {
    where += " AND a.role IN (" + placeholders(values.size() + 1, q.roles.size()) + ")";
    values.insert(values.end(), q.roles.begin(), q.roles.end());
  }
  const std::string from = " FROM projects p JOIN project_acl a ON a.project_id = p.id WHERE ";

  Page<ProjectWithRole> page;
  auto params = params_of(values);
  page.total_count = conn.query("SELECT COUNT(*)" + from + where, params)[0].integer(0);
  if (q.limit <= 0) return page;

  // Keyset: continue after the cursor's (updated_at, id).
  const std::string keyset = keyset_after("p.updated_at", q.after, params);
  params.emplace_back(q.limit);
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_PROJECT_COLUMNS ", a.role") + from + where + keyset +
          " ORDER BY p.updated_at DESC, p.id DESC LIMIT $" + std::to_string(params.size()),
      params);
  for (const auto& row : result.rows) {
    page.items.push_back({project_from_row(row), row.text(7)});
  }
  if (!page.items.empty()) {
    const auto& last = page.items.back().project;
    page.cursor = encode_cursor({last.updated_at, last.id});
  }
  return page;
}

void insert_invite(db::Connection& conn, const Invite& i) {
  conn.execute(
      "INSERT INTO project_invites (id, project_id, user_id, email, inviter_id, role, token, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {i.id, i.project_id, i.user_id ? db::Param(std::string_view(*i.user_id)) : db::Param(nullptr),
       i.email ? db::Param(std::string_view(*i.email)) : db::Param(nullptr), i.inviter_id, i.role,
       i.token, i.created_at});
}

std::optional<Invite> find_invite_by_token(db::Connection& conn, std::string_view project_id,
                                           std::string_view token) {
  return one_invite(conn,
                    std::string("SELECT " STIPPLE_INVITE_COLUMNS
                                " FROM project_invites WHERE project_id = $1 AND token = $2"),
                    project_id, token);
}

std::optional<Invite> find_invite(db::Connection& conn, std::string_view project_id,
                                  std::string_view invite_id) {
  return one_invite(conn,
                    std::string("SELECT " STIPPLE_INVITE_COLUMNS
                                " FROM project_invites WHERE project_id = $1 AND id = $2"),
                    project_id, invite_id);
}

std::optional<Invite> find_invite_for_user(db::Connection& conn, std::string_view project_id,
                                           std::string_view user_id) {
  return one_invite(conn,
                    std::string("SELECT " STIPPLE_INVITE_COLUMNS
                                " FROM project_invites WHERE project_id = $1 AND user_id = $2"),
                    project_id, user_id);
}

void delete_invite(db::Connection& conn, std::string_view invite_id) {
  conn.execute("DELETE FROM project_invites WHERE id = $1", {invite_id});
}

std::vector<Invite> list_project_invites(db::Connection& conn,
                                         const std::vector<std::string>& project_ids) {
  std::vector<Invite> out;
  if (project_ids.empty()) return out;
  const auto params = params_of(project_ids);
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_INVITE_COLUMNS " FROM project_invites WHERE project_id IN (") +
          placeholders(1, project_ids.size()) + ") ORDER BY created_at, id",
      params);
  for (const auto& row : result.rows) out.push_back(invite_from_row(row));
  return out;
}

std::vector<Invite> list_user_invites(db::Connection& conn, std::string_view user_id) {
  std::vector<Invite> out;
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_INVITE_COLUMNS " FROM project_invites WHERE user_id = $1 "
                  "ORDER BY created_at, id"),
      {user_id});
  for (const auto& row : result.rows) out.push_back(invite_from_row(row));
  return out;
}

}  // namespace stipple::projects
