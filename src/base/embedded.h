// Files compiled into the binary at build time (schema SDL, SQL migrations); see cmake/embed.cmake.
#pragma once

#include <string>
#include <vector>

namespace stipple {

struct EmbeddedFile {
  std::string path;  // relative to the source root, e.g. "migrations/sqlite/202612031800_core.sql"
  std::string content;
};

// Every embedded file, sorted by path.
const std::vector<EmbeddedFile>& embedded_files();

}  // namespace stipple
