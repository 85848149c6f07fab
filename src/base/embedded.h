// Files compiled into the binary at build time: schema SDL and SQL migrations (see
// cmake/embed.cmake), and files served to browsers as they are (see cmake/embed_assets.cmake).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stipple {

struct EmbeddedFile {
  std::string path;  // relative to the source root, e.g. "migrations/sqlite/202612031800_core.sql"
  std::string content;
};

// Every embedded file, sorted by path.
const std::vector<EmbeddedFile>& embedded_files();

// A file served to browsers byte for byte.
struct WebAsset {
  std::string_view name;  // the name it is served under, e.g. "graphiql.min.js"
  std::string_view content;
};

struct WebAssets {
  // 16 hex digits of a SHA-256 over every asset's name and content: a new build with any asset
  // changed gets a new version, so URLs holding it may be cached for good.
  std::string_view version;
  std::vector<WebAsset> files;
};

// The browser files built into this binary; files of npm packages are absent when the build ran
// without them (see CMakeLists.txt).
const WebAssets& web_assets();

}  // namespace stipple
