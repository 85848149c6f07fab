// Models (upstream's "branches"): the domain types and the rules of model names. A name is a
// path: `/` separates folders, which the model trees are built from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stipple::models {

// Every project gets a model of this name; it cannot be deleted while it bears the name.
inline constexpr std::string_view kMainModelName = "main";
inline constexpr std::string_view kMainModelDescription = "default model";
// Names are stored in at most this many bytes (upstream's varchar(512)).
inline constexpr std::size_t kMaxModelNameLength = 512;

struct Model {
  std::string id;
  std::string project_id;
  std::optional<std::string> author_id;
  std::string name;
  std::optional<std::string> description;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Unicode lower-casing of UTF-8 text, one code point at a time ("Straße" -> "straße"). Invalid
// UTF-8 bytes are kept as they are.
std::string lower_case(std::string_view text);

// The name a new model gets: each `/` segment trimmed, empty segments dropped (so runs of
// slashes collapse and leading/trailing slashes go), then lower-cased.
std::string normalize_model_name(std::string_view name);

// Throws Error BRANCH_NAME_ERROR (400): "Model name is required" for an empty name; the naming
// rule message for a name starting with `#` or `$`, starting or ending with `/`, holding `//`,
// a comma or a backslash; and a length message above kMaxModelNameLength bytes.
void validate_model_name(std::string_view name);

// The last `/` segment of a name.
std::string display_name(std::string_view name);

}  // namespace stipple::models
