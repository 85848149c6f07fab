#include "modules/models/model_service.h"

#include <algorithm>
#include <map>

#include "base/error.h"
#include "base/ids.h"
#include "modules/activity/activity.h"
#include "modules/models/model_repository.h"
#include "modules/projects/project_service.h"

namespace stipple::models {
namespace {

Error model_not_found() {
  return Error("BRANCH_NOT_FOUND", "Model not found", 404);
}

Error name_taken() {
  return Error("BRANCH_CREATE_ERROR", "A branch with this name already exists", 400);
}

// Loads the project and checks the caller may write models in it.
projects::ProjectWithRole require_contributor(db::Connection& conn, const auth::AuthContext& caller,
                                              std::string_view project_id) {
  auto project = projects::load_project(conn, caller, project_id);
  projects::require_role(caller, project, auth::kProjectContributor);
  return project;
}

// Inserts a model under an already normalised and validated name.
Model insert_named(db::Connection& conn, const auth::AuthContext& caller, const NewModel& input,
                   std::string name, int64_t now_ms) {
  if (find_model_by_name(conn, input.project_id, name)) throw name_taken();
  Model model;
  model.id = new_id();
  model.project_id = input.project_id;
  model.author_id = caller.user_id;
  model.name = std::move(name);
  model.description = input.description;
  model.created_at = now_ms;
  model.updated_at = now_ms;
  insert_model(conn, model);
  activity::record(conn, {model.project_id,
                          activity::kBranch,
                          model.id,
                          "branch_create",
                          caller.user_id,
                          {{"branch", activity::model_info(model)}},
                          "Branch created: " + model.name + " (" + model.id + ")"});
  return model;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TreeItem item_for(const std::vector<Model>& models, std::string full_name) {
  TreeItem item;
  item.name = display_name(full_name);
  const std::string prefix = full_name + "/";
  for (const auto& m : models) {
    if (m.name == full_name) {
      item.model = m;
    } else if (m.name.rfind(prefix, 0) == 0) {
      item.has_children = true;
    } else {
      continue;
    }
    item.updated_at = std::max(item.updated_at, m.updated_at);
  }
  item.full_name = std::move(full_name);
  return item;
}

void sort_by_update(std::vector<TreeItem>& items) {
  std::sort(items.begin(), items.end(), [](const TreeItem& a, const TreeItem& b) {
    return a.updated_at != b.updated_at ? a.updated_at > b.updated_at : a.full_name < b.full_name;
  });
}

}  // namespace

Model get_model(db::Connection& conn, std::string_view project_id, std::string_view model_id) {
  auto model = find_model(conn, project_id, model_id);
  if (!model) throw model_not_found();
  return std::move(*model);
}

Model get_model_by_name(db::Connection& conn, std::string_view project_id, std::string_view name) {
  auto model = find_model_by_any_case(conn, project_id, name);
  if (!model) throw model_not_found();
  return std::move(*model);
}

std::optional<Model> find_model_by_any_case(db::Connection& conn, std::string_view project_id,
                                            std::string_view name) {
  return find_model_by_name(conn, project_id, lower_case(name));
}

Model create_model(db::Connection& conn, const auth::AuthContext& caller, const NewModel& input,
                   int64_t now_ms) {
  require_contributor(conn, caller, input.project_id);
  auto name = normalize_model_name(input.name);
  validate_model_name(name);
  return conn.transaction(
      [&] { return insert_named(conn, caller, input, std::move(name), now_ms); });
}

Model create_branch(db::Connection& conn, const auth::AuthContext& caller, const NewModel& input,
                    int64_t now_ms) {
  require_contributor(conn, caller, input.project_id);
  auto name = lower_case(input.name);
  validate_model_name(name);
  return conn.transaction(
      [&] { return insert_named(conn, caller, input, std::move(name), now_ms); });
}

Model update_model(db::Connection& conn, const auth::AuthContext& caller,
                   const ModelChanges& changes, int64_t now_ms) {
  require_contributor(conn, caller, changes.project_id);
  auto model = find_model(conn, changes.project_id, changes.id);
  if (!model) throw Error("BRANCH_UPDATE_ERROR", "Branch not found", 400);

  const bool renames = changes.name && !changes.name->empty();
  if (!renames && !changes.description) {
    throw Error("BRANCH_UPDATE_ERROR", "Please specify a property to update", 400);
  }
  if (renames) {
    auto name = lower_case(*changes.name);
    validate_model_name(name);
    const auto holder = find_model_by_name(conn, changes.project_id, name);
    if (holder && holder->id != model->id) {
      throw Error("BRANCH_UPDATE_ERROR",
                  "A branch with this name already exists in the parent stream", 400);
    }
    model->name = std::move(name);
  }
  const auto old = activity::model_info(*model);
  if (changes.description) model->description = *changes.description;
  model->updated_at = now_ms;
  // The input as upstream records it: name and description always present, null when unset.
  const auto or_null = [](const std::optional<std::string>& value) {
    return value && !value->empty() ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  boost::json::object asked{{"projectId", changes.project_id},
                            {"id", changes.id},
                            {"name", renames ? boost::json::value(model->name) : nullptr},
                            {"description", or_null(changes.description)}};
  conn.transaction([&] {
    save_model(conn, *model);
    activity::record(conn, {model->project_id,
                            activity::kBranch,
                            model->id,
                            "branch_update",
                            caller.user_id,
                            {{"old", old}, {"new", std::move(asked)}},
                            "Branch metadata changed for branch " + model->id});
  });
  return std::move(*model);
}

void delete_model(db::Connection& conn, const auth::AuthContext& caller,
                  std::string_view project_id, std::string_view model_id) {
  const auto project = require_contributor(conn, caller, project_id);
  const auto model = find_model(conn, project_id, model_id);
  if (!model) throw not_found("Model not found");
  if (model->name == kMainModelName) throw bad_request("The 'main' model cannot be deleted");

  // Contributors delete only what they created; owners anything.
  const bool owner = project.role == auth::kProjectOwner;
  if (!owner && model->author_id != caller.user_id) {
    throw forbidden("You do not have enough permissions in the project to perform this action");
  }
  conn.transaction([&] {
    models::delete_model(conn, project_id, model_id);
    activity::record(
        conn,
        {model->project_id,
         activity::kBranch,
         model->id,
         "branch_delete",
         caller.user_id,
         {{"branch", {{"projectId", model->project_id}, {"id", model->id}, {"name", model->name}}}},
         "Branch deleted: '" + model->name + "' (" + model->id + ")"});
  });
}

Model find_or_create_model(db::Connection& conn, const auth::AuthContext& caller,
                           std::string_view project_id, std::string_view name, int64_t now_ms) {
  auto lowered = lower_case(name);
  validate_model_name(lowered);
  if (auto existing = find_model_by_name(conn, project_id, lowered)) return std::move(*existing);
  return insert_named(conn, caller, NewModel{std::string(project_id), lowered, std::nullopt},
                      std::move(lowered), now_ms);
}

std::vector<TreeItem> tree_children(const std::vector<Model>& models, std::string_view parent) {
  const std::string prefix = parent.empty() ? std::string() : lower_case(parent) + "/";

  // The distinct next segments under the prefix.
  std::map<std::string, bool> full_names;
  for (const auto& m : models) {
    if (m.name.size() <= prefix.size() || m.name.rfind(prefix, 0) != 0) continue;
    const auto slash = m.name.find('/', prefix.size());
    full_names.emplace(m.name.substr(0, slash), true);
  }

  std::vector<TreeItem> items;
  for (const auto& [full_name, unused] : full_names) items.push_back(item_for(models, full_name));
  sort_by_update(items);
  return items;
}

std::vector<TreeItem> tree_search(const std::vector<Model>& models, std::string_view search) {
  const auto needle = lower_case(search);
  std::vector<TreeItem> items;
  for (const auto& m : models) {
    if (contains(lower_case(m.name), needle)) items.push_back(item_for(models, m.name));
  }
  sort_by_update(items);
  return items;
}

}  // namespace stipple::models
