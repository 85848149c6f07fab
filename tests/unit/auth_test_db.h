// A migrated SQLite database in a temporary file, seeded with scopes and built-in apps, for the
// identity tests.
#pragma once

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "db/database.h"
#include "db/migrations.h"
#include "modules/auth/auth_module.h"

namespace stipple::testing {

class IdentityDb {
 public:
  IdentityDb() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("stipple-auth-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             ".db");
    std::filesystem::remove(path_);
    conn_ = db::open_sqlite(path_.string());
    db::migrate(*conn_, db::embedded_migrations(db::Dialect::sqlite));
    auth::seed_identity(*conn_, "http://stipple.test");
  }
  ~IdentityDb() {
    conn_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }

  db::Connection& conn() { return *conn_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<db::Connection> conn_;
};

}  // namespace stipple::testing
