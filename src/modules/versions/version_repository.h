// SQL for versions. Blocking functions taking a Connection; the service layer decides who may
// call them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.h"
#include "modules/projects/pagination.h"
#include "modules/versions/versions.h"

namespace stipple::versions {

void insert_version(db::Connection& conn, const Version& version);
std::optional<Version> find_version(db::Connection& conn, std::string_view project_id,
                                    std::string_view id);
// Versions of a project by id; those not found are missing from the result.
std::vector<Version> find_versions(db::Connection& conn, std::string_view project_id,
                                   const std::vector<std::string>& ids);
// Writes message and model.
void save_version(db::Connection& conn, const Version& version);
void delete_versions(db::Connection& conn, std::string_view project_id,
                     const std::vector<std::string>& ids);

struct VersionsQuery {
  std::string project_id;                // empty with author_id set: any project
  std::optional<std::string> model_id;   // only this model's
  std::optional<std::string> author_id;  // only this author's
  int64_t limit = 25;
  std::optional<projects::Cursor> after;
  // These come first (when they belong to the list); with priority_only, nothing else.
  std::vector<std::string> priority_ids;
  bool priority_only = false;
};
// Newest first.
projects::Page<Version> list_versions(db::Connection& conn, const VersionsQuery& query);

// Number of versions of each model of `model_ids` (0 for models without versions), in order.
std::vector<int64_t> count_model_versions(db::Connection& conn,
                                          const std::vector<std::string>& model_ids);

// The newest `per_model` versions of each model of `model_ids`, newest first within a model.
std::vector<Version> latest_versions(db::Connection& conn,
                                     const std::vector<std::string>& model_ids, int64_t per_model);

// The distinct source applications of a project's versions, as sent.
std::vector<std::string> project_source_apps(db::Connection& conn, std::string_view project_id);

// The root object's stored child count: nullopt when the project has no such object; an empty
// inner optional when the column is NULL (objects uploaded through REST).
std::optional<std::optional<int64_t>> root_object_child_count(db::Connection& conn,
                                                              std::string_view project_id,
                                                              std::string_view object_id);

}  // namespace stipple::versions
