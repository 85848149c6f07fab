// The business rules of models: creation and renaming under the naming rules, deletion (never of
// `main`), look-ups by id and name, and the folder trees built from `/` in names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "modules/auth/context.h"
#include "modules/models/models.h"

namespace stipple::models {

// The model of that project; BRANCH_NOT_FOUND (404) "Model not found" otherwise, also for a
// model of another project.
Model get_model(db::Connection& conn, std::string_view project_id, std::string_view model_id);
// By name, whatever its case (names are stored lower-case); BRANCH_NOT_FOUND otherwise.
Model get_model_by_name(db::Connection& conn, std::string_view project_id, std::string_view name);
// The legacy `stream.branch(name)`: the same look-up, absent instead of an error.
std::optional<Model> find_model_by_any_case(db::Connection& conn, std::string_view project_id,
                                            std::string_view name);

struct NewModel {
  std::string project_id;
  std::string name;
  std::optional<std::string> description;
};
// Contributors and owners. The name is normalised (normalize_model_name), then validated;
// BRANCH_CREATE_ERROR "A branch with this name already exists" when taken.
Model create_model(db::Connection& conn, const auth::AuthContext& caller, const NewModel& input,
                   int64_t now_ms);
// Legacy branchCreate: as create_model, but the name is only lower-cased, so names with leading,
// trailing or double slashes are refused instead of repaired.
Model create_branch(db::Connection& conn, const auth::AuthContext& caller, const NewModel& input,
                    int64_t now_ms);

struct ModelChanges {
  std::string project_id;
  std::string id;
  std::optional<std::string> name;  // empty counts as absent
  std::optional<std::string> description;
};
// Contributors and owners. A new name is lower-cased and validated. BRANCH_UPDATE_ERROR for an
// unknown model, nothing to change, or a name that is taken.
Model update_model(db::Connection& conn, const auth::AuthContext& caller,
                   const ModelChanges& changes, int64_t now_ms);

// Owners, and contributors for models they created. NOT_FOUND_ERROR for an unknown model;
// BAD_REQUEST_ERROR for the model currently named `main`.
void delete_model(db::Connection& conn, const auth::AuthContext& caller,
                  std::string_view project_id, std::string_view model_id);

// The model named `name` (lower-cased), created when missing (moving versions into it).
Model find_or_create_model(db::Connection& conn, const auth::AuthContext& caller,
                           std::string_view project_id, std::string_view name, int64_t now_ms);

// One node of a model tree: a folder level, with the model of exactly that name if there is one.
struct TreeItem {
  std::string name;       // the last segment
  std::string full_name;  // the whole path
  std::optional<Model> model;
  bool has_children = false;
  int64_t updated_at = 0;  // the latest update in the subtree
};
// The items directly under `parent` ("" for the top level), most recently updated first.
// `parent` is matched case-insensitively.
std::vector<TreeItem> tree_children(const std::vector<Model>& models, std::string_view parent);
// Every model whose name contains `search` (case-insensitively), as flat items.
std::vector<TreeItem> tree_search(const std::vector<Model>& models, std::string_view search);

}  // namespace stipple::models
