#include "db/database.h"

#include <charconv>

#include "base/error.h"
#include "base/log.h"

namespace stipple::db {
namespace {

int64_t parse_integer(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw Error("DATABASE_ERROR", "expected an integer column, got '" + std::string(text) + "'",
                502);
  }
  return value;
}

bool parse_boolean(std::string_view text) {
  return text == "1" || text == "t" || text == "true";
}

std::atomic<uint64_t> statement_counter{0};

}  // namespace

// --- statement counter ---------------------------------------------------------------------------

void count_statement() {
  statement_counter.fetch_add(1, std::memory_order_relaxed);
}

uint64_t statements_run() {
  return statement_counter.load(std::memory_order_relaxed);
}

// --- rows ---------------------------------------------------------------------------------------

int64_t RowView::integer(int column) const {
  return parse_integer(text(column));
}

double RowView::real(int column) const {
  return std::stod(std::string(text(column)));
}

bool RowView::boolean(int column) const {
  return parse_boolean(text(column));
}

const std::string& Result::Row::text(int column) const {
  const auto& value = values.at(column);
  if (!value) throw Error("DATABASE_ERROR", "unexpected NULL in column", 502);
  return *value;
}

int64_t Result::Row::integer(int column) const {
  return parse_integer(text(column));
}

std::optional<int64_t> Result::Row::opt_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return parse_integer(*values[column]);
}

bool Result::Row::boolean(int column) const {
  return parse_boolean(text(column));
}

// --- pool ---------------------------------------------------------------------------------------

Lease::~Lease() {
  if (conn_) db_->release(std::move(conn_), false);
}

Database::Database(Dialect dialect, Factory factory, int max_connections,
                   std::chrono::milliseconds acquire_timeout)
    : dialect_(dialect),
      factory_(std::move(factory)),
      max_(max_connections),
      acquire_timeout_(acquire_timeout),
      workers_(static_cast<std::size_t>(max_connections)) {}

Database::~Database() {
  close();
}

Lease Database::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  for (;;) {
    // Reuse an idle connection when one is healthy; drop the ones that lost their server.
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      const bool ok = conn->alive();
      lock.lock();
      if (ok) return Lease(this, std::move(conn));
      --open_;
      log::warn("db.connection_dropped", {}, "a pooled connection was dead; reconnecting");
    }

    // Open a new one while there is room.
    if (open_ < max_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, factory_());
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }

    ++waiting_;
    const bool woke = available_.wait_until(lock, deadline) != std::cv_status::timeout;
    --waiting_;
    if (!woke && idle_.empty() && open_ >= max_) {
      throw Error("DATABASE_ERROR", "timed out waiting for a database connection", 502);
    }
  }
}

void Database::release(std::unique_ptr<Connection> conn, bool broken) {
  std::lock_guard lock(mutex_);
  if (broken) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

bool Database::ping() {
  try {
    auto lease = acquire();
    lease->query("SELECT 1");
    return true;
  } catch (const std::exception& e) {
    log::warn("db.ping_failed", {{"error", e.what()}}, "database unreachable");
    return false;
  }
}

PoolStats Database::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_, open_ - static_cast<int>(idle_.size()), max_, waiting_};
}

void Database::close() {
  workers_.join();
  std::lock_guard lock(mutex_);
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
}

std::unique_ptr<Database> open_database(const OpenOptions& options) {
  if (!options.postgres_conninfo.empty()) {
    const std::string conninfo = options.postgres_conninfo;
    auto db = std::make_unique<Database>(
        Dialect::postgres, [conninfo] { return open_postgres(conninfo); }, options.max_connections,
        options.acquire_timeout);
    return db;
  }
  const std::string path = options.sqlite_path;
  return std::make_unique<Database>(
      Dialect::sqlite, [path] { return open_sqlite(path); }, options.max_connections,
      options.acquire_timeout);
}

}  // namespace stipple::db
