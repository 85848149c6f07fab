#include "modules/objects/object_store.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <unordered_set>

#include "base/error.h"
#include "base/log.h"
#include "db/sql.h"
#include "modules/objects/object_json.h"

namespace stipple::objects {
namespace {

using db::placeholders;

// Ids per `IN (...)` list: well under SQLite's limit of bound variables.
constexpr std::size_t kIdsPerQuery = 500;
// Bytes of COPY text gathered before they are handed to libpq.
constexpr std::size_t kCopyBufferBytes = 1 << 20;

Error db_error(std::string message) {
  return Error("DATABASE_ERROR", std::move(message), 502);
}

// --- PostgreSQL ---------------------------------------------------------------------------------

// Appends `s` in COPY text format: backslash, tab, newline and carriage return are escaped.
void append_copy_field(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

// As append_copy_field, flushing whenever `out` is full, so a huge value (a model's root object
// lists its whole closure) is never escaped into memory whole.
template <typename Flush>
void append_large_copy_field(std::string& out, std::string_view s, const Flush& flush) {
  constexpr std::size_t kSlice = 256 * 1024;
  while (!s.empty()) {
    append_copy_field(out, s.substr(0, kSlice));
    s.remove_prefix(std::min(kSlice, s.size()));
    if (out.size() >= kCopyBufferBytes) flush();
  }
}

// A PostgreSQL array literal of text values: {"a","b"}, quotes and backslashes escaped.
std::string pg_text_array(std::span<const std::string> values) {
  std::string out = "{";
  for (const auto& value : values) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('"');
    for (const char c : value) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

void check_pg(PGconn* pg, PGresult* result, std::string_view what) {
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  const std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(pg);
  if (result) PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw db_error(std::string(what) + ": " + message);
  }
}

// A COPY ... FROM STDIN in text format, fed row by row through a buffer of kCopyBufferBytes.
class CopyIn {
 public:
  CopyIn(PGconn* pg, const char* sql, std::string_view what) : pg_(pg) {
    PGresult* start = PQexec(pg, sql);
    if (!start || PQresultStatus(start) != PGRES_COPY_IN) check_pg(pg, start, what);
    PQclear(start);
    buffer_.reserve(kCopyBufferBytes * 2);
  }

  // One column of the row being written; `last` ends the row.
  void field(std::string_view value, bool last = false) {
    append_large_copy_field(buffer_, value, [this] { flush(); });
    buffer_.push_back(last ? '\n' : '\t');
    if (buffer_.size() >= kCopyBufferBytes) flush();
  }

  // Ends the COPY. Returns false when it failed on a unique_violation (the row was stored by
  // someone else meanwhile); throws for any other failure.
  bool finish() {
    if (!buffer_.empty()) flush();
    if (PQputCopyEnd(pg_, nullptr) != 1) {
      throw db_error(std::string("COPY failed: ") + PQerrorMessage(pg_));
    }
    bool conflict = false;
    while (PGresult* result = PQgetResult(pg_)) {
      if (PQresultStatus(result) == PGRES_FATAL_ERROR) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        if (state && std::string_view(state) == "23505") conflict = true;
      }
      if (conflict) {
        PQclear(result);
        continue;
      }
      check_pg(pg_, result, "COPY failed");
    }
    return !conflict;
  }

 private:
  void flush() {
    if (PQputCopyData(pg_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      throw db_error(std::string("COPY failed: ") + PQerrorMessage(pg_));
    }
    buffer_.clear();
  }

  PGconn* pg_;
  std::string buffer_;
};

void copy_spool_postgres(PGconn* pg, ObjectSpool& spool) {
  CopyIn copy(pg, "COPY objects_staging (seq, id, speckle_type, data) FROM STDIN",
              "COPY into the staging table failed");
  PreparedObject object;
  for (std::size_t i = 0; i < spool.size(); ++i) {
    spool.read(i, object);
    copy.field(std::to_string(i));
    copy.field(object.id);
    copy.field(object.speckle_type);
    copy.field(object.data, true);
  }
  if (!copy.finish()) throw db_error("COPY failed: duplicate row in the staging table");
}

// A COPY that a row already stored made fail (unique_violation): another upload stored some of
// the same objects between our check and our COPY.
struct CopyConflict : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The fast path: the spool's objects that are not stored yet, last of each id, COPYed straight
// into `objects` in id order. Throws CopyConflict when a concurrent upload got there first.
void copy_new_objects_postgres(db::Connection& conn, std::string_view project_id,
                               ObjectSpool& spool, int64_t now_ms) {
  // The last record of each id, in id (byte) order.
  std::vector<std::size_t> order(spool.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return spool.id(a) < spool.id(b); });
  std::vector<std::size_t> latest;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k + 1 < order.size() && spool.id(order[k + 1]) == spool.id(order[k])) continue;
    latest.push_back(order[k]);
  }

  // Which of them are stored already (looked up key by key, whatever the statistics).
  std::vector<std::string> ids;
  ids.reserve(latest.size());
  for (const auto i : latest) ids.push_back(spool.id(i));
  const std::string array = pg_text_array(ids);
  std::unordered_set<std::string> stored;
  const db::Param params[] = {project_id, std::string_view(array)};
  conn.query_each(
      "SELECT u.id FROM unnest($2::text[]) AS u(id) CROSS JOIN LATERAL ("
      "  SELECT 1 FROM objects o WHERE o.project_id = $1 AND o.id = u.id LIMIT 1) e",
      params, [&](const db::RowView& row) {
        stored.emplace(row.text(0));
        return true;
      });

  CopyIn copy(conn.postgres_handle(),
              "COPY objects (project_id, id, speckle_type, data, created_at) FROM STDIN",
              "COPY into objects failed");
  const std::string created = std::to_string(now_ms);
  PreparedObject object;
  for (const auto i : latest) {
    if (stored.contains(spool.id(i))) continue;
    spool.read(i, object);
    copy.field(project_id);
    copy.field(object.id);
    copy.field(object.speckle_type);
    copy.field(object.data);
    copy.field(created, true);
  }
  if (!copy.finish()) throw CopyConflict("an object was stored by another upload meanwhile");
}

void store_postgres(db::Connection& conn, std::string_view project_id, ObjectSpool& spool,
                    int64_t now_ms) {
  try {
    conn.transaction([&] { copy_new_objects_postgres(conn, project_id, spool, now_ms); });
    return;
  } catch (const CopyConflict& e) {
    // Rolled back; the staging path below tolerates objects that are already stored.
    log::info("objects.copy_conflict", {{"project", project_id}, {"objects", spool.size()}},
              e.what());
  }
  conn.transaction([&] {
    conn.exec_script(
        "CREATE TEMP TABLE objects_staging (seq BIGINT NOT NULL, id TEXT NOT NULL, "
        "speckle_type TEXT NOT NULL, data TEXT NOT NULL) ON COMMIT DROP");
    copy_spool_postgres(conn.postgres_handle(), spool);

    // The last row of an id wins; rows go in id order so concurrent uploads of overlapping
    // objects take their locks in the same order and cannot deadlock.
    conn.query(
        "INSERT INTO objects (project_id, id, speckle_type, data, created_at) "
        "SELECT $1, id, speckle_type, data, $2 FROM ("
        "  SELECT DISTINCT ON (id) id, speckle_type, data FROM objects_staging "
        "  ORDER BY id, seq DESC) latest "
        "ORDER BY id COLLATE \"C\" "
        "ON CONFLICT (project_id, id) DO NOTHING",
        {project_id, now_ms});
  });
}

// --- SQLite -------------------------------------------------------------------------------------

void store_sqlite(db::Connection& conn, std::string_view project_id, ObjectSpool& spool,
                  int64_t now_ms) {
  sqlite3* handle = conn.sqlite_handle();
  conn.transaction([&] {
    sqlite3_stmt* raw = nullptr;
    constexpr std::string_view kInsert =
        "INSERT INTO objects (project_id, id, speckle_type, data, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (project_id, id) DO NOTHING";
    if (sqlite3_prepare_v2(handle, kInsert.data(), static_cast<int>(kInsert.size()), &raw,
                           nullptr) != SQLITE_OK) {
      throw db_error(std::string("prepare failed: ") + sqlite3_errmsg(handle));
    }
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    sqlite3_bind_text64(raw, 1, project_id.data(), project_id.size(), SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_int64(raw, 5, now_ms);

    // Newest first, so that with DO NOTHING the last object of an id in the request wins.
    PreparedObject object;
    for (std::size_t i = spool.size(); i-- > 0;) {
      spool.read(i, object);
      sqlite3_bind_text64(raw, 2, object.id.data(), object.id.size(), SQLITE_STATIC, SQLITE_UTF8);
      sqlite3_bind_text64(raw, 3, object.speckle_type.data(), object.speckle_type.size(),
                          SQLITE_STATIC, SQLITE_UTF8);
      sqlite3_bind_text64(raw, 4, object.data.data(), object.data.size(), SQLITE_STATIC,
                          SQLITE_UTF8);
      if (sqlite3_step(raw) != SQLITE_DONE) {
        throw db_error(std::string("insert failed: ") + sqlite3_errmsg(handle));
      }
      sqlite3_reset(raw);
    }
  });
}

// --- children -----------------------------------------------------------------------------------

// The closure entries of the parents below the depth (each child once per parent) after an id,
// joined to the project's objects and numbered per parent in id order, so that one statement
// pages every parent at once. Depths that are not numbers name no child. Parameters: project,
// depth, after id, per-parent limit, then the parent ids in place of the mark.
constexpr std::string_view kParentsMark = "<parents>";
constexpr std::string_view kChildrenPostgres =
    "WITH kids AS (SELECT DISTINCT r.id AS parent, c.key AS child FROM objects r "
    "CROSS JOIN LATERAL json_each(CASE WHEN json_typeof(r.data::json -> '__closure') = 'object' "
    "THEN r.data::json -> '__closure' ELSE '{}'::json END) c "
    "WHERE r.project_id = $1 AND r.id IN (<parents>) "
    "AND CASE WHEN json_typeof(c.value) = 'number' THEN (c.value::text)::numeric < $2 "
    "ELSE false END AND c.key <> r.id AND c.key COLLATE \"C\" > $3), "
    "ranked AS (SELECT k.parent, o.id, o.speckle_type, o.total_children_count, o.created_at, "
    "o.data, ROW_NUMBER() OVER (PARTITION BY k.parent ORDER BY o.id COLLATE \"C\") AS n "
    "FROM kids k JOIN objects o ON o.project_id = $1 AND o.id = k.child) "
    "SELECT parent, id, speckle_type, total_children_count, created_at, data FROM ranked "
    "WHERE n <= $4 ORDER BY parent COLLATE \"C\", id COLLATE \"C\"";
constexpr std::string_view kChildrenSqlite =
    "WITH kids AS (SELECT DISTINCT r.id AS parent, c.key AS child "
    "FROM objects r, json_each(r.data, '$.__closure') c "
    "WHERE r.project_id = $1 AND r.id IN (<parents>) "
    "AND json_type(r.data, '$.__closure') = 'object' AND c.type IN ('integer', 'real') "
    "AND c.value < $2 AND c.key <> r.id AND c.key > $3), "
    "ranked AS (SELECT k.parent, o.id, o.speckle_type, o.total_children_count, o.created_at, "
    "o.data, ROW_NUMBER() OVER (PARTITION BY k.parent ORDER BY o.id) AS n "
    "FROM kids k JOIN objects o ON o.project_id = $1 AND o.id = k.child) "
    "SELECT parent, id, speckle_type, total_children_count, created_at, data FROM ranked "
    "WHERE n <= $4 ORDER BY parent, id";

}  // namespace

void store_spool(db::Connection& conn, std::string_view project_id, ObjectSpool& spool,
                 int64_t now_ms) {
  if (spool.size() == 0) return;
  if (conn.dialect() == db::Dialect::postgres) {
    store_postgres(conn, project_id, spool, now_ms);
  } else {
    store_sqlite(conn, project_id, spool, now_ms);
  }
}

std::unordered_set<std::string> existing_ids(db::Connection& conn, std::string_view project_id,
                                             const std::vector<std::string>& ids) {
  std::unordered_set<std::string> found;
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const std::size_t count = std::min(kIdsPerQuery, ids.size() - start);
    std::vector<db::Param> params{project_id};
    for (std::size_t i = 0; i < count; ++i) params.emplace_back(std::string_view(ids[start + i]));
    const std::string sql =
        "SELECT id FROM objects WHERE project_id = $1 AND id IN (" + placeholders(2, count) + ")";
    conn.query_each(sql, params, [&](const db::RowView& row) {
      found.emplace(row.text(0));
      return true;
    });
  }
  return found;
}

std::optional<StoredObject> find_object(db::Connection& conn, std::string_view project_id,
                                        std::string_view id) {
  const auto result =
      conn.query("SELECT data, total_children_count FROM objects WHERE project_id = $1 AND id = $2",
                 {project_id, id});
  if (result.empty()) return std::nullopt;
  return StoredObject{result[0].text(0), result[0].opt_integer(1)};
}

// SQLite's JSON functions would parse a big root (it lists the whole closure) into memory and
// materialise its keys: the keys are read here from the root's text instead, packed in one
// buffer, sorted, and their rows fetched in id order a slice at a time.
void each_closure_object_sqlite(db::Connection& conn, std::string_view project_id,
                                std::string_view root_id, const OnObject& on_row) {
  std::string packed;                                      // every key, back to back
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset and length of each
  {
    const auto root = conn.query("SELECT data FROM objects WHERE project_id = $1 AND id = $2",
                                 {project_id, root_id});
    if (root.empty()) return;
    for_each_member(root[0].text(0), [&](std::string_view raw_key, std::string_view value) {
      if (decode_key(raw_key) != "__closure") return true;
      packed.clear();  // the last occurrence wins
      spans.clear();
      if (value.empty() || value.front() != '{') return true;
      for_each_member(value, [&](std::string_view raw_child, std::string_view) {
        const std::string key = raw_child.find('\\') == std::string_view::npos
                                    ? std::string(raw_child.substr(1, raw_child.size() - 2))
                                    : decode_key(raw_child);
        spans.emplace_back(packed.size(), key.size());
        packed += key;
        return true;
      });
      return true;
    });
  }
  const auto key = [&](const std::pair<std::size_t, std::size_t>& span) {
    return std::string_view(packed).substr(span.first, span.second);
  };
  std::sort(spans.begin(), spans.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  spans.erase(std::unique(spans.begin(), spans.end(),
                          [&](const auto& a, const auto& b) { return key(a) == key(b); }),
              spans.end());
  std::erase_if(spans, [&](const auto& span) { return key(span) == root_id; });

  bool wanted = true;
  for (std::size_t start = 0; wanted && start < spans.size(); start += kIdsPerQuery) {
    const std::size_t count = std::min(kIdsPerQuery, spans.size() - start);
    std::vector<db::Param> params{project_id};
    for (std::size_t i = 0; i < count; ++i) params.emplace_back(key(spans[start + i]));
    conn.query_each("SELECT id, data FROM objects WHERE project_id = $1 AND id IN (" +
                        placeholders(2, count) + ") ORDER BY id",
                    params, [&](const db::RowView& row) {
                      wanted = on_row(row.text(0), row.text(1));
                      return wanted;
                    });
  }
}

void each_closure_object(db::Connection& conn, std::string_view project_id,
                         std::string_view root_id, const OnObject& on_row) {
  if (conn.dialect() != db::Dialect::postgres) {
    each_closure_object_sqlite(conn, project_id, root_id, on_row);
    return;
  }
  // The closure is read from the root row of this project only and expanded by PostgreSQL's
  // JSON functions, so the ids are never all held in the server's memory. The ids are sorted
  // first and each row is then fetched by its key (a LATERAL subquery with LIMIT cannot be
  // turned into a join), so rows stream out in order without sorting their data, and the plan
  // does not depend on the table's statistics (stale right after a big upload).
  const std::string_view sql =
      "SELECT ids.id, o.data FROM ("
      "  SELECT DISTINCT k.id AS id, k.id COLLATE \"C\" AS sort_id "
      "  FROM objects r, json_object_keys(CASE WHEN json_typeof(r.data::json -> '__closure') = "
      "'object' THEN r.data::json -> '__closure' ELSE '{}'::json END) AS k(id) "
      "  WHERE r.project_id = $1 AND r.id = $2 AND k.id <> $2 ORDER BY sort_id) ids "
      "CROSS JOIN LATERAL (SELECT o.data FROM objects o "
      "  WHERE o.project_id = $1 AND o.id = ids.id LIMIT 1) o "
      "ORDER BY ids.sort_id";
  const db::Param params[] = {project_id, root_id};
  conn.query_each(sql, params,
                  [&](const db::RowView& row) { return on_row(row.text(0), row.text(1)); });
}

void each_object(db::Connection& conn, std::string_view project_id,
                 std::span<const std::string> ids, const OnObject& on_row) {
  if (ids.empty()) return;
  const auto row = [&](const db::RowView& r) { return on_row(r.text(0), r.text(1)); };
  if (conn.dialect() == db::Dialect::postgres) {
    // One array parameter, looked up key by key in id order (see each_closure_object): an IN
    // list is planned as a scan of the whole project while the table has no statistics.
    const std::string array = pg_text_array(ids);
    const db::Param params[] = {project_id, std::string_view(array)};
    conn.query_each(
        "SELECT ids.id, o.data FROM ("
        "  SELECT DISTINCT u.id AS id, u.id COLLATE \"C\" AS sort_id "
        "  FROM unnest($2::text[]) AS u(id) ORDER BY sort_id) ids "
        "CROSS JOIN LATERAL (SELECT o.data FROM objects o "
        "  WHERE o.project_id = $1 AND o.id = ids.id LIMIT 1) o "
        "ORDER BY ids.sort_id",
        params, row);
    return;
  }
  std::vector<db::Param> params{project_id};
  for (const auto& id : ids) params.emplace_back(std::string_view(id));
  const std::string sql = "SELECT id, data FROM objects WHERE project_id = $1 AND id IN (" +
                          placeholders(2, ids.size()) + ") ORDER BY id";
  conn.query_each(sql, params, row);
}

void store_created_objects(db::Connection& conn, std::string_view project_id,
                           const std::vector<CreatedObject>& objects, int64_t now_ms) {
  if (objects.empty()) return;
  // Rows go in id order so that concurrent writers of overlapping objects cannot deadlock.
  std::vector<const CreatedObject*> ordered;
  for (const auto& o : objects) ordered.push_back(&o);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto* a, const auto* b) { return a->object.id < b->object.id; });
  conn.transaction([&] {
    for (const auto* o : ordered) {
      conn.execute(
          "INSERT INTO objects (project_id, id, speckle_type, total_children_count, data, "
          "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, id) DO NOTHING",
          {project_id, std::string_view(o->object.id), std::string_view(o->object.speckle_type),
           o->total_children_count, std::string_view(o->object.data), now_ms});
    }
  });
}

void each_child(db::Connection& conn, std::string_view project_id, const ChildrenScan& scan,
                const OnChild& on_child) {
  if (scan.parent_ids.empty()) return;
  std::string sql(conn.dialect() == db::Dialect::postgres ? kChildrenPostgres : kChildrenSqlite);
  sql.replace(sql.find(kParentsMark), kParentsMark.size(), placeholders(5, scan.parent_ids.size()));

  std::vector<db::Param> params{project_id, scan.depth, std::string_view(scan.after_id),
                                scan.per_parent.value_or(std::numeric_limits<int64_t>::max())};
  for (const auto& id : scan.parent_ids) params.emplace_back(std::string_view(id));
  conn.query_each(sql, params, [&](const db::RowView& row) {
    ChildRow child{std::string(row.text(1)), std::string(row.text(2)),
                   row.is_null(3) ? std::nullopt : std::optional<int64_t>(row.integer(3)),
                   row.integer(4), std::string(row.text(5))};
    return on_child(row.text(0), std::move(child));
  });
}

}  // namespace stipple::objects
