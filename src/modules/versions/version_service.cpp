#include "modules/versions/version_service.h"

#include <boost/json.hpp>

#include "base/error.h"
#include "base/error_details.h"
#include "base/ids.h"
#include "modules/activity/activity.h"
#include "modules/models/model_repository.h"
#include "modules/models/model_service.h"
#include "modules/projects/project_repository.h"
#include "modules/projects/project_service.h"
#include "modules/versions/version_repository.h"

namespace stipple::versions {
namespace {

constexpr const char* kNotEnough =
    "You do not have enough permissions in the project to perform this action";

Error create_error(std::string message) {
  return Error("COMMIT_CREATE_ERROR", std::move(message), 400);
}

// As upstream, a refused versionMutations.create names the version it was asked to create.
DetailedError create_error(std::string message, const auth::AuthContext& caller,
                           const NewVersion& input) {
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  boost::json::array parents;
  if (input.parents) {
    for (const auto& parent : *input.parents) parents.emplace_back(parent);
  }
  const boost::json::object details{{"authorId", caller.user_id},
                                    {"branchId", input.model_id},
                                    {"message", optional(input.message)},
                                    {"objectId", input.object_id},
                                    {"parents", std::move(parents)},
                                    {"sourceApplication", optional(input.source_application)},
                                    {"streamId", input.project_id}};
  return DetailedError(create_error(std::move(message)), boost::json::serialize(details));
}

projects::ProjectWithRole require_contributor(db::Connection& conn, const auth::AuthContext& caller,
                                              std::string_view project_id) {
  auto project = projects::load_project(conn, caller, project_id);
  projects::require_role(caller, project, auth::kProjectContributor);
  return project;
}

// The versions of `ids`, all of which must exist and be editable by the caller.
std::vector<Version> editable_versions(db::Connection& conn, const auth::AuthContext& caller,
                                       const projects::ProjectWithRole& project,
                                       const std::vector<std::string>& ids) {
  auto found = find_versions(conn, project.project.id, ids);
  for (const auto& id : ids) {
    const bool present =
        std::any_of(found.begin(), found.end(), [&](const Version& v) { return v.id == id; });
    if (!present) throw not_found("Version not found");
  }
  if (project.role != auth::kProjectOwner) {
    for (const auto& v : found) {
      if (v.author_id != caller.user_id) throw forbidden(kNotEnough);
    }
  }
  return found;
}

// Inserts the version, marks its model and project as updated and records the activity.
Version insert(db::Connection& conn, const auth::AuthContext& caller, Version version,
               const std::string& model_name) {
  auto commit = activity::version_info(version);
  commit["branchName"] = model_name;
  commit["objectId"] = version.referenced_object;
  commit["streamId"] = version.project_id;
  commit["projectId"] = version.project_id;
  commit["modelId"] = version.model_id;
  commit["versionId"] = version.id;
  const std::string message = "Commit created on branch " + model_name + ": " + version.id + " (" +
                              version.message.value_or("null") + ")";
  conn.transaction([&] {
    insert_version(conn, version);
    models::touch_model(conn, version.model_id, version.created_at);
    projects::touch_project(conn, version.project_id, version.created_at);
    activity::record(conn, {version.project_id,
                            activity::kCommit,
                            version.id,
                            "commit_create",
                            caller.user_id,
                            {{"id", version.id}, {"commit", std::move(commit)}},
                            message});
  });
  return version;
}

Version base_version(const auth::AuthContext& caller, std::string project_id, std::string model_id,
                     std::string object_id, const std::optional<std::string>& message,
                     const std::optional<std::string>& source_application, int64_t now_ms) {
  Version v;
  v.id = new_id();
  v.project_id = std::move(project_id);
  v.model_id = std::move(model_id);
  v.referenced_object = std::move(object_id);
  v.author_id = caller.user_id;
  if (message && !message->empty()) v.message = *message;
  v.source_application = source_application;
  v.created_at = now_ms;
  return v;
}

}  // namespace

Version get_version(db::Connection& conn, std::string_view project_id,
                    std::string_view version_id) {
  auto version = find_version(conn, project_id, version_id);
  if (!version) throw Error("COMMIT_NOT_FOUND", "Version not found", 404);
  return std::move(*version);
}

Version create_version(db::Connection& conn, const auth::AuthContext& caller,
                       const NewVersion& input, int64_t now_ms) {
  require_contributor(conn, caller, input.project_id);
  const auto model = models::find_model(conn, input.project_id, input.model_id);
  if (!model) {
    throw create_error("Failed to find branch with id " + input.model_id + ".", caller, input);
  }
  const auto child_count = root_object_child_count(conn, input.project_id, input.object_id);
  if (!child_count) throw create_error("Couldn't find commit object", caller, input);

  auto version = base_version(caller, input.project_id, input.model_id, input.object_id,
                              input.message, input.source_application, now_ms);
  version.total_children_count = child_count->value_or(1);
  version.parents = input.parents.value_or(std::vector<std::string>{});
  return insert(conn, caller, std::move(version), model->name);
}

Version create_commit(db::Connection& conn, const auth::AuthContext& caller, const NewCommit& input,
                      int64_t now_ms) {
  require_contributor(conn, caller, input.project_id);
  auto model = models::find_model_by_any_case(conn, input.project_id, input.branch_name);
  if (!model) model = models::find_model(conn, input.project_id, input.branch_name);
  if (!model) {
    throw create_error("Failed to find branch with name or id " + input.branch_name + ".");
  }
  const auto child_count = root_object_child_count(conn, input.project_id, input.object_id);
  if (!child_count) throw create_error("Couldn't find commit object");

  auto version = base_version(caller, input.project_id, model->id, input.object_id, input.message,
                              input.source_application, now_ms);
  version.total_children_count =
      input.total_children_count ? input.total_children_count : child_count->value_or(1);
  version.parents = input.parents;
  return insert(conn, caller, std::move(version), model->name);
}

Version update_version(db::Connection& conn, const auth::AuthContext& caller,
                       std::string_view project_id, std::string_view version_id,
                       const std::optional<std::string>& message) {
  const auto project = require_contributor(conn, caller, project_id);
  auto version =
      std::move(editable_versions(conn, caller, project, {std::string(version_id)}).front());
  auto old = activity::version_info(version);
  if (message) {
    version.message = message->empty() ? std::nullopt : std::optional<std::string>(*message);
  }
  const boost::json::object asked{
      {"versionId", version.id},
      {"message", message ? boost::json::value(*message) : boost::json::value(nullptr)}};
  conn.transaction([&] {
    save_version(conn, version);
    activity::record(conn, {version.project_id,
                            activity::kCommit,
                            version.id,
                            "commit_update",
                            caller.user_id,
                            {{"old", std::move(old)}, {"new", asked}},
                            "Commit updated: " + version.id});
  });
  return version;
}

models::Model move_versions(db::Connection& conn, const auth::AuthContext& caller,
                            std::string_view project_id, const std::vector<std::string>& ids,
                            std::string_view target_name, int64_t now_ms) {
  const auto project = require_contributor(conn, caller, project_id);
  try {
    models::validate_model_name(models::lower_case(target_name));
  } catch (const Error& e) {
    throw Error("COMMIT_BATCH_UPDATE_ERROR", std::string("Batch commit move failed: ") + e.what(),
                400);
  }
  auto versions = editable_versions(conn, caller, project, ids);

  return conn.transaction([&] {
    auto target = models::find_or_create_model(conn, caller, project_id, target_name, now_ms);
    for (auto& v : versions) {
      const std::string original = v.model_id;
      v.model_id = target.id;
      save_version(conn, v);
      activity::record(conn, {v.project_id,
                              activity::kCommit,
                              v.id,
                              "commit_move",
                              caller.user_id,
                              {{"originalBranchId", original}, {"newBranchId", target.id}},
                              "Commit moved: " + v.id});
    }
    models::touch_model(conn, target.id, now_ms);
    target.updated_at = now_ms;
    return target;
  });
}

void delete_versions(db::Connection& conn, const auth::AuthContext& caller,
                     std::string_view project_id, const std::vector<std::string>& ids) {
  const auto project = require_contributor(conn, caller, project_id);
  const auto deleted = editable_versions(conn, caller, project, ids);
  conn.transaction([&] {
    versions::delete_versions(conn, project_id, ids);
    for (const auto& v : deleted) {
      activity::record(conn, {v.project_id,
                              activity::kCommit,
                              v.id,
                              "commit_delete",
                              caller.user_id,
                              {{"commit", activity::version_info(v)}},
                              "Commit deleted: " + v.id});
    }
  });
}

void mark_received(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id, std::string_view version_id,
                   const ReceiveNotice& notice) {
  const auto project = projects::load_project(conn, caller, project_id);
  if (projects::has_role(caller, project, auth::kProjectContributor) ==
      projects::Permission::kProjectNotEnoughPermissions) {
    throw forbidden("Your role on this project doesn't give you permission to load.");
  }
  projects::require_role(caller, project, auth::kProjectContributor);
  if (!find_version(conn, project_id, version_id)) {
    throw Error("COMMIT_RECEIVE_ERROR",
                "Failed to find commit with id " + std::string(version_id) + " in stream " +
                    std::string(project_id) + ".",
                400);
  }
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  const std::string id(version_id);
  activity::record(conn, {std::string(project_id),
                          activity::kCommit,
                          id,
                          "commit_receive",
                          caller.user_id,
                          {{"sourceApplication", optional(notice.source_application)},
                           {"message", optional(notice.message)}},
                          "Commit " + id + " was received by user " + caller.user_id});
}

}  // namespace stipple::versions
