// Versioned schema migrations, one SQL file each per backend:
//   migrations/sqlite/<YYYYMMDDHHMM>_<module>_<what>.sql
//   migrations/postgres/<YYYYMMDDHHMM>_<module>_<what>.sql
// The timestamp-and-module prefix keeps names from clashing when features are built in parallel.
// Files apply in name order, each in its own transaction together with its record in
// `stipple_migrations`, so a failing file leaves the database as it was and a re-run applies only
// what is missing.
#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace stipple::db {

struct Migration {
  std::string name;  // file name without directory, e.g. "202612031800_core_init.sql"
  std::string sql;
};

// The migrations compiled into the binary for `dialect`, in apply order.
std::vector<Migration> embedded_migrations(Dialect dialect);

// Applies the migrations of `all` not yet recorded; returns the names it applied.
std::vector<std::string> migrate(Connection& conn, const std::vector<Migration>& all);

// Names already recorded as applied, in apply order.
std::vector<std::string> applied_migrations(Connection& conn);

}  // namespace stipple::db
