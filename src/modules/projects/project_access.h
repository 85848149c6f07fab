// What a caller may do with a project starts from three facts: whether it exists, whether it is
// readable by anyone, and the caller's role in it. Other modules ask here instead of reading the
// projects tables themselves.
#pragma once

#include <string>
#include <string_view>

#include "db/database.h"

namespace stipple::projects {

struct ProjectAccess {
  bool exists = false;
  bool is_public = false;  // public and unlisted projects are readable without a role
  std::string role;        // the user's project role (auth::kProject*), "" for none
};

// Reads the project and `user_id`'s role in it (no role is looked up when user_id is empty).
ProjectAccess project_access(db::Connection& conn, std::string_view project_id,
                             std::string_view user_id);

}  // namespace stipple::projects
