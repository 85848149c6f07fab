// PostgreSQL driver on libpq. Parameters are sent as text; results are read as text.
// A connection whose server went away reports !alive() and the pool replaces it, so the process
// reconnects after a database restart without operator action.
#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <string>

#include "base/error.h"
#include "db/database.h"

namespace stipple::db {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Parameters rendered as text, kept alive for the duration of one call.
class TextParams {
 public:
  explicit TextParams(std::span<const Param> params) {
    storage_.resize(params.size());
    values_.resize(params.size());
    lengths_.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values_[i] = nullptr;
            } else {
              if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>) {
                storage_[i] = std::to_string(v);
              } else if constexpr (std::is_same_v<T, bool>) {
                storage_[i] = v ? "t" : "f";
              } else {
                storage_[i].assign(v.data(), v.size());
              }
              values_[i] = storage_[i].c_str();
              lengths_[i] = static_cast<int>(storage_[i].size());
            }
          },
          params[i]);
    }
  }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
};

class PgRow final : public RowView {
 public:
  PgRow(PGresult* result, int row) : result_(result), row_(row) {}
  int size() const override { return PQnfields(result_); }
  bool is_null(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  std::string_view text(int column) const override {
    return std::string_view(PQgetvalue(result_, row_, column),
                            static_cast<std::size_t>(PQgetlength(result_, row_, column)));
  }

 private:
  PGresult* result_;
  int row_;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      throw Error("DATABASE_ERROR", "cannot connect to PostgreSQL: " + trim(message), 502);
    }
    // Quieten NOTICE messages (e.g. "relation already exists, skipping").
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    check(PgResult(PQexec(conn_, "SET client_min_messages TO warning")), "configure");
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::postgres; }

  void exec_script(std::string_view sql) override {
    count_statement();
    const std::string text(sql);
    check(PgResult(PQexec(conn_, text.c_str())), "script failed");
  }

  Result query(std::string_view sql, std::span<const Param> params) override {
    count_statement();
    const std::string text(sql);
    const TextParams p(params);
    PgResult r(
        PQexecParams(conn_, text.c_str(), p.count(), nullptr, p.values(), p.lengths(), nullptr, 0));
    check(r, "query failed");

    Result result;
    const int columns = PQnfields(r.get());
    const int rows = PQntuples(r.get());
    for (int c = 0; c < columns; ++c) result.columns.emplace_back(PQfname(r.get(), c));
    result.rows.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      Result::Row row;
      row.values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r.get(), i, c)) {
          row.values.emplace_back(std::nullopt);
        } else {
          row.values.emplace_back(std::string(
              PQgetvalue(r.get(), i, c), static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
        }
      }
      result.rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(r.get());
    if (affected && *affected) {
      std::from_chars(affected, affected + std::strlen(affected), result.affected);
    }
    return result;
  }

  void query_each(std::string_view sql, std::span<const Param> params,
                  const std::function<bool(const RowView&)>& on_row) override {
    count_statement();
    const std::string text(sql);
    const TextParams p(params);
    if (!PQsendQueryParams(conn_, text.c_str(), p.count(), nullptr, p.values(), p.lengths(),
                           nullptr, 0)) {
      throw Error("DATABASE_ERROR", "query failed: " + trim(PQerrorMessage(conn_)), 502);
    }
    PQsetSingleRowMode(conn_);

    // Rows arrive one result each; after an early stop the rest are drained so the connection
    // is ready for the next statement.
    bool wanted = true;
    std::string error;
    while (PGresult* raw = PQgetResult(conn_)) {
      PgResult r(raw);
      const auto status = PQresultStatus(r.get());
      if (status == PGRES_SINGLE_TUPLE) {
        if (wanted) wanted = on_row(PgRow(r.get(), 0));
      } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && error.empty()) {
        error = trim(PQresultErrorMessage(r.get()));
      }
    }
    if (!error.empty()) throw Error("DATABASE_ERROR", "query failed: " + error, 502);
  }

  bool alive() override {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    PgResult r(PQexec(conn_, ""));
    return r && PQresultStatus(r.get()) == PGRES_EMPTY_QUERY && PQstatus(conn_) == CONNECTION_OK;
  }

  void begin() override { exec_script("BEGIN"); }
  void commit() override { exec_script("COMMIT"); }
  void rollback() override { exec_script("ROLLBACK"); }

  pg_conn* postgres_handle() override { return conn_; }

 private:
  static std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }

  void check(const PgResult& r, std::string_view what) {
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return;
    }
    const std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_);
    throw Error("DATABASE_ERROR", std::string(what) + ": " + trim(message), 502);
  }

  PGconn* conn_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& conninfo) {
  return std::make_unique<PgConnection>(conninfo);
}

}  // namespace stipple::db
