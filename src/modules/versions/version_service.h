// The business rules of versions: creation on a model from a root object already stored in the
// project, message edits, moves between models, deletion and "received" notices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "modules/auth/context.h"
#include "modules/models/models.h"
#include "modules/versions/versions.h"

namespace stipple::versions {

// The version of that project; COMMIT_NOT_FOUND (404) "Version not found" otherwise.
Version get_version(db::Connection& conn, std::string_view project_id, std::string_view version_id);

struct NewVersion {
  std::string project_id;
  std::string model_id;
  std::string object_id;
  std::optional<std::string> message;  // empty is stored as absent
  std::optional<std::string> source_application;
  std::optional<std::vector<std::string>> parents;  // stored as sent, unchecked
};
// Contributors and owners. COMMIT_CREATE_ERROR when the model is not in the project or the root
// object is not stored in it. totalChildrenCount comes from the root object's row (1 when NULL).
Version create_version(db::Connection& conn, const auth::AuthContext& caller,
                       const NewVersion& input, int64_t now_ms);

struct NewCommit {
  std::string project_id;
  std::string branch_name;  // a model name in any case, or a model id
  std::string object_id;
  std::optional<std::string> message;
  std::optional<std::string> source_application;
  std::optional<int64_t> total_children_count;  // stored when given
  std::optional<std::vector<std::string>> parents;
};
// Legacy commitCreate: as create_version, with the model found by name or id, and the client's
// totalChildrenCount kept when it sent one.
Version create_commit(db::Connection& conn, const auth::AuthContext& caller, const NewCommit& input,
                      int64_t now_ms);

// Changes the message. Owners edit any version, contributors their own; NOT_FOUND_ERROR for an
// unknown version.
Version update_version(db::Connection& conn, const auth::AuthContext& caller,
                       std::string_view project_id, std::string_view version_id,
                       const std::optional<std::string>& message);

// Moves versions to the model named `target_name` (lower-cased), created when missing.
// COMMIT_BATCH_UPDATE_ERROR for an invalid name; NOT_FOUND_ERROR for an unknown version.
models::Model move_versions(db::Connection& conn, const auth::AuthContext& caller,
                            std::string_view project_id, const std::vector<std::string>& ids,
                            std::string_view target_name, int64_t now_ms);

// Owners delete any version, contributors their own; NOT_FOUND_ERROR for an unknown version.
void delete_versions(db::Connection& conn, const auth::AuthContext& caller,
                     std::string_view project_id, const std::vector<std::string>& ids);

// A connector tells that it loaded a version. Needs the "load" permission (contributor);
// COMMIT_RECEIVE_ERROR for an unknown version. The notice is recorded in the activity feed.
struct ReceiveNotice {
  std::optional<std::string> source_application;
  std::optional<std::string> message;
};
void mark_received(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id, std::string_view version_id,
                   const ReceiveNotice& notice = {});

}  // namespace stipple::versions
