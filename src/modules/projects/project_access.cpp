#include "modules/projects/project_access.h"

namespace stipple::projects {

ProjectAccess project_access(db::Connection& conn, std::string_view project_id,
                             std::string_view user_id) {
  const auto result = conn.query(
      "SELECT p.visibility, a.role FROM projects p "
      "LEFT JOIN project_acl a ON a.project_id = p.id AND a.user_id = $2 "
      "WHERE p.id = $1",
      {project_id, user_id});
  ProjectAccess access;
  if (result.empty()) return access;
  const auto& row = result[0];
  access.exists = true;
  const std::string& visibility = row.text(0);
  access.is_public = visibility == "public" || visibility == "unlisted";
  access.role = row.opt_text(1).value_or("");
  return access;
}

}  // namespace stipple::projects
