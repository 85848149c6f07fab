// Versions (upstream's "commits"): a model's snapshots, each pointing at a root object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::versions {

struct Version {
  std::string id;
  std::string project_id;
  std::string model_id;
  std::string referenced_object;  // the root object's id
  std::optional<std::string> author_id;
  std::optional<std::string> message;
  std::optional<std::string> source_application;  // as the client sent it
  std::optional<int64_t> total_children_count;
  std::optional<std::vector<std::string>> parents;  // absent for legacy commits sent without
  int64_t created_at = 0;
};

// The connector slug shown in Version.sourceApplication: a known application named at the start
// of the sent value gives its slug ("Rhino 8" -> "rhino"); other values are shown as sent.
std::string source_application_slug(std::string_view sent);

// parents as stored: a JSON array of strings.
std::string encode_parents(const std::vector<std::string>& parents);
std::vector<std::string> decode_parents(std::string_view text);

}  // namespace stipple::versions
