// Viewer resources: what a resource string (the part of a viewer URL after /models/) names,
// resolved to the model, version and object ids the viewer loads.
//
// A resource string is a comma-separated list; it is lower-cased first, then each entry is:
// - `all`: the latest version of every model of the project;
// - `<model id>@<version id>`: that version of that model;
// - `$<folder>`: the models whose name starts with the folder path;
// - 32 characters: an object id;
// - anything else: a model id, meaning its latest version.
// Entries are sorted and duplicates dropped, as the viewer's own parser does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace stipple::viewer {

struct ViewerResource {
  enum class Kind { all_models, model, object, folder };
  Kind kind = Kind::model;
  std::string id;                         // model id, object id or folder path
  std::optional<std::string> version_id;  // models only; empty when written `model@`

  // The entry as the resource string writes it ("all", "m@v", "$folder", the id).
  std::string identifier() const;
};

std::vector<ViewerResource> parse_resource_string(std::string_view text);
// The parsed entries written back as one resource string.
std::string resource_string(const std::vector<ViewerResource>& resources);

struct ResourceItem {
  std::optional<std::string> model_id;
  std::optional<std::string> version_id;
  std::string object_id;
};
struct ResourceGroup {
  std::string identifier;
  std::vector<ResourceItem> items;
};

// The groups of a project's resources, as upstream lists them: objects the project stores first,
// then `all`, then folders and models. With loaded_versions_only a model means its named version
// or else its latest one (models without one are left out); otherwise every version of it,
// newest first. Models and versions of other projects are never resolved.
std::vector<ResourceGroup> resolve_resources(db::Connection& conn, std::string_view project_id,
                                             const std::vector<ViewerResource>& resources,
                                             bool loaded_versions_only);

}  // namespace stipple::viewer
