// Who may use the object routes. The answers follow the upstream server's, which differ by
// route family: the legacy routes (/objects, /api/diff, /api/getobjects) refuse with an empty 401
// (404 for a signed-in caller asking for a project that does not exist); the object-stream route
// answers 403 or 404 with a JSON {"error": ...} message.
#pragma once

#include <string>
#include <string_view>

#include "modules/auth/context.h"
#include "modules/projects/project_access.h"

namespace stipple::objects {

struct Verdict {
  int status = 200;     // 200 = allowed
  std::string message;  // for the object-stream family; empty for the legacy routes

  bool allowed() const { return status == 200; }
};

// Upload and diff: a token with streams:write, a server role that may write, and at least the
// contributor role in an existing project.
Verdict check_write(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                    std::string_view project_id);

// /single, the full download and getobjects: anyone on a public project; otherwise a token with
// streams:read and at least the reviewer role.
Verdict check_read(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                   std::string_view project_id);

// Object-stream: as check_read, with the object-stream answers.
Verdict check_stream_read(const auth::AuthContext& caller, const projects::ProjectAccess& project,
                          std::string_view project_id);

}  // namespace stipple::objects
