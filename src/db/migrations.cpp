#include "db/migrations.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "base/embedded.h"
#include "base/error.h"
#include "base/log.h"

namespace stipple::db {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS stipple_migrations ("
    " name TEXT PRIMARY KEY,"
    " applied_at BIGINT NOT NULL)";

// Serialises concurrent migrators (several pods starting at once) on PostgreSQL; SQLite's
// BEGIN IMMEDIATE already does so.
constexpr int64_t kAdvisoryLockKey = 0x5717'7013;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::vector<Migration> embedded_migrations(Dialect dialect) {
  const std::string prefix =
      dialect == Dialect::sqlite ? "migrations/sqlite/" : "migrations/postgres/";
  std::vector<Migration> out;
  for (const auto& file : embedded_files()) {
    if (!file.path.starts_with(prefix) || !file.path.ends_with(".sql")) continue;
    out.push_back(Migration{file.path.substr(prefix.size()), file.content});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> applied_migrations(Connection& conn) {
  conn.exec_script(kCreateTable);
  std::vector<std::string> names;
  for (const auto& row : conn.query("SELECT name FROM stipple_migrations ORDER BY name").rows) {
    names.push_back(row.text(0));
  }
  return names;
}

std::vector<std::string> migrate(Connection& conn, const std::vector<Migration>& all) {
  const bool postgres = conn.dialect() == Dialect::postgres;
  if (postgres) conn.query("SELECT pg_advisory_lock($1)", {kAdvisoryLockKey});

  std::vector<std::string> applied_now;
  try {
    const auto done = applied_migrations(conn);
    const std::set<std::string> done_set(done.begin(), done.end());
    for (const auto& migration : all) {
      if (done_set.contains(migration.name)) continue;

      // The file and its record commit together or not at all.
      const auto started = std::chrono::steady_clock::now();
      try {
        conn.transaction([&] {
          conn.exec_script(migration.sql);
          conn.query("INSERT INTO stipple_migrations (name, applied_at) VALUES ($1, $2)",
                     {std::string_view(migration.name), now_ms()});
        });
      } catch (const std::exception& e) {
        throw Error("MIGRATION_FAILED",
                    "migration " + migration.name + " failed and was rolled back: " + e.what(),
                    500);
      }
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
      log::info("db.migration_applied", {{"name", migration.name}, {"duration_ms", ms}});
      applied_now.push_back(migration.name);
    }
  } catch (...) {
    if (postgres) conn.query("SELECT pg_advisory_unlock($1)", {kAdvisoryLockKey});
    throw;
  }
  if (postgres) conn.query("SELECT pg_advisory_unlock($1)", {kAdvisoryLockKey});
  return applied_now;
}

}  // namespace stipple::db
