// GraphQL resolvers of viewer resources: Project.viewerResources and viewerResourcesExtended.
// Saved views are not part of a core server: savedViewId and savedViewSettings are accepted and
// change nothing, and savedView is null.
#include <functional>

#include "modules/projects/graphql_support.h"
#include "modules/viewer/viewer_resources.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;

json::value groups_json(const std::vector<viewer::ResourceGroup>& groups) {
  const auto opt = [](const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
  };
  json::array out;
  for (const auto& group : groups) {
    json::array items;
    for (const auto& item : group.items) {
      items.push_back(json::object{{"modelId", opt(item.model_id)},
                                   {"versionId", opt(item.version_id)},
                                   {"objectId", item.object_id}});
    }
    out.push_back(json::object{{"identifier", group.identifier}, {"items", std::move(items)}});
  }
  return out;
}

// {groups, savedView, resourceIdString, request} of ExtendedViewerResources.
asio::awaitable<json::value> extended_resources(ResolveContext& ctx) {
  const std::string project_id = parent_string(ctx, "id");
  const std::string text(ctx.args.at("resourceIdString").as_string());
  const bool loaded_only = opt_bool(ctx.args, "loadedVersionsOnly").value_or(false);
  const auto* saved_view_id = ctx.arg("savedViewId");

  const auto resources = viewer::parse_resource_string(text);
  const auto resolve = [&](db::Connection& conn) {
    return viewer::resolve_resources(conn, project_id, resources, loaded_only);
  };
  std::vector<viewer::ResourceGroup> groups;
  if (!resources.empty()) groups = co_await request(ctx).database->run(std::ref(resolve));

  // An empty string is answered as given; any other written back sorted and without duplicates.
  co_return json::object{
      {"groups", groups_json(groups)},
      {"savedView", nullptr},
      {"resourceIdString", resources.empty() ? text : viewer::resource_string(resources)},
      {"request",
       json::object{{"savedViewId", saved_view_id ? *saved_view_id : json::value(nullptr)}}}};
}

}  // namespace

void bind_viewer(graphql::Schema& schema) {
  schema.resolve("Project", "viewerResourcesExtended", extended_resources);
  schema.resolve("Project", "viewerResources",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   auto extended = co_await extended_resources(ctx);
                   co_return extended.as_object().at("groups");
                 });
}

}  // namespace stipple::core_graphql
