#include "modules/models/model_repository.h"

#include <unordered_map>

#include "modules/projects/project_repository.h"

namespace stipple::models {
namespace {

using projects::placeholders;

// Column lists are macros so statements are single literals.
#define STIPPLE_MODEL_COLUMNS \
  "m.id, m.project_id, m.author_id, m.name, m.description, m.created_at, m.updated_at"

Model model_from_row(const db::Result::Row& row) {
  Model m;
  m.id = row.text(0);
  m.project_id = row.text(1);
  m.author_id = row.opt_text(2);
  m.name = row.text(3);
  m.description = row.opt_text(4);
  m.created_at = row.integer(5);
  m.updated_at = row.integer(6);
  return m;
}

db::Param optional_param(const std::optional<std::string>& value) {
  return value ? db::Param(std::string_view(*value)) : db::Param(nullptr);
}

// Appends "$n, ..." for `list` to `values` and returns the placeholders.
std::string bind_list(std::vector<std::string>& values, const std::vector<std::string>& list) {
  const auto text = placeholders(values.size() + 1, list.size());
  values.insert(values.end(), list.begin(), list.end());
  return text;
}

}  // namespace

void insert_model(db::Connection& conn, const Model& m) {
  conn.execute(
      "INSERT INTO models (id, project_id, author_id, name, description, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {m.id, m.project_id, optional_param(m.author_id), m.name, optional_param(m.description),
       m.created_at, m.updated_at});
}

std::optional<Model> find_model(db::Connection& conn, std::string_view project_id,
                                std::string_view id) {
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_MODEL_COLUMNS
                             " FROM models m WHERE m.project_id = $1 AND m.id = $2"),
                 {project_id, id});
  if (result.empty()) return std::nullopt;
  return model_from_row(result[0]);
}

std::vector<Model> find_models(db::Connection& conn, const std::vector<std::string>& ids) {
  std::vector<Model> out;
  if (ids.empty()) return out;
  const std::vector<db::Param> params(ids.begin(), ids.end());
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_MODEL_COLUMNS " FROM models m WHERE m.id IN (") +
                     placeholders(1, ids.size()) + ")",
                 params);
  for (const auto& row : result.rows) out.push_back(model_from_row(row));
  return out;
}

std::optional<Model> find_model_by_name(db::Connection& conn, std::string_view project_id,
                                        std::string_view name) {
  const auto result =
      conn.query(std::string("SELECT " STIPPLE_MODEL_COLUMNS
                             " FROM models m WHERE m.project_id = $1 AND m.name = $2"),
                 {project_id, name});
  if (result.empty()) return std::nullopt;
  return model_from_row(result[0]);
}

void save_model(db::Connection& conn, const Model& m) {
  conn.execute("UPDATE models SET name = $2, description = $3, updated_at = $4 WHERE id = $1",
               {m.id, m.name, optional_param(m.description), m.updated_at});
}

void touch_model(db::Connection& conn, std::string_view id, int64_t now_ms) {
  conn.execute("UPDATE models SET updated_at = $2 WHERE id = $1", {id, now_ms});
}

bool delete_model(db::Connection& conn, std::string_view project_id, std::string_view id) {
  conn.execute("DELETE FROM versions WHERE project_id = $1 AND model_id = $2", {project_id, id});
  return conn.execute("DELETE FROM models WHERE project_id = $1 AND id = $2", {project_id, id}) > 0;
}

// The condition that hides an empty `main` from project.models, on models aliased `m`.
#define STIPPLE_LISTED_MODEL \
  "NOT (m.name = 'main' AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.model_id = m.id))"

projects::Page<Model> list_models(db::Connection& conn, const ModelsQuery& q) {
  // Filters shared by the count and the page.
  std::vector<std::string> values = {q.project_id};
  std::string where = " FROM models m WHERE m.project_id = $1";
  if (q.search && !q.search->empty()) {
    values.push_back("%" + *q.search + "%");
    where += " AND LOWER(m.name) LIKE LOWER($" + std::to_string(values.size()) + ")";
  }
  if (!q.source_apps.empty()) {
    where +=
        " AND EXISTS (SELECT 1 FROM versions v WHERE v.model_id = m.id AND "
        "v.source_application IN (" +
        bind_list(values, q.source_apps) + "))";
  }
  if (!q.contributors.empty()) {
    where += " AND EXISTS (SELECT 1 FROM versions v WHERE v.model_id = m.id AND v.author_id IN (" +
             bind_list(values, q.contributors) + "))";
  }
  if (q.only_with_versions) {
    where += " AND EXISTS (SELECT 1 FROM versions v WHERE v.model_id = m.id)";
  }
  if (q.ids) {
    if (q.ids->empty()) return {};
    where += " AND m.id IN (" + bind_list(values, *q.ids) + ")";
  }
  if (!q.exclude_ids.empty()) {
    where += " AND m.id NOT IN (" + bind_list(values, q.exclude_ids) + ")";
  }
  if (q.hide_empty_main) where += " AND " STIPPLE_LISTED_MODEL;

  projects::Page<Model> page;
  std::vector<db::Param> params(values.begin(), values.end());
  page.total_count = conn.query("SELECT COUNT(*)" + where, params)[0].integer(0);
  if (q.limit <= 0) return page;

  // Keyset: continue after the cursor's (updated_at, id).
  std::string keyset;
  if (q.after) {
    const auto n = std::to_string(params.size() + 1);
    const auto k = std::to_string(params.size() + 2);
    keyset =
        " AND (m.updated_at < $" + n + " OR (m.updated_at = $" + n + " AND m.id < $" + k + "))";
    params.emplace_back(q.after->sort_key);
    params.emplace_back(std::string_view(q.after->id));
  }
  params.emplace_back(q.limit);
  const auto result = conn.query(std::string("SELECT " STIPPLE_MODEL_COLUMNS) + where + keyset +
                                     " ORDER BY m.updated_at DESC, m.id DESC LIMIT $" +
                                     std::to_string(params.size()),
                                 params);
  for (const auto& row : result.rows) page.items.push_back(model_from_row(row));
  if (!page.items.empty()) {
    page.cursor = projects::encode_cursor({page.items.back().updated_at, page.items.back().id});
  }
  return page;
}

std::vector<int64_t> count_listed_models(db::Connection& conn,
                                         const std::vector<std::string>& project_ids) {
  std::vector<int64_t> out(project_ids.size(), 0);
  if (project_ids.empty()) return out;
  const std::vector<db::Param> params(project_ids.begin(), project_ids.end());
  const auto result =
      conn.query("SELECT m.project_id, COUNT(*) FROM models m WHERE m.project_id IN (" +
                     placeholders(1, project_ids.size()) +
                     ") AND " STIPPLE_LISTED_MODEL " GROUP BY m.project_id",
                 params);
  std::unordered_map<std::string, int64_t> counts;
  for (const auto& row : result.rows) counts[row.text(0)] = row.integer(1);
  for (std::size_t i = 0; i < project_ids.size(); ++i) {
    if (const auto it = counts.find(project_ids[i]); it != counts.end()) out[i] = it->second;
  }
  return out;
}

std::vector<Model> latest_listed_models(db::Connection& conn,
                                        const std::vector<std::string>& project_ids,
                                        int64_t per_project) {
  std::vector<Model> out;
  if (project_ids.empty() || per_project <= 0) return out;
  std::vector<db::Param> params(project_ids.begin(), project_ids.end());
  params.emplace_back(per_project);
  const auto result = conn.query(
      std::string(
          "SELECT " STIPPLE_MODEL_COLUMNS
          " FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.project_id ORDER BY "
          "m.updated_at DESC, m.id DESC) AS position FROM models m WHERE m.project_id IN (") +
          placeholders(1, project_ids.size()) +
          ") AND " STIPPLE_LISTED_MODEL ") m WHERE m.position <= $" +
          std::to_string(params.size()) + " ORDER BY m.project_id, m.updated_at DESC, m.id DESC",
      params);
  for (const auto& row : result.rows) out.push_back(model_from_row(row));
  return out;
}

std::vector<Model> list_project_models(db::Connection& conn, std::string_view project_id) {
  std::vector<Model> out;
  const auto result = conn.query(
      std::string("SELECT " STIPPLE_MODEL_COLUMNS " FROM models m WHERE m.project_id = $1 "
                  "ORDER BY m.created_at, m.id"),
      {project_id});
  for (const auto& row : result.rows) out.push_back(model_from_row(row));
  return out;
}

std::vector<std::string> models_with_versions(db::Connection& conn,
                                              const std::vector<std::string>& model_ids) {
  std::vector<std::string> out;
  if (model_ids.empty()) return out;
  const std::vector<db::Param> params(model_ids.begin(), model_ids.end());
  const auto result = conn.query("SELECT DISTINCT model_id FROM versions WHERE model_id IN (" +
                                     placeholders(1, model_ids.size()) + ")",
                                 params);
  for (const auto& row : result.rows) out.push_back(row.text(0));
  return out;
}

}  // namespace stipple::models
