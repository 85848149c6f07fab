// SQL for models. Blocking functions taking a Connection; the service layer decides who may call
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "modules/models/models.h"
#include "modules/projects/pagination.h"

namespace stipple::models {

void insert_model(db::Connection& conn, const Model& model);
// The model with that id in that project.
std::optional<Model> find_model(db::Connection& conn, std::string_view project_id,
                                std::string_view id);
// Models by id, whatever their project, in no particular order.
std::vector<Model> find_models(db::Connection& conn, const std::vector<std::string>& ids);
// Exact comparison with the stored name.
std::optional<Model> find_model_by_name(db::Connection& conn, std::string_view project_id,
                                        std::string_view name);
// Writes name, description and updated_at.
void save_model(db::Connection& conn, const Model& model);
void touch_model(db::Connection& conn, std::string_view id, int64_t now_ms);
// Deletes the model and its versions; false when it was not in the project.
bool delete_model(db::Connection& conn, std::string_view project_id, std::string_view id);

struct ModelsQuery {
  std::string project_id;
  std::optional<std::string> search;      // case-insensitive substring of the name
  std::vector<std::string> source_apps;   // with a version from one of these applications
  std::vector<std::string> contributors;  // with a version authored by one of these users
  bool only_with_versions = false;
  std::optional<std::vector<std::string>> ids;  // only these
  std::vector<std::string> exclude_ids;
  // Leave out `main` while it has no versions, as project.models does.
  bool hide_empty_main = true;
  int64_t limit = 25;
  std::optional<projects::Cursor> after;
};
// Most recently updated first.
projects::Page<Model> list_models(db::Connection& conn, const ModelsQuery& query);

// The first page of project.models for several projects at once, with no filter: per project,
// the number of models it shows (`main` hidden while it has no versions), and its `per_project`
// most recently updated such models, grouped by project in list_models' order.
std::vector<int64_t> count_listed_models(db::Connection& conn,
                                         const std::vector<std::string>& project_ids);
std::vector<Model> latest_listed_models(db::Connection& conn,
                                        const std::vector<std::string>& project_ids,
                                        int64_t per_project);

// Every model of a project, oldest first (legacy branches, model trees).
std::vector<Model> list_project_models(db::Connection& conn, std::string_view project_id);

// Ids, among `model_ids`, of models that have at least one version.
std::vector<std::string> models_with_versions(db::Connection& conn,
                                              const std::vector<std::string>& model_ids);

}  // namespace stipple::models
