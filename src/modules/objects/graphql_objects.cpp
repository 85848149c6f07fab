// GraphQL access to stored objects: `project.object(id)` and the legacy `stream.object(id)`.
// The parent project was already found readable by the `project`/`stream` resolver.
//
// Not handled yet: Object.children (closure paging, select, query, orderBy) and the legacy
// objectCreate mutation; those fields answer null or the engine's error.
#include <boost/json.hpp>
#include <functional>

#include "db/database.h"
#include "modules/projects/graphql_support.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;

// The Object as the schema names its members; `data` is the stored JSON parsed back.
json::value object_json(const db::Result::Row& row) {
  boost::system::error_code error;
  json::value data = json::parse(row.text(4), error);
  if (error) data = nullptr;
  json::value application_id = nullptr;
  if (const auto* object = data.if_object()) {
    if (const auto* id = object->if_contains("applicationId"); id && id->is_string()) {
      application_id = *id;
    }
  }
  return json::object{
      {"id", row.text(0)},
      {"speckleType", row.text(1)},
      {"applicationId", application_id},
      {"totalChildrenCount", row.is_null(2) ? json::value(nullptr) : json::value(row.integer(2))},
      {"createdAt", iso_time(row.integer(3))},
      {"data", std::move(data)}};
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
    return rows.empty() ? json::value(nullptr) : object_json(rows[0]);
  };
  co_return co_await request(ctx).database->run(std::ref(load));
}

}  // namespace

void bind_objects(graphql::Schema& schema) {
  schema.resolve("Project", "object", object_of_parent);
  schema.resolve("Stream", "object", object_of_parent);
}

}  // namespace stipple::core_graphql
