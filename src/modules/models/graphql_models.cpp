// GraphQL resolvers of models: the project's model lists, look-ups and trees, modelMutations,
// and the legacy branch API.
#include <functional>
#include <unordered_map>

#include "base/error.h"
#include "graphql/loader.h"
#include "modules/live/live.h"
#include "modules/models/model_repository.h"
#include "modules/models/model_service.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_service.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;

constexpr int64_t kMaxBranches = 500;

json::object tree_item_json(const models::TreeItem& item) {
  return json::object{{"id", item.model ? item.model->id : item.full_name},
                      {"name", item.name},
                      {"fullName", item.full_name},
                      {"model", item.model ? json::value(model_json(*item.model)) : nullptr},
                      {"hasChildren", item.has_children},
                      {"updatedAt", iso_time(item.updated_at)},
                      {"_projectId", item.model ? item.model->project_id : ""}};
}

json::array tree_json(const std::vector<models::TreeItem>& items, const std::string& project_id) {
  json::array out;
  for (const auto& item : items) {
    auto j = tree_item_json(item);
    j["_projectId"] = project_id;
    out.push_back(std::move(j));
  }
  return out;
}

// The models shown in trees: every model but an empty `main`.
std::vector<models::Model> tree_models(db::Connection& conn, const std::string& project_id) {
  auto all = models::list_project_models(conn, project_id);
  std::vector<std::string> ids;
  for (const auto& m : all) {
    if (m.name == models::kMainModelName) ids.push_back(m.id);
  }
  const auto with_versions = models::models_with_versions(conn, ids);
  std::erase_if(all, [&](const models::Model& m) {
    return m.name == models::kMainModelName &&
           std::find(with_versions.begin(), with_versions.end(), m.id) == with_versions.end();
  });
  return all;
}

// Not a coroutine itself: GCC 12 mishandles coroutines that take a lambda by value.
template <class F>
asio::awaitable<json::value> with_db(ResolveContext& ctx, F work) {
  return request(ctx).database->run(std::move(work));
}

// The first page of a project's models with no filter, loaded for every project of the request
// at once. The key is "<project id>\n<limit>".
using FirstPageLoader = graphql::Loader<std::string, json::value>;

FirstPageLoader& first_page_loader(ResolveContext& ctx) {
  auto& req = request(ctx);
  db::Database* database = req.database;
  return req.get_or_make<FirstPageLoader>("core.project_models", [database] {
    return new FirstPageLoader(
        [database](std::vector<std::string> keys) -> asio::awaitable<std::vector<json::value>> {
          const auto load = [&keys](db::Connection& conn) {
            return first_pages<models::Model>(
                conn, keys, models::count_listed_models, models::latest_listed_models,
                [](const models::Model& m) { return m.project_id; },
                [](const models::Model& m) { return m.updated_at; }, model_json);
          };
          co_return co_await database->run(std::ref(load));
        });
  });
}

void bind_project_model_fields(graphql::Schema& schema) {
  schema.resolve("Project", "models", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    models::ModelsQuery query;
    query.project_id = parent_string(ctx, "id");
    query.limit = opt_int(ctx.args, "limit").value_or(25);
    if (auto cursor = opt_string(ctx.args, "cursor"))
      query.after = projects::decode_cursor(*cursor);
    if (const auto* f = ctx.arg("filter"); f && f->is_object()) {
      const auto& filter = f->as_object();
      query.search = opt_string(filter, "search");
      query.source_apps = string_list(filter, "sourceApps");
      query.contributors = string_list(filter, "contributors");
      query.only_with_versions = opt_bool(filter, "onlyWithVersions").value_or(false);
      if (const auto* ids = filter.if_contains("ids"); ids && ids->is_array()) {
        query.ids = string_list(filter, "ids");
      }
      query.exclude_ids = string_list(filter, "excludeIds");
    }
    // The common case, a first page with no filter, is batched across the projects of the
    // request.
    const bool unfiltered = (!query.search || query.search->empty()) && query.source_apps.empty() &&
                            query.contributors.empty() && !query.only_with_versions && !query.ids &&
                            query.exclude_ids.empty();
    if (!query.after && unfiltered) {
      co_return co_await first_page_loader(ctx).load(query.project_id + "\n" +
                                                     std::to_string(query.limit));
    }
    const auto work1 = [query](db::Connection& conn) -> json::value {
      return page_json(models::list_models(conn, query), model_json);
    };
    co_return co_await with_db(ctx, std::ref(work1));
  });

  schema.resolve("Project", "model", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const std::string id(ctx.args.at("id").as_string());
    const auto work2 = [project_id, id](db::Connection& conn) -> json::value {
      return model_json(models::get_model(conn, project_id, id));
    };
    co_return co_await with_db(ctx, std::ref(work2));
  });

  schema.resolve("Project", "modelByName", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const std::string name(ctx.args.at("name").as_string());
    const auto work3 = [project_id, name](db::Connection& conn) -> json::value {
      return model_json(models::get_model_by_name(conn, project_id, name));
    };
    co_return co_await with_db(ctx, std::ref(work3));
  });

  schema.resolve("Project", "modelsTree", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const auto limit = opt_int(ctx.args, "limit").value_or(25);
    std::optional<std::string> search;
    if (const auto* f = ctx.arg("filter"); f && f->is_object()) {
      search = opt_string(f->as_object(), "search");
    }
    // The cursor is the number of items already returned.
    std::size_t offset = 0;
    if (auto cursor = opt_string(ctx.args, "cursor")) {
      if (auto decoded = projects::decode_cursor(*cursor)) {
        offset = static_cast<std::size_t>(std::max<int64_t>(0, decoded->sort_key));
      }
    }
    const auto work4 = [=](db::Connection& conn) -> json::value {
      const auto all = tree_models(conn, project_id);
      const auto items = search && !search->empty() ? models::tree_search(all, *search)
                                                    : models::tree_children(all, "");
      projects::Page<models::TreeItem> page;
      page.total_count = static_cast<int64_t>(items.size());
      for (std::size_t i = offset; i < items.size() && static_cast<int64_t>(i - offset) < limit;
           ++i) {
        page.items.push_back(items[i]);
      }
      if (!page.items.empty()) {
        page.cursor =
            projects::encode_cursor({static_cast<int64_t>(offset + page.items.size()), "tree"});
      }
      auto out = page_json(page, tree_item_json);
      for (auto& item : out["items"].as_array()) item.as_object()["_projectId"] = project_id;
      return out;
    };
    co_return co_await with_db(ctx, std::ref(work4));
  });

  schema.resolve("Project", "modelChildrenTree",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto project_id = parent_string(ctx, "id");
                   const std::string parent(ctx.args.at("fullName").as_string());
                   const auto work5 = [=](db::Connection& conn) -> json::value {
                     return tree_json(models::tree_children(tree_models(conn, project_id), parent),
                                      project_id);
                   };
                   co_return co_await with_db(ctx, std::ref(work5));
                 });

  schema.resolve(
      "ModelsTreeItem", "children", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto project_id = parent_string(ctx, "_projectId");
        const auto full_name = parent_string(ctx, "fullName");
        const auto work6 = [=](db::Connection& conn) -> json::value {
          return tree_json(models::tree_children(tree_models(conn, project_id), full_name),
                           project_id);
        };
        co_return co_await with_db(ctx, std::ref(work6));
      });
}

void bind_model_fields(graphql::Schema& schema) {
  const auto author = [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return co_await load_limited_user(ctx, parent_string(ctx, "_authorId"));
  };
  schema.resolve("Model", "author", author);
  schema.resolve("Branch", "author", author);

  schema.resolve("Model", "childrenTree", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "projectId");
    const auto name = parent_string(ctx, "name");
    const auto work7 = [=](db::Connection& conn) -> json::value {
      return tree_json(models::tree_children(tree_models(conn, project_id), name), project_id);
    };
    co_return co_await with_db(ctx, std::ref(work7));
  });

  schema.resolve("Model", "permissions", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "projectId");
    const auto author_id = parent_string(ctx, "_authorId");
    const auto caller = request(ctx).caller;
    const auto work8 = [=](db::Connection& conn) -> json::value {
      const auto project = projects::load_project(conn, caller, project_id);
      const auto contributor = projects::has_role(caller, project, auth::kProjectContributor);
      auto can_delete = contributor;
      if (contributor == projects::Permission::kOk && project.role != auth::kProjectOwner &&
          author_id != caller.user_id) {
        can_delete = projects::Permission::kProjectNotEnoughPermissions;
      }
      return json::object{{"canUpdate", permission_json(contributor)},
                          {"canDelete", permission_json(can_delete)},
                          {"canCreateVersion", permission_json(contributor)}};
    };
    co_return co_await with_db(ctx, std::ref(work8));
  });
}

// Tells live subscribers about a model that was created or changed (its JSON form).
void announce_model(ResolveContext& ctx, std::string_view type, const json::value& model) {
  const auto& m = model.as_object();
  live::announce_model(request(ctx), type, std::string(m.at("projectId").as_string()),
                       std::string(m.at("id").as_string()), model);
}

void bind_model_mutations(graphql::Schema& schema) {
  schema.resolve_sync("Mutation", "modelMutations",
                      [](ResolveContext&) -> json::value { return json::object{}; });

  schema.resolve(
      "ModelMutations", "create", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        models::NewModel input{std::string(i.at("projectId").as_string()),
                               std::string(i.at("name").as_string()), opt_string(i, "description")};
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work9 = [=](db::Connection& conn) -> json::value {
          return model_json(models::create_model(conn, caller, input, now));
        };
        auto model = co_await with_db(ctx, std::ref(work9));
        announce_model(ctx, "CREATED", model);
        co_return model;
      });

  schema.resolve(
      "ModelMutations", "update", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        models::ModelChanges changes{std::string(i.at("projectId").as_string()),
                                     std::string(i.at("id").as_string()), opt_string(i, "name"),
                                     opt_string(i, "description")};
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work10 = [=](db::Connection& conn) -> json::value {
          return model_json(models::update_model(conn, caller, changes, now));
        };
        auto model = co_await with_db(ctx, std::ref(work10));
        announce_model(ctx, "UPDATED", model);
        co_return model;
      });

  schema.resolve("ModelMutations", "delete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("projectId").as_string());
                   const std::string id(i.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work11 = [=](db::Connection& conn) {
                     models::delete_model(conn, caller, project_id, id);
                   };
                   co_await request(ctx).database->run(std::ref(work11));
                   live::announce_model(request(ctx), "DELETED", project_id, id, nullptr);
                   co_return true;
                 });
}

void bind_legacy_branches(graphql::Schema& schema) {
  schema.resolve("Stream", "branches", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const auto limit = opt_int(ctx.args, "limit").value_or(25);
    projects::check_page_limit(limit, kMaxBranches);
    std::optional<projects::Cursor> after;
    if (auto cursor = opt_string(ctx.args, "cursor")) after = projects::decode_cursor(*cursor);
    const auto work12 = [=](db::Connection& conn) -> json::value {
      // Oldest first; limit 0 means every branch.
      const auto all = models::list_project_models(conn, project_id);
      projects::Page<models::Model> page;
      page.total_count = static_cast<int64_t>(all.size());
      for (const auto& m : all) {
        if (after && (m.created_at < after->sort_key ||
                      (m.created_at == after->sort_key && m.id <= after->id))) {
          continue;
        }
        if (limit > 0 && static_cast<int64_t>(page.items.size()) >= limit) break;
        page.items.push_back(m);
      }
      if (!page.items.empty()) {
        page.cursor = projects::encode_cursor({page.items.back().created_at, page.items.back().id});
      }
      return page_json(page, model_json);
    };
    co_return co_await with_db(ctx, std::ref(work12));
  });

  schema.resolve("Stream", "branch", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project_id = parent_string(ctx, "id");
    const auto name = opt_string(ctx.args, "name").value_or(std::string(models::kMainModelName));
    const auto work13 = [=](db::Connection& conn) -> json::value {
      const auto model = models::find_model_by_any_case(conn, project_id, name);
      return model ? json::value(model_json(*model)) : json::value(nullptr);
    };
    co_return co_await with_db(ctx, std::ref(work13));
  });

  schema.resolve(
      "Mutation", "branchCreate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& b = object_arg(ctx, "branch");
        models::NewModel input{std::string(b.at("streamId").as_string()),
                               std::string(b.at("name").as_string()), opt_string(b, "description")};
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work14 = [=](db::Connection& conn) -> json::value {
          return model_json(models::create_branch(conn, caller, input, now));
        };
        const auto model = co_await with_db(ctx, std::ref(work14));
        announce_model(ctx, "CREATED", model);
        co_return model.as_object().at("id");
      });

  schema.resolve(
      "Mutation", "branchUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& b = object_arg(ctx, "branch");
        models::ModelChanges changes{std::string(b.at("streamId").as_string()),
                                     std::string(b.at("id").as_string()), opt_string(b, "name"),
                                     opt_string(b, "description")};
        const auto caller = request(ctx).caller;
        const auto now = now_ms();
        const auto work15 = [=](db::Connection& conn) -> json::value {
          return model_json(models::update_model(conn, caller, changes, now));
        };
        announce_model(ctx, "UPDATED", co_await with_db(ctx, std::ref(work15)));
        co_return true;
      });

  schema.resolve("Mutation", "branchDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& b = object_arg(ctx, "branch");
                   const std::string project_id(b.at("streamId").as_string());
                   const std::string id(b.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work16 = [=](db::Connection& conn) {
                     models::delete_model(conn, caller, project_id, id);
                   };
                   co_await request(ctx).database->run(std::ref(work16));
                   live::announce_model(request(ctx), "DELETED", project_id, id, nullptr);
                   co_return true;
                 });
}

}  // namespace

json::object model_json(const models::Model& m) {
  return json::object{{"id", m.id},
                      {"name", m.name},
                      {"displayName", models::display_name(m.name)},
                      {"description", m.description ? json::value(*m.description) : nullptr},
                      {"createdAt", iso_time(m.created_at)},
                      {"updatedAt", iso_time(m.updated_at)},
                      {"projectId", m.project_id},
                      {"resourceIdString", m.id},
                      {"previewUrl", nullptr},
                      {"_authorId", m.author_id ? json::value(*m.author_id) : nullptr}};
}

void bind_models(graphql::Schema& schema) {
  bind_project_model_fields(schema);
  bind_model_fields(schema);
  bind_model_mutations(schema);
  bind_legacy_branches(schema);
}

}  // namespace stipple::core_graphql
