#include "modules/versions/version_repository.h"

#include <unordered_map>

#include "modules/projects/project_repository.h"

namespace stipple::versions {
namespace {

using projects::placeholders;

// Column lists are macros so statements are single literals.
#define STIPPLE_VERSION_COLUMNS                                                   \
  "v.id, v.project_id, v.model_id, v.referenced_object, v.author_id, v.message, " \
  "v.source_application, v.total_children_count, v.parents, v.created_at"

Version version_from_row(const db::Result::Row& row) {
  Version v;
  v.id = row.text(0);
  v.project_id = row.text(1);
  v.model_id = row.text(2);
  v.referenced_object = row.text(3);
  v.author_id = row.opt_text(4);
  v.message = row.opt_text(5);
  v.source_application = row.opt_text(6);
  v.total_children_count = row.opt_integer(7);
  if (!row.is_null(8)) v.parents = decode_parents(row.text(8));
  v.created_at = row.integer(9);
  return v;
}

db::Param optional_param(const std::optional<std::string>& value) {
  return value ? db::Param(std::string_view(*value)) : db::Param(nullptr);
}

}  // namespace

void insert_version(db::Connection& conn, const Version& v) {
  const std::optional<std::string> parents =
      v.parents ? std::optional<std::string>(encode_parents(*v.parents)) : std::nullopt;
  conn.execute(
      "INSERT INTO versions (id, project_id, model_id, referenced_object, author_id, message, "
      "source_application, total_children_count, parents, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {v.id, v.project_id, v.model_id, v.referenced_object, optional_param(v.author_id),
       optional_param(v.message), optional_param(v.source_application),
       v.total_children_count ? db::Param(*v.total_children_count) : db::Param(nullptr),
       optional_param(parents), v.created_at});
}

std::optional<Version> find_version(db::Connection& conn, std::string_view project_id,
                                    std::string_view id) {
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_VERSION_COLUMNS
                             " FROM versions v WHERE v.project_id = $1 AND v.id = $2"),
                 {project_id, id});
  if (result.empty()) return std::nullopt;
  return version_from_row(result[0]);
}

std::vector<Version> find_versions(db::Connection& conn, std::string_view project_id,
                                   const std::vector<std::string>& ids) {
  std::vector<Version> out;
  if (ids.empty()) return out;
  std::vector<db::Param> params = {project_id};
  params.insert(params.end(), ids.begin(), ids.end());
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_VERSION_COLUMNS
                             " FROM versions v WHERE v.project_id = $1 AND v.id IN (") +
                     placeholders(2, ids.size()) + ")",
                 params);
  for (const auto& row : result.rows) out.push_back(version_from_row(row));
  return out;
}

void save_version(db::Connection& conn, const Version& v) {
  conn.execute("UPDATE versions SET message = $2, model_id = $3 WHERE id = $1",
               {v.id, optional_param(v.message), v.model_id});
}

void delete_versions(db::Connection& conn, std::string_view project_id,
                     const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::vector<db::Param> params = {project_id};
  params.insert(params.end(), ids.begin(), ids.end());
  conn.query(
      "DELETE FROM versions WHERE project_id = $1 AND id IN (" + placeholders(2, ids.size()) + ")",
      params);
}

projects::Page<Version> list_versions(db::Connection& conn, const VersionsQuery& q) {
  // Filters shared by the count and the page.
  std::vector<std::string> values;
  std::string where = " FROM versions v WHERE 1 = 1";
  const auto bind = [&](const std::string& value) {
    values.push_back(value);
    return "$" + std::to_string(values.size());
  };
  if (!q.project_id.empty()) where += " AND v.project_id = " + bind(q.project_id);
  if (q.model_id) where += " AND v.model_id = " + bind(*q.model_id);
  if (q.author_id) where += " AND v.author_id = " + bind(*q.author_id);

  projects::Page<Version> page;
  std::vector<db::Param> params(values.begin(), values.end());
  page.total_count = conn.query("SELECT COUNT(*)" + where, params)[0].integer(0);
  if (q.limit <= 0) return page;

  // Priority versions lead the first page.
  std::vector<Version> priority;
  if (!q.priority_ids.empty() && !q.after && !q.project_id.empty()) {
    for (auto& v : find_versions(conn, q.project_id, q.priority_ids)) {
      if (!q.model_id || v.model_id == *q.model_id) priority.push_back(std::move(v));
    }
    std::sort(priority.begin(), priority.end(),
              [](const Version& a, const Version& b) { return a.created_at > b.created_at; });
    if (static_cast<int64_t>(priority.size()) > q.limit) priority.resize(q.limit);
  }
  if (q.priority_only) {
    page.items = std::move(priority);
  } else {
    // Keyset: continue after the cursor's (created_at, id).
    std::string keyset;
    if (q.after) {
      const auto n = std::to_string(params.size() + 1);
      const auto k = std::to_string(params.size() + 2);
      keyset =
          " AND (v.created_at < $" + n + " OR (v.created_at = $" + n + " AND v.id < $" + k + "))";
      params.emplace_back(q.after->sort_key);
      params.emplace_back(std::string_view(q.after->id));
    }
    params.emplace_back(q.limit);
    const auto result = conn.query(std::string("SELECT " STIPPLE_VERSION_COLUMNS) + where + keyset +
                                       " ORDER BY v.created_at DESC, v.id DESC LIMIT $" +
                                       std::to_string(params.size()),
                                   params);
    page.items = std::move(priority);
    for (const auto& row : result.rows) {
      if (static_cast<int64_t>(page.items.size()) >= q.limit) break;
      auto v = version_from_row(row);
      const bool listed = std::any_of(page.items.begin(), page.items.end(),
                                      [&](const Version& p) { return p.id == v.id; });
      if (!listed) page.items.push_back(std::move(v));
    }
  }
  if (!page.items.empty()) {
    page.cursor = projects::encode_cursor({page.items.back().created_at, page.items.back().id});
  }
  return page;
}

std::vector<int64_t> count_model_versions(db::Connection& conn,
                                          const std::vector<std::string>& model_ids) {
  std::vector<int64_t> out(model_ids.size(), 0);
  if (model_ids.empty()) return out;
  const std::vector<db::Param> params(model_ids.begin(), model_ids.end());
  const auto result = conn.query("SELECT model_id, COUNT(*) FROM versions WHERE model_id IN (" +
                                     placeholders(1, model_ids.size()) + ") GROUP BY model_id",
                                 params);
  std::unordered_map<std::string, int64_t> counts;
  for (const auto& row : result.rows) counts[row.text(0)] = row.integer(1);
  for (std::size_t i = 0; i < model_ids.size(); ++i) {
    if (const auto it = counts.find(model_ids[i]); it != counts.end()) out[i] = it->second;
  }
  return out;
}

std::vector<Version> latest_versions(db::Connection& conn,
                                     const std::vector<std::string>& model_ids, int64_t per_model) {
  std::vector<Version> out;
  if (model_ids.empty() || per_model <= 0) return out;
  std::vector<db::Param> params(model_ids.begin(), model_ids.end());
  params.emplace_back(per_model);
  const auto result = conn.query(
      std::string(
          "SELECT " STIPPLE_VERSION_COLUMNS
          " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY model_id ORDER BY created_at DESC, "
          "id DESC) AS position FROM versions WHERE model_id IN (") +
          placeholders(1, model_ids.size()) + ")) v WHERE v.position <= $" +
          std::to_string(params.size()) + " ORDER BY v.model_id, v.created_at DESC, v.id DESC",
      params);
  for (const auto& row : result.rows) out.push_back(version_from_row(row));
  return out;
}

std::vector<std::string> project_source_apps(db::Connection& conn, std::string_view project_id) {
  std::vector<std::string> out;
  const auto result = conn.query(
      "SELECT DISTINCT source_application FROM versions WHERE project_id = $1 AND "
      "source_application IS NOT NULL ORDER BY source_application",
      {project_id});
  for (const auto& row : result.rows) out.push_back(row.text(0));
  return out;
}

std::optional<std::optional<int64_t>> root_object_child_count(db::Connection& conn,
                                                              std::string_view project_id,
                                                              std::string_view object_id) {
  // A read of the objects module's table: only the child-count column, never the (possibly
  // large) JSON a full object read would bring.
  const auto result =
      conn.query("SELECT total_children_count FROM objects WHERE project_id = $1 AND id = $2",
                 {project_id, object_id});
  if (result.empty()) return std::nullopt;
  return result[0].opt_integer(0);
}

}  // namespace stipple::versions
