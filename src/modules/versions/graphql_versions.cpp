// GraphQL resolvers of versions: the version lists of projects, models and users,
// versionMutations, and the legacy commit API.
#include <functional>
#include <unordered_map>

#include "base/error.h"
#include "graphql/loader.h"
#include "modules/live/live.h"
#include "modules/models/model_repository.h"
#include "modules/models/model_service.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_repository.h"
#include "modules/projects/project_service.h"
#include "modules/versions/version_repository.h"
#include "modules/versions/version_service.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;

constexpr int64_t kMaxVersions = 100;

// Not a coroutine itself: GCC 12 mishandles coroutines that take a lambda by value.
template <class F>
asio::awaitable<json::value> with_db(ResolveContext& ctx, F work) {
  return request(ctx).database->run(std::move(work));
}

// The first page of a model's versions, loaded for every model of the request at once. The key
// is "<model id>\n<limit>".
using FirstPageLoader = graphql::Loader<std::string, json::value>;

FirstPageLoader& first_page_loader(ResolveContext& ctx) {
  auto& req = request(ctx);
  db::Database* database = req.database;
  return req.get_or_make<FirstPageLoader>("core.model_versions", [database] {
    return new FirstPageLoader(
        [database](std::vector<std::string> keys) -> asio::awaitable<std::vector<json::value>> {
          const auto load = [&keys](db::Connection& conn) {
            return first_pages<versions::Version>(
                conn, keys, versions::count_model_versions, versions::latest_versions,
                [](const versions::Version& v) { return v.model_id; },
                [](const versions::Version& v) { return v.created_at; }, version_json);
          };
          co_return co_await database->run(std::ref(load));
        });
  });
}

asio::awaitable<json::value> version_page(ResolveContext& ctx, versions::VersionsQuery query) {
  return with_db(ctx, [query](db::Connection& conn) -> json::value {
    return page_json(versions::list_versions(conn, query), version_json);
  });
}

// Reads limit and cursor arguments into a query.
void read_paging(ResolveContext& ctx, versions::VersionsQuery& query) {
  query.limit = opt_int(ctx.args, "limit").value_or(25);
  projects::check_page_limit(query.limit, kMaxVersions);
  if (auto cursor = opt_string(ctx.args, "cursor")) query.after = projects::decode_cursor(*cursor);
}

json::object commit_json(const versions::Version& v) {
  auto j = version_json(v);
  j["sourceApplication"] = v.source_application ? json::value(*v.source_application) : nullptr;
  j["streamId"] = v.project_id;
  j["authorId"] = v.author_id ? json::value(*v.author_id) : nullptr;
  return j;
}

void bind_version_lists(graphql::Schema& schema) {
  schema.resolve("Project", "versions", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    versions::VersionsQuery query;
    query.project_id = parent_string(ctx, "id");
    read_paging(ctx, query);
    co_return co_await version_page(ctx, query);
  });

  schema.resolve("Project", "version", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const std::string id(ctx.args.at("id").as_string());
    const auto work1 = [=](db::Connection& conn) -> json::value {
      return version_json(versions::get_version(conn, project_id, id));
    };
    co_return co_await with_db(ctx, std::ref(work1));
  });

  schema.resolve("Model", "versions", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    versions::VersionsQuery query;
    query.project_id = parent_string(ctx, "projectId");
    query.model_id = parent_string(ctx, "id");
    read_paging(ctx, query);
    if (const auto* f = ctx.arg("filter"); f && f->is_object()) {
      query.priority_ids = string_list(f->as_object(), "priorityIds");
      query.priority_only = opt_bool(f->as_object(), "priorityIdsOnly").value_or(false);
    }
    // The common case, a first page, is batched across the models of the request.
    if (!query.after && query.priority_ids.empty() && !query.priority_only) {
      co_return co_await first_page_loader(ctx).load(*query.model_id + "\n" +
                                                     std::to_string(query.limit));
    }
    co_return co_await version_page(ctx, query);
  });

  schema.resolve("Model", "version", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "projectId");
    const auto model_id = parent_string(ctx, "id");
    const std::string id(ctx.args.at("id").as_string());
    const auto work2 = [=](db::Connection& conn) -> json::value {
      const auto v = versions::get_version(conn, project_id, id);
      if (v.model_id != model_id) throw Error("COMMIT_NOT_FOUND", "Version not found", 404);
      return version_json(v);
    };
    co_return co_await with_db(ctx, std::ref(work2));
  });

  const auto user_versions = [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    versions::VersionsQuery query;
    query.author_id = parent_string(ctx, "id");
    query.limit = opt_int(ctx.args, "limit").value_or(25);
    if (auto cursor = opt_string(ctx.args, "cursor"))
      query.after = projects::decode_cursor(*cursor);
    const auto work3 = [query](db::Connection& conn) -> json::value {
      return page_json(versions::list_versions(conn, query), commit_json);
    };
    co_return co_await with_db(ctx, std::ref(work3));
  };
  schema.resolve("User", "versions", user_versions);
  schema.resolve("User", "commits", user_versions);
}

void bind_version_fields(graphql::Schema& schema) {
  schema.resolve("Version", "authorUser", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return co_await load_limited_user(ctx, parent_string(ctx, "_authorId"));
  });

  schema.resolve("Version", "model", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "_projectId");
    const auto model_id = parent_string(ctx, "_modelId");
    const auto work4 = [=](db::Connection& conn) -> json::value {
      return model_json(models::get_model(conn, project_id, model_id));
    };
    co_return co_await with_db(ctx, std::ref(work4));
  });

  schema.resolve_sync("Version", "previewUrl", [](ResolveContext& ctx) -> json::value {
    const auto& config = *request(ctx).config;
    return json::value(config.canonical_url + "/preview/" + parent_string(ctx, "_projectId") +
                       "/commits/" + parent_string(ctx, "id"));
  });

  schema.resolve("Version", "permissions", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "_projectId");
    const auto author_id = parent_string(ctx, "_authorId");
    const auto caller = request(ctx).caller;
    const auto work5 = [=](db::Connection& conn) -> json::value {
      const auto project = projects::load_project(conn, caller, project_id);
      const auto load = projects::has_role(caller, project, auth::kProjectContributor);
      auto update = load;
      if (load == projects::Permission::kOk && project.role != auth::kProjectOwner &&
          author_id != caller.user_id) {
        update = projects::Permission::kProjectNotEnoughPermissions;
      }
      return json::object{{"canUpdate", permission_json(update)},
                          {"canReceive", permission_json(load)}};
    };
    co_return co_await with_db(ctx, std::ref(work5));
  });
}

// Tells live subscribers about a version that was created or changed (its JSON form).
void announce_version(ResolveContext& ctx, std::string_view type, const json::value& version) {
  const auto& v = version.as_object();
  live::announce_version(request(ctx), type, std::string(v.at("_projectId").as_string()),
                         std::string(v.at("_modelId").as_string()),
                         std::string(v.at("id").as_string()), version);
}

// The model of each version about to be deleted, by version id; unknown ids are left out (the
// deletion reports them).
std::vector<std::pair<std::string, std::string>> models_of(db::Connection& conn,
                                                           const std::string& project_id,
                                                           const std::vector<std::string>& ids) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& id : ids) {
    if (const auto version = versions::find_version(conn, project_id, id)) {
      out.emplace_back(id, version->model_id);
    }
  }
  return out;
}

void announce_deleted(ResolveContext& ctx, const std::string& project_id,
                      const std::vector<std::pair<std::string, std::string>>& deleted) {
  for (const auto& [id, model_id] : deleted) {
    live::announce_version(request(ctx), "DELETED", project_id, model_id, id, nullptr);
  }
}

void bind_version_mutations(graphql::Schema& schema) {
  schema.resolve_sync("Mutation", "versionMutations",
                      [](ResolveContext&) -> json::value { return json::object{}; });

  schema.resolve(
      "VersionMutations", "create", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        versions::NewVersion input{
            std::string(i.at("projectId").as_string()), std::string(i.at("modelId").as_string()),
            std::string(i.at("objectId").as_string()),  opt_string(i, "message"),
            opt_string(i, "sourceApplication"),         std::nullopt};
        if (const auto* parents = i.if_contains("parents"); parents && parents->is_array()) {
          input.parents = string_list(i, "parents");
        }
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work6 = [=](db::Connection& conn) -> json::value {
          return version_json(versions::create_version(conn, caller, input, now));
        };
        auto version = co_await with_db(ctx, std::ref(work6));
        announce_version(ctx, "CREATED", version);
        co_return version;
      });

  schema.resolve(
      "VersionMutations", "update", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        const std::string project_id(i.at("projectId").as_string());
        const std::string id(i.at("versionId").as_string());
        const auto message = opt_string(i, "message");
        const auto caller = request(ctx).caller;
        const auto work7 = [=](db::Connection& conn) -> json::value {
          return version_json(versions::update_version(conn, caller, project_id, id, message));
        };
        auto version = co_await with_db(ctx, std::ref(work7));
        announce_version(ctx, "UPDATED", version);
        co_return version;
      });

  schema.resolve(
      "VersionMutations", "moveToModel", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        const std::string project_id(i.at("projectId").as_string());
        const auto ids = string_list(i, "versionIds");
        const std::string target(i.at("targetModelName").as_string());
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work8 = [=](db::Connection& conn) -> json::value {
          return model_json(versions::move_versions(conn, caller, project_id, ids, target, now));
        };
        auto model = co_await with_db(ctx, std::ref(work8));
        const std::string model_id(model.as_object().at("id").as_string());
        for (const auto& id : ids) {
          live::announce_version(request(ctx), "UPDATED", project_id, model_id, id, nullptr);
        }
        co_return model;
      });

  schema.resolve("VersionMutations", "delete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("projectId").as_string());
                   const auto ids = string_list(i, "versionIds");
                   const auto caller = request(ctx).caller;
                   const auto work9 = [=](db::Connection& conn) {
                     auto models = models_of(conn, project_id, ids);
                     versions::delete_versions(conn, caller, project_id, ids);
                     return models;
                   };
                   const auto deleted = co_await request(ctx).database->run(std::ref(work9));
                   announce_deleted(ctx, project_id, deleted);
                   co_return true;
                 });

  schema.resolve("VersionMutations", "markReceived",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("projectId").as_string());
                   const std::string id(i.at("versionId").as_string());
                   const auto caller = request(ctx).caller;
                   const versions::ReceiveNotice notice{opt_string(i, "sourceApplication"),
                                                        opt_string(i, "message")};
                   const auto work10 = [=](db::Connection& conn) {
                     versions::mark_received(conn, caller, project_id, id, notice);
                   };
                   co_await request(ctx).database->run(std::ref(work10));
                   co_return true;
                 });
}

void bind_legacy_commits(graphql::Schema& schema) {
  const auto commits = [](ResolveContext& ctx, bool of_branch) -> asio::awaitable<json::value> {
    versions::VersionsQuery query;
    query.project_id = parent_string(ctx, of_branch ? "projectId" : "id");
    if (of_branch) query.model_id = parent_string(ctx, "id");
    read_paging(ctx, query);
    // Legacy lists answer everything for limit 0.
    if (query.limit == 0) query.limit = kMaxVersions;
    const auto work11 = [query](db::Connection& conn) -> json::value {
      return page_json(versions::list_versions(conn, query), commit_json);
    };
    co_return co_await with_db(ctx, std::ref(work11));
  };
  schema.resolve("Stream", "commits",
                 [commits](ResolveContext& ctx) { return commits(ctx, false); });
  schema.resolve("Branch", "commits",
                 [commits](ResolveContext& ctx) { return commits(ctx, true); });

  schema.resolve("Stream", "commit", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const auto id = opt_string(ctx.args, "id");
    const auto work12 = [=](db::Connection& conn) -> json::value {
      if (id) return commit_json(versions::get_version(conn, project_id, *id));
      const auto latest = versions::list_versions(conn, {.project_id = project_id, .limit = 1});
      return latest.items.empty() ? json::value(nullptr)
                                  : json::value(commit_json(latest.items[0]));
    };
    co_return co_await with_db(ctx, std::ref(work12));
  });

  // Commit fields that need the model, the project or the author.
  schema.resolve("Commit", "branchName", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "_projectId");
    const auto model_id = parent_string(ctx, "_modelId");
    const auto work13 = [=](db::Connection& conn) -> json::value {
      const auto model = models::find_model(conn, project_id, model_id);
      return model ? json::value(model->name) : json::value(nullptr);
    };
    co_return co_await with_db(ctx, std::ref(work13));
  });
  schema.resolve("Commit", "streamName", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "_projectId");
    const auto work14 = [=](db::Connection& conn) -> json::value {
      const auto project = projects::find_project(conn, project_id);
      return project ? json::value(project->name) : json::value(nullptr);
    };
    co_return co_await with_db(ctx, std::ref(work14));
  });
  schema.resolve("Commit", "authorName", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto user = co_await load_limited_user(ctx, parent_string(ctx, "_authorId"));
    co_return user.is_object() ? user.as_object().at("name") : json::value(nullptr);
  });
  schema.resolve("Commit", "authorAvatar", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto user = co_await load_limited_user(ctx, parent_string(ctx, "_authorId"));
    co_return user.is_object() ? user.as_object().at("avatar") : json::value(nullptr);
  });

  schema.resolve(
      "Mutation", "commitCreate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& c = object_arg(ctx, "commit");
        versions::NewCommit input{std::string(c.at("streamId").as_string()),
                                  std::string(c.at("branchName").as_string()),
                                  std::string(c.at("objectId").as_string()),
                                  opt_string(c, "message"),
                                  opt_string(c, "sourceApplication"),
                                  opt_int(c, "totalChildrenCount"),
                                  std::nullopt};
        if (const auto* parents = c.if_contains("parents"); parents && parents->is_array()) {
          input.parents = string_list(c, "parents");
        }
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work15 = [=](db::Connection& conn) -> json::value {
          return version_json(versions::create_commit(conn, caller, input, now));
        };
        const auto version = co_await with_db(ctx, std::ref(work15));
        announce_version(ctx, "CREATED", version);
        co_return version.as_object().at("id");
      });

  schema.resolve(
      "Mutation", "commitUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& c = object_arg(ctx, "commit");
        const std::string project_id(c.at("streamId").as_string());
        const std::string id(c.at("id").as_string());
        const auto message = opt_string(c, "message");
        const auto caller = request(ctx).caller;
        const auto work16 = [=](db::Connection& conn) -> json::value {
          return version_json(versions::update_version(conn, caller, project_id, id, message));
        };
        announce_version(ctx, "UPDATED", co_await with_db(ctx, std::ref(work16)));
        co_return true;
      });

  schema.resolve("Mutation", "commitDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& c = object_arg(ctx, "commit");
                   const std::string project_id(c.at("streamId").as_string());
                   const std::string id(c.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work17 = [=](db::Connection& conn) {
                     auto models = models_of(conn, project_id, {id});
                     versions::delete_versions(conn, caller, project_id, {id});
                     return models;
                   };
                   const auto deleted = co_await request(ctx).database->run(std::ref(work17));
                   announce_deleted(ctx, project_id, deleted);
                   co_return true;
                 });

  // The legacy batch operations: versionMutations.moveToModel and versionMutations.delete in the
  // legacy API's words, answering true.
  schema.resolve(
      "Mutation", "commitsMove", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        const std::string project_id(i.at("streamId").as_string());
        const auto ids = string_list(i, "commitIds");
        const std::string target(i.at("targetBranch").as_string());
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto move = [&](db::Connection& conn) {
          return versions::move_versions(conn, caller, project_id, ids, target, now).id;
        };
        const auto model_id = co_await request(ctx).database->run(std::ref(move));
        for (const auto& id : ids) {
          live::announce_version(request(ctx), "UPDATED", project_id, model_id, id, nullptr);
        }
        co_return true;
      });

  schema.resolve("Mutation", "commitsDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("streamId").as_string());
                   const auto ids = string_list(i, "commitIds");
                   const auto caller = request(ctx).caller;
                   const auto remove = [&](db::Connection& conn) {
                     auto models = models_of(conn, project_id, ids);
                     versions::delete_versions(conn, caller, project_id, ids);
                     return models;
                   };
                   const auto deleted = co_await request(ctx).database->run(std::ref(remove));
                   announce_deleted(ctx, project_id, deleted);
                   co_return true;
                 });

  schema.resolve("Mutation", "commitReceive",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("streamId").as_string());
                   const std::string id(i.at("commitId").as_string());
                   const auto caller = request(ctx).caller;
                   const versions::ReceiveNotice notice{opt_string(i, "sourceApplication"),
                                                        opt_string(i, "message")};
                   const auto work18 = [=](db::Connection& conn) {
                     versions::mark_received(conn, caller, project_id, id, notice);
                   };
                   co_await request(ctx).database->run(std::ref(work18));
                   co_return true;
                 });
}

}  // namespace

json::object version_json(const versions::Version& v) {
  json::value parents = nullptr;
  if (v.parents) {
    json::array list;
    for (const auto& p : *v.parents) list.emplace_back(p);
    parents = std::move(list);
  }
  return json::object{
      {"id", v.id},
      {"referencedObject", v.referenced_object},
      {"message", v.message ? json::value(*v.message) : nullptr},
      {"sourceApplication",
       v.source_application ? json::value(versions::source_application_slug(*v.source_application))
                            : nullptr},
      {"totalChildrenCount",
       v.total_children_count ? json::value(*v.total_children_count) : nullptr},
      {"parents", parents},
      {"createdAt", iso_time(v.created_at)},
      {"_projectId", v.project_id},
      {"_modelId", v.model_id},
      {"_authorId", v.author_id ? json::value(*v.author_id) : nullptr}};
}

void bind_versions(graphql::Schema& schema) {
  bind_version_lists(schema);
  bind_version_fields(schema);
  bind_version_mutations(schema);
  bind_legacy_commits(schema);
}

}  // namespace stipple::core_graphql
