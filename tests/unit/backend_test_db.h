// A fresh, migrated database for tests that run on both backends: a temporary SQLite file, or a
// new database on the PostgreSQL server STIPPLE_TEST_POSTGRES_URL names (dropped afterwards).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/ids.h"
#include "db/database.h"
#include "db/migrations.h"

namespace stipple::testing {

class BackendDb {
 public:
  // `prefix` names the file or database. On PostgreSQL without a server, available() is false
  // and there is no connection: the test should skip.
  BackendDb(db::Dialect dialect, const std::string& prefix) {
    if (dialect == db::Dialect::sqlite) {
      path_ = std::filesystem::temp_directory_path() / (prefix + "-" + random_hex(8) + ".db");
      conn_ = db::open_sqlite(path_.string());
    } else {
      const char* base = std::getenv("STIPPLE_TEST_POSTGRES_URL");
      if (!base || !*base) return;
      admin_ = db::open_postgres(base);
      database_ = prefix + "_" + random_hex(8);
      admin_->exec_script("CREATE DATABASE " + database_);
      const std::string url = base;
      url_ = url.substr(0, url.rfind('/') + 1) + database_;
      conn_ = db::open_postgres(url_);
    }
    db::migrate(*conn_, db::embedded_migrations(dialect));
  }

  ~BackendDb() {
    conn_.reset();
    if (!path_.empty()) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path_.string() + suffix);
      }
    }
    if (admin_) admin_->exec_script("DROP DATABASE IF EXISTS " + database_);
  }
  BackendDb(const BackendDb&) = delete;
  BackendDb& operator=(const BackendDb&) = delete;

  bool available() const { return conn_ != nullptr; }
  db::Connection& conn() { return *conn_; }
  // The PostgreSQL database's URL, for a second connection; empty on SQLite.
  const std::string& url() const { return url_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<db::Connection> admin_;
  std::unique_ptr<db::Connection> conn_;
  std::string database_;
  std::string url_;
};

}  // namespace stipple::testing
