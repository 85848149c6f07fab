#include "modules/apps/app_registry.h"

#include <algorithm>

#include "base/error.h"
#include "base/ids.h"
#include "db/database.h"
#include "modules/auth/scopes.h"

namespace stipple::apps {
namespace {

constexpr std::string_view kAppColumns =
    "a.id, a.secret, a.name, a.description, a.terms_and_conditions_link, a.logo, a.public, "
    "a.trust_by_default, a.author_id, a.created_at, a.redirect_url";

db::Param optional_param(const std::optional<std::string>& value) {
  return value ? db::Param(std::string_view(*value)) : db::Param(nullptr);
}

AppDetails read_app(db::Connection& conn, const db::Result::Row& row) {
  AppDetails app;
  app.id = row.text(0);
  app.secret = row.text(1);
  app.name = row.text(2);
  app.description = row.opt_text(3);
  app.terms_and_conditions_link = row.opt_text(4);
  app.logo = row.opt_text(5);
  app.is_public = row.boolean(6);
  app.trust_by_default = row.boolean(7);
  app.author_id = row.opt_text(8);
  app.created_at = row.integer(9);
  app.redirect_url = row.text(10);
  const auto scopes = conn.query(
      "SELECT s.name, s.description FROM server_apps_scopes x JOIN scopes s "
      "ON s.name = x.scope_name WHERE x.app_id = $1 ORDER BY s.name",
      {std::string_view(app.id)});
  for (const auto& scope : scopes.rows) app.scopes.push_back({scope.text(0), scope.text(1)});
  return app;
}

std::vector<AppDetails> read_apps(db::Connection& conn, std::string_view sql,
                                  std::initializer_list<db::Param> params) {
  const auto result = conn.query(sql, params);
  std::vector<AppDetails> apps;
  apps.reserve(result.size());
  for (const auto& row : result.rows) apps.push_back(read_app(conn, row));
  return apps;
}

// The registered scopes among `requested`, sorted and without duplicates.
std::vector<std::string> known_scopes(const std::vector<std::string>& requested) {
  std::vector<std::string> scopes;
  for (const auto& scope : requested) {
    if (auth::is_known_scope(scope)) scopes.push_back(scope);
  }
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return scopes;
}

void insert_scopes(db::Connection& conn, std::string_view app_id,
                   const std::vector<std::string>& scopes) {
  for (const auto& scope : scopes) {
    conn.execute("INSERT INTO server_apps_scopes (app_id, scope_name) VALUES ($1, $2)",
                 {app_id, scope});
  }
}

// Deletes every credential issued through the app; returns the deleted api token ids.
std::vector<std::string> revoke_credentials(db::Connection& conn, std::string_view app_id) {
  std::vector<std::string> ids;
  for (const auto& row :
       conn.query("SELECT token_id FROM user_server_app_tokens WHERE app_id = $1", {app_id}).rows) {
    ids.push_back(row.text(0));
  }
  for (const auto& id : ids) conn.execute("DELETE FROM api_tokens WHERE id = $1", {id});
  conn.execute("DELETE FROM refresh_tokens WHERE app_id = $1", {app_id});
  conn.execute("DELETE FROM authorization_codes WHERE app_id = $1", {app_id});
  return ids;
}

}  // namespace

std::optional<AppDetails> load_app(db::Connection& conn, std::string_view id) {
  auto apps = read_apps(
      conn, "SELECT " + std::string(kAppColumns) + " FROM server_apps a WHERE a.id = $1", {id});
  if (apps.empty()) return std::nullopt;
  return std::move(apps.front());
}

std::vector<AppDetails> apps_created_by(db::Connection& conn, std::string_view user_id) {
  return read_apps(conn,
                   "SELECT " + std::string(kAppColumns) +
                       " FROM server_apps a WHERE a.author_id = $1 ORDER BY a.created_at DESC",
                   {user_id});
}

std::vector<AppDetails> apps_authorized_by(db::Connection& conn, std::string_view user_id) {
  return read_apps(conn,
                   "SELECT " + std::string(kAppColumns) +
                       " FROM server_apps a WHERE a.id IN (SELECT app_id FROM "
                       "user_server_app_tokens WHERE user_id = $1) ORDER BY a.name, a.id",
                   {user_id});
}

std::vector<AppDetails> public_apps(db::Connection& conn) {
  return read_apps(conn,
                   "SELECT " + std::string(kAppColumns) +
                       " FROM server_apps a WHERE a.public = TRUE ORDER BY a.name, a.id",
                   {});
}

std::string create_app(db::Connection& conn, std::string_view author_id, const AppInput& input,
                       int64_t now_ms) {
  const auto scopes = known_scopes(input.scopes);
  if (scopes.empty()) throw Error("APP_CREATE", "Cannot create an app with no scopes.", 400);

  const std::string id = new_id();
  const std::string secret = random_hex(kAppSecretLength);
  conn.transaction([&] {
    conn.execute(
        "INSERT INTO server_apps (id, secret, name, description, terms_and_conditions_link, "
        "logo, public, trust_by_default, author_id, created_at, redirect_url) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $9, $10)",
        {id, secret, input.name, optional_param(input.description),
         optional_param(input.terms_and_conditions_link), optional_param(input.logo),
         input.is_public.value_or(true), author_id, now_ms, input.redirect_url});
    insert_scopes(conn, id, scopes);
  });
  return id;
}

std::vector<std::string> update_app(db::Connection& conn, std::string_view app_id,
                                    const AppInput& input) {
  const auto scopes = known_scopes(input.scopes);
  if (scopes.empty()) throw Error("APP_UPDATE", "Cannot update an app to have no scopes.", 400);

  return conn.transaction([&] {
    const db::Param is_public = input.is_public ? db::Param(*input.is_public) : db::Param(nullptr);
    conn.execute(
        "UPDATE server_apps SET name = $2, description = $3, terms_and_conditions_link = $4, "
        "logo = $5, public = COALESCE($6, public), redirect_url = $7 WHERE id = $1",
        {app_id, input.name, optional_param(input.description),
         optional_param(input.terms_and_conditions_link), optional_param(input.logo), is_public,
         input.redirect_url});
    conn.execute("DELETE FROM server_apps_scopes WHERE app_id = $1", {app_id});
    insert_scopes(conn, app_id, scopes);

    // Tokens carry the scopes they were issued with; users must authorise the app again.
    return revoke_credentials(conn, app_id);
  });
}

std::vector<std::string> delete_app(db::Connection& conn, std::string_view app_id) {
  return conn.transaction([&] {
    auto ids = revoke_credentials(conn, app_id);
    conn.execute("DELETE FROM server_apps WHERE id = $1", {app_id});
    return ids;
  });
}

}  // namespace stipple::apps
