// The database interface shared by both backends: SQLite (embedded default) and PostgreSQL.
//
// SQL is written once with numbered placeholders ($1, $2, ...) that both drivers accept. Values
// travel as text or integers; timestamps are stored as milliseconds since the Unix epoch (BIGINT)
// so the same statements work on both backends.
//
// Drivers are blocking. Request handlers reach the database through Database::run(), which runs
// the work on a dedicated thread pool and resumes the coroutine on its own executor, so the HTTP
// threads never block on a query.
#pragma once

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

struct sqlite3;
struct pg_conn;

namespace stipple::db {

enum class Dialect { sqlite, postgres };

// A statement parameter. Strings are borrowed: they must outlive the call.
using Param = std::variant<std::nullptr_t, int64_t, double, bool, std::string_view>;

// A row seen during iteration; its views are valid until the callback returns.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual int size() const = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::string_view text(int column) const = 0;
  int64_t integer(int column) const;
  double real(int column) const;
  // Accepts 1/0 (SQLite) and t/f (PostgreSQL).
  bool boolean(int column) const;
};

// A fully materialised result.
class Result {
 public:
  struct Row {
    std::vector<std::optional<std::string>> values;

    bool is_null(int column) const { return !values.at(column).has_value(); }
    const std::string& text(int column) const;
    std::optional<std::string> opt_text(int column) const { return values.at(column); }
    int64_t integer(int column) const;
    std::optional<int64_t> opt_integer(int column) const;
    bool boolean(int column) const;
  };

  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by an INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows.at(i); }
};

// One connection. Not thread-safe: a connection is used by one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters (DDL, migrations).
  virtual void exec_script(std::string_view sql) = 0;

  // Runs one statement and returns every row.
  virtual Result query(std::string_view sql, std::span<const Param> params = {}) = 0;
  Result query(std::string_view sql, std::initializer_list<Param> params) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }

  // Runs one statement and hands each row to `on_row` as it arrives, without materialising the
  // result (PostgreSQL single-row mode, SQLite stepping). Returning false stops early.
  virtual void query_each(std::string_view sql, std::span<const Param> params,
                          const std::function<bool(const RowView&)>& on_row) = 0;

  // Runs one statement; returns the number of rows it changed.
  int64_t execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, params).affected;
  }

  // Whether the connection still reaches its server (cheap round trip).
  virtual bool alive() = 0;

  // Transactions. Prefer transaction(), which rolls back on exception.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  template <typename F>
  auto transaction(F&& work) -> decltype(work()) {
    begin();
    try {
      if constexpr (std::is_void_v<decltype(work())>) {
        work();
        commit();
      } else {
        auto result = work();
        commit();
        return result;
      }
    } catch (...) {
      try {
        rollback();
      } catch (...) {
        // The original error matters more; a broken connection is discarded by the pool.
      }
      throw;
    }
  }

  // The native handles, for backend-specific fast paths (COPY, bulk inserts).
  virtual sqlite3* sqlite_handle() { return nullptr; }
  virtual pg_conn* postgres_handle() { return nullptr; }
};

// Statements run by every connection of the process (query, query_each, exec_script; not the
// empty round trip of alive()). The drivers count each one as it starts; a test route reads the
// total so a black-box test can pin how many statements a request costs.
void count_statement();
uint64_t statements_run();

// Pool figures for /metrics and /readiness.
struct PoolStats {
  int size = 0;     // connections that exist
  int in_use = 0;   // connections lent out
  int max = 0;      // the pool's limit
  int waiting = 0;  // callers waiting for a connection
};

class Database;

// A connection borrowed from the pool; returned when destroyed.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

// A pool of connections to one database, plus the thread pool blocking work runs on.
class Database {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  Database(Dialect dialect, Factory factory, int max_connections,
           std::chrono::milliseconds acquire_timeout);
  ~Database();

  Dialect dialect() const { return dialect_; }

  // Borrows a connection, opening one if the pool has room; waits up to the acquire timeout,
  // then throws Error DATABASE_ERROR. Connections that fail alive() are replaced.
  Lease acquire();

  // Runs `work(Connection&)` on the database thread pool and resumes on the caller's executor.
  // Exceptions thrown by `work` are rethrown in the caller. Results must be default-constructible.
  //
  // Written with async_initiate and plain handlers rather than a capturing coroutine lambda:
  // GCC 12 destroys the captures of such lambdas twice when they are handed to co_spawn.
  //
  // Callers: GCC 12 also destroys twice a temporary with a non-trivial destructor that lives in
  // a co_await expression. Never pass a lambda that captures strings or containers by value as
  // a temporary: capture by reference, or name the lambda and pass std::ref(lambda).
  template <typename F, typename R = std::invoke_result_t<F&, Connection&>>
  boost::asio::awaitable<R> run(F work) {
    if constexpr (std::is_void_v<R>) {
      return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                         void(std::exception_ptr)>(
          [this](auto handler, F work) {
            boost::asio::post(
                workers_, [this, handler = std::move(handler), work = std::move(work)]() mutable {
                  std::exception_ptr error;
                  try {
                    auto lease = acquire();
                    work(*lease);
                  } catch (...) {
                    error = std::current_exception();
                  }
                  auto executor = boost::asio::get_associated_executor(handler);
                  boost::asio::post(executor, [handler = std::move(handler), error]() mutable {
                    std::move(handler)(error);
                  });
                });
          },
          boost::asio::use_awaitable, std::move(work));
    } else {
      static_assert(std::is_default_constructible_v<R>, "Database::run results need R{}");
      return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                         void(std::exception_ptr, R)>(
          [this](auto handler, F work) {
            boost::asio::post(
                workers_, [this, handler = std::move(handler), work = std::move(work)]() mutable {
                  std::exception_ptr error;
                  R result{};
                  try {
                    auto lease = acquire();
                    result = work(*lease);
                  } catch (...) {
                    error = std::current_exception();
                  }
                  auto executor = boost::asio::get_associated_executor(handler);
                  boost::asio::post(executor, [handler = std::move(handler), error,
                                               result = std::move(result)]() mutable {
                    std::move(handler)(error, std::move(result));
                  });
                });
          },
          boost::asio::use_awaitable, std::move(work));
    }
  }

  // A round trip on a pooled connection; false when the database cannot be reached.
  bool ping();

  PoolStats stats() const;

  // Waits for queued work and closes every connection.
  void close();

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> conn, bool broken);

  Dialect dialect_;
  Factory factory_;
  int max_;
  std::chrono::milliseconds acquire_timeout_;
  boost::asio::thread_pool workers_;

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int waiting_ = 0;
};

// Opens the database the configuration names: PostgreSQL when `postgres_conninfo` is set,
// otherwise SQLite at `sqlite_path`.
struct OpenOptions {
  std::string postgres_conninfo;
  std::string sqlite_path;
  int max_connections = 8;
  std::chrono::milliseconds acquire_timeout{16000};
};
std::unique_ptr<Database> open_database(const OpenOptions& options);

// Driver factories (sqlite.cpp, postgres.cpp). Throw Error DATABASE_ERROR when the open fails.
std::unique_ptr<Connection> open_sqlite(const std::string& path);
std::unique_ptr<Connection> open_postgres(const std::string& conninfo);

}  // namespace stipple::db
