// GraphQL access to stored objects: `project.object(id)` and the legacy `stream.object(id)`,
// `Object.children`, and the legacy `objectCreate` mutation. The parent project of an object was
// already found readable by the `project`/`stream` resolver.
#include <boost/json.hpp>
#include <functional>
#include <map>

#include "db/database.h"
#include "graphql/loader.h"
#include "modules/objects/children_query.h"
#include "modules/objects/object_create.h"
#include "modules/objects/object_store.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_service.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;

json::value application_id_of(const json::value& data) {
  if (const auto* object = data.if_object()) {
    if (const auto* id = object->if_contains("applicationId"); id && id->is_string()) return *id;
  }
  return nullptr;
}

// The Object as the schema names its members; `_projectId` is for Object.children.
json::object object_json(const objects::ChildRow& row, json::value data,
                         std::string_view project_id) {
  return json::object{{"id", row.id},
                      {"speckleType", row.speckle_type},
                      {"applicationId", application_id_of(data)},
                      {"totalChildrenCount",
                       row.total_children_count ? json::value(*row.total_children_count) : nullptr},
                      {"createdAt", iso_time(row.created_at)},
                      {"data", std::move(data)},
                      {"_projectId", project_id}};
}

asio::awaitable<json::value> object_of_parent(ResolveContext& ctx) {
  const std::string project_id = parent_string(ctx, "id");
  const std::string object_id(ctx.args.at("id").as_string());
  // A named lambda handed over by reference: GCC 12 destroys capturing temporaries twice
  // inside co_await expressions.
  const auto load = [&project_id, &object_id](db::Connection& conn) -> json::value {
    const auto rows = conn.query(
        "SELECT id, speckle_type, total_children_count, created_at, data FROM objects "
        "WHERE project_id = $1 AND id = $2",
        {std::string_view(project_id), std::string_view(object_id)});
    if (rows.empty()) return nullptr;
    const auto& r = rows[0];
    objects::ChildRow row{r.text(0), r.text(1), r.opt_integer(2), r.integer(3), r.text(4)};
    boost::system::error_code error;
    json::value data = json::parse(row.data, error);
    if (error) data = nullptr;
    return object_json(row, std::move(data), project_id);
  };
  co_return co_await request(ctx).database->run(std::ref(load));
}

// --- Object.children ------------------------------------------------------------------------

// Pages of children, loaded for every object of the request that asks with the same arguments
// in one query. The key is "<project id>\n<arguments as JSON>\n<object id>"; the page's
// totalCount is left to the resolver in the plain mode (it is the parent's column).
using ChildrenLoader = graphql::Loader<std::string, json::value>;

json::value page_json(objects::ChildrenPage page, std::string_view project_id) {
  json::array items;
  for (auto& child : page.objects) {
    items.push_back(object_json(child.row, std::move(child.data), project_id));
  }
  return json::object{{"totalCount", page.total_count},
                      {"cursor", page.cursor ? json::value(*page.cursor) : json::value(nullptr)},
                      {"objects", std::move(items)}};
}

// The pages of one group of keys that share project and arguments.
void load_children_group(db::Connection& conn, const std::string& project_id,
                         const objects::ChildrenArgs& args,
                         const std::vector<std::string>& parent_ids,
                         std::map<std::string, json::value>& pages) {
  objects::ChildrenScan scan{parent_ids, args.depth, "", std::nullopt};
  if (!args.filtered) {
    // Ids after the cursor; without `select` every row counts, so the database stops at the
    // limit, else children lacking the paths are skipped here.
    scan.after_id = args.cursor.value_or("");
    if (!args.select) scan.per_parent = args.limit;
    std::map<std::string, objects::PlainChildren> plain;
    for (const auto& id : parent_ids) plain.emplace(id, objects::PlainChildren(args, 0));
    std::size_t open = plain.size();
    objects::each_child(conn, project_id, scan, [&](std::string_view parent, auto row) {
      auto& children = plain.at(std::string(parent));
      if (children.full()) return true;
      children.add(std::move(row));
      if (children.full()) --open;
      return open > 0;
    });
    for (auto& [id, children] : plain) pages[id] = page_json(children.finish(), project_id);
    return;
  }

  std::map<std::string, objects::FilteredChildren> filtered;
  for (const auto& id : parent_ids) filtered.emplace(id, objects::FilteredChildren(args));
  objects::each_child(conn, project_id, scan, [&](std::string_view parent, auto row) {
    filtered.at(std::string(parent)).add(std::move(row));
    return true;
  });
  for (auto& [id, children] : filtered) pages[id] = page_json(children.finish(), project_id);
}

ChildrenLoader& children_loader(ResolveContext& ctx) {
  auto& req = request(ctx);
  db::Database* database = req.database;
  return req.get_or_make<ChildrenLoader>("objects.children", [database] {
    return new ChildrenLoader(
        [database](std::vector<std::string> keys) -> asio::awaitable<std::vector<json::value>> {
          const auto load = [&keys](db::Connection& conn) {
            // Group the keys by project and arguments: one query per group.
            std::map<std::string, std::vector<std::string>> groups;
            for (const auto& key : keys) {
              const auto split = key.rfind('\n');
              groups[key.substr(0, split)].push_back(key.substr(split + 1));
            }
            std::map<std::string, json::value> pages;
            for (const auto& [prefix, parent_ids] : groups) {
              const auto split = prefix.find('\n');
              const std::string project_id = prefix.substr(0, split);
              const auto args =
                  objects::parse_children_args(json::parse(prefix.substr(split + 1)).as_object());
              std::map<std::string, json::value> group_pages;
              load_children_group(conn, project_id, args, parent_ids, group_pages);
              for (auto& [id, page] : group_pages) pages[prefix + "\n" + id] = std::move(page);
            }
            std::vector<json::value> out;
            for (const auto& key : keys) out.push_back(pages.at(key));
            return out;
          };
          co_return co_await database->run(std::ref(load));
        });
  });
}

asio::awaitable<json::value> children_of_object(ResolveContext& ctx) {
  // Bad arguments fail here, before the shared batch.
  const auto args = objects::parse_children_args(ctx.args);
  const std::string key = parent_string(ctx, "_projectId") + "\n" + json::serialize(ctx.args) +
                          "\n" + parent_string(ctx, "id");
  json::value page = co_await children_loader(ctx).load(key);

  // The plain mode counts what the parent's closure recorded at creation (0 when unknown).
  if (!args.filtered) {
    const auto& count = ctx.parent.as_object().at("totalChildrenCount");
    page.as_object()["totalCount"] = count.is_null() ? json::value(0) : count;
  }
  co_return page;
}

// --- objectCreate ---------------------------------------------------------------------------

asio::awaitable<json::value> object_create(ResolveContext& ctx) {
  const auto& input = object_arg(ctx, "objectInput");
  const std::string project_id(input.at("streamId").as_string());
  const json::array& sent = input.at("objects").as_array();
  const std::size_t max_bytes = static_cast<std::size_t>(request(ctx).config->max_object_size_mb)
                                << 20;
  const auto caller = request(ctx).caller;
  const auto now = now_ms();

  const auto create = [&](db::Connection& conn) -> json::value {
    // Who may write comes first, then every object is checked before any is stored; null
    // entries are skipped.
    const auto project = projects::load_project(conn, caller, project_id);
    projects::require_role(caller, project, auth::kProjectContributor);
    std::vector<objects::CreatedObject> prepared;
    json::array ids;
    for (const auto& element : sent) {
      if (!element.is_object()) continue;
      prepared.push_back(objects::prepare_created_object(element.get_object(), max_bytes));
      ids.emplace_back(prepared.back().object.id);
    }
    objects::store_created_objects(conn, project_id, prepared, now);
    return ids;
  };
  co_return co_await request(ctx).database->run(std::ref(create));
}

}  // namespace

void bind_objects(graphql::Schema& schema) {
  schema.resolve("Project", "object", object_of_parent);
  schema.resolve("Stream", "object", object_of_parent);
  schema.resolve("Object", "children", children_of_object);
  schema.resolve("Mutation", "objectCreate", object_create);
}

}  // namespace stipple::core_graphql
