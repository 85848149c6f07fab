// SQLite driver: the embedded default. WAL journal so readers never block the writer; a busy
// timeout so concurrent writers queue instead of failing.
#include <sqlite3.h>

#include <string>

#include "base/error.h"
#include "db/database.h"

namespace stipple::db {
namespace {

constexpr int kBusyTimeoutMs = 30000;

[[noreturn]] void fail(sqlite3* handle, std::string_view what) {
  throw Error("DATABASE_ERROR", std::string(what) + ": " + sqlite3_errmsg(handle), 502);
}

// Owns a prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      fail(db, "prepare failed");
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds $1..$n by name, so a placeholder may appear several times and in any order.
  void bind(std::span<const Param> params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(stmt_, name.c_str());
      if (index == 0) continue;  // the statement does not use this parameter
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              rc = sqlite3_bind_null(stmt_, index);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              rc = sqlite3_bind_int64(stmt_, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              rc = sqlite3_bind_double(stmt_, index, v);
            } else if constexpr (std::is_same_v<T, bool>) {
              rc = sqlite3_bind_int(stmt_, index, v ? 1 : 0);
            } else {
              rc =
                  sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) fail(db_, "bind failed");
    }
  }

  // Advances; true while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "statement failed");
  }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteRow final : public RowView {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int size() const override { return sqlite3_column_count(stmt_); }
  bool is_null(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string_view text(int column) const override {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    const int length = sqlite3_column_bytes(stmt_, column);
    return data ? std::string_view(data, static_cast<std::size_t>(length)) : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error("DATABASE_ERROR", "cannot open SQLite database " + path + ": " + message, 502);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    exec_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;");
  }
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::sqlite; }

  void exec_script(std::string_view sql) override {
    count_statement();
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string error = message ? message : "unknown error";
      sqlite3_free(message);
      throw Error("DATABASE_ERROR", "script failed: " + error, 502);
    }
  }

  Result query(std::string_view sql, std::span<const Param> params) override {
    count_statement();
    Statement stmt(db_, sql);
    stmt.bind(params);
    Result result;
    const int columns = sqlite3_column_count(stmt.get());
    for (int c = 0; c < columns; ++c)
      result.columns.emplace_back(sqlite3_column_name(stmt.get(), c));
    SqliteRow row(stmt.get());
    while (stmt.step()) {
      Result::Row out;
      out.values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (row.is_null(c)) {
          out.values.emplace_back(std::nullopt);
        } else {
          out.values.emplace_back(std::string(row.text(c)));
        }
      }
      result.rows.push_back(std::move(out));
    }
    result.affected = sqlite3_stmt_readonly(stmt.get()) ? 0 : sqlite3_changes64(db_);
    return result;
  }

  void query_each(std::string_view sql, std::span<const Param> params,
                  const std::function<bool(const RowView&)>& on_row) override {
    count_statement();
    Statement stmt(db_, sql);
    stmt.bind(params);
    SqliteRow row(stmt.get());
    while (stmt.step()) {
      if (!on_row(row)) break;
    }
  }

  bool alive() override { return true; }

  void begin() override { exec_script("BEGIN IMMEDIATE"); }
  void commit() override { exec_script("COMMIT"); }
  void rollback() override { exec_script("ROLLBACK"); }

  sqlite3* sqlite_handle() override { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace stipple::db
