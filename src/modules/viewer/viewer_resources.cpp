#include "modules/viewer/viewer_resources.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "modules/models/model_repository.h"
#include "modules/models/models.h"
#include "modules/objects/object_json.h"
#include "modules/objects/object_store.h"
#include "modules/versions/version_repository.h"

namespace stipple::viewer {
namespace {

// Object ids are content hashes of this many (UTF-16) characters.
constexpr std::size_t kObjectIdLength = 32;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

ViewerResource parse_entry(const std::string& entry) {
  ViewerResource r;
  if (entry == "all") {
    r.kind = ViewerResource::Kind::all_models;
  } else if (const auto at = entry.find('@'); at != std::string::npos) {
    // Only the first two `@` pieces count.
    r.id = entry.substr(0, at);
    const auto next = entry.find('@', at + 1);
    r.version_id = entry.substr(at + 1, next == std::string::npos ? next : next - at - 1);
  } else if (entry.starts_with('$')) {
    r.kind = ViewerResource::Kind::folder;
    r.id = entry.substr(1);
  } else if (objects::utf16_length(entry) == kObjectIdLength) {
    r.kind = ViewerResource::Kind::object;
    r.id = entry;
  } else {
    r.id = entry;
  }
  return r;
}

ResourceItem version_item(const versions::Version& v) {
  return {v.model_id, v.id, v.referenced_object};
}

// The project's models among `ids`, by id.
std::map<std::string, models::Model> project_models(db::Connection& conn,
                                                    std::string_view project_id,
                                                    const std::vector<std::string>& ids) {
  std::map<std::string, models::Model> out;
  for (auto& m : models::find_models(conn, ids)) {
    if (m.project_id == project_id) out.emplace(m.id, std::move(m));
  }
  return out;
}

// The newest `per_model` versions of each model, newest first.
std::map<std::string, std::vector<versions::Version>> versions_by_model(
    db::Connection& conn, const std::vector<std::string>& model_ids, int64_t per_model) {
  std::map<std::string, std::vector<versions::Version>> out;
  for (auto& v : versions::latest_versions(conn, model_ids, per_model)) {
    out[v.model_id].push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::string ViewerResource::identifier() const {
  switch (kind) {
    case Kind::all_models:
      return "all";
    case Kind::folder:
      return "$" + id;
    case Kind::object:
      return id;
    case Kind::model:
      break;
  }
  return version_id && !version_id->empty() ? id + "@" + *version_id : id;
}

std::vector<ViewerResource> parse_resource_string(std::string_view text) {
  // Lower-case, split, drop blank entries (the others are not trimmed), sort, parse, de-dup.
  const std::string lowered = models::lower_case(text);
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start <= lowered.size()) {
    const auto comma = lowered.find(',', start);
    std::string entry = lowered.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!blank(entry)) entries.push_back(std::move(entry));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::sort(entries.begin(), entries.end());

  std::vector<ViewerResource> out;
  std::set<std::string> seen;
  for (const auto& entry : entries) {
    auto resource = parse_entry(entry);
    if (seen.insert(resource.identifier()).second) out.push_back(std::move(resource));
  }
  return out;
}

std::string resource_string(const std::vector<ViewerResource>& resources) {
  std::set<std::string> identifiers;
  for (const auto& r : resources) identifiers.insert(r.identifier());
  std::string out;
  for (const auto& id : identifiers) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

std::vector<ResourceGroup> resolve_resources(db::Connection& conn, std::string_view project_id,
                                             const std::vector<ViewerResource>& resources,
                                             bool loaded_versions_only) {
  using Kind = ViewerResource::Kind;
  std::vector<ResourceGroup> groups;

  // Objects: those the project stores, each its own group.
  std::vector<std::string> object_ids;
  for (const auto& r : resources) {
    if (r.kind == Kind::object) object_ids.push_back(r.id);
  }
  const auto stored = objects::existing_ids(conn, project_id, object_ids);
  for (const auto& id : object_ids) {
    if (stored.count(id)) groups.push_back({id, {{std::nullopt, std::nullopt, id}}});
  }

  // `all`: the latest version of every model, in model id order.
  const bool all = std::any_of(resources.begin(), resources.end(),
                               [](const auto& r) { return r.kind == Kind::all_models; });
  const bool folders = std::any_of(resources.begin(), resources.end(),
                                   [](const auto& r) { return r.kind == Kind::folder; });
  std::vector<models::Model> every_model;
  if (all || folders) every_model = models::list_project_models(conn, project_id);
  if (all) {
    std::vector<std::string> ids;
    for (const auto& m : every_model) ids.push_back(m.id);
    std::sort(ids.begin(), ids.end());
    ResourceGroup group{"all", {}};
    for (const auto& [id, list] : versions_by_model(conn, ids, 1)) {
      group.items.push_back(version_item(list.front()));
    }
    groups.push_back(std::move(group));
  }

  // The models each folder and model entry names, and their versions in one query.
  std::map<std::string, std::vector<std::string>> folder_models;  // by folder path
  std::vector<std::string> model_ids;
  for (const auto& r : resources) {
    if (r.kind == Kind::folder) {
      auto& ids = folder_models[r.id];
      for (const auto& m : every_model) {
        if (models::lower_case(m.name).starts_with(r.id)) ids.push_back(m.id);
      }
      model_ids.insert(model_ids.end(), ids.begin(), ids.end());
    } else if (r.kind == Kind::model) {
      model_ids.push_back(r.id);
    }
  }
  const auto known = project_models(conn, project_id, model_ids);
  std::vector<std::string> known_ids;
  for (const auto& [id, model] : known) known_ids.push_back(id);
  const int64_t per_model = loaded_versions_only ? 1 : std::numeric_limits<int64_t>::max();
  auto model_versions = versions_by_model(conn, known_ids, per_model);

  // Versions named explicitly, when only those are wanted.
  std::map<std::string, versions::Version> named;
  if (loaded_versions_only) {
    std::vector<std::string> version_ids;
    for (const auto& r : resources) {
      if (r.kind == Kind::model && r.version_id && !r.version_id->empty()) {
        version_ids.push_back(*r.version_id);
      }
    }
    for (auto& v : versions::find_versions(conn, project_id, version_ids)) {
      named.emplace(v.id, std::move(v));
    }
  }

  // Folders: a group for each folder that holds models.
  for (const auto& r : resources) {
    if (r.kind != Kind::folder || folder_models[r.id].empty()) continue;
    ResourceGroup group{r.identifier(), {}};
    for (const auto& id : folder_models[r.id]) {
      for (const auto& v : model_versions[id]) group.items.push_back(version_item(v));
    }
    groups.push_back(std::move(group));
  }

  // Models: with only loaded versions, the named or latest version (no group without one);
  // otherwise every version, in a group that may be empty.
  for (const auto& r : resources) {
    if (r.kind != Kind::model) continue;
    const bool known_model = known.count(r.id) > 0;
    if (!loaded_versions_only) {
      ResourceGroup group{r.identifier(), {}};
      if (known_model) {
        for (const auto& v : model_versions[r.id]) group.items.push_back(version_item(v));
      }
      groups.push_back(std::move(group));
      continue;
    }
    const versions::Version* version = nullptr;
    if (r.version_id && !r.version_id->empty()) {
      const auto it = named.find(*r.version_id);
      if (it != named.end() && it->second.model_id == r.id) version = &it->second;
    } else if (known_model && !model_versions[r.id].empty()) {
      version = &model_versions[r.id].front();
    }
    if (version) groups.push_back({r.identifier(), {version_item(*version)}});
  }
  return groups;
}

}  // namespace stipple::viewer
