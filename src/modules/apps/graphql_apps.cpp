// GraphQL resolvers of apps: app, apps, authenticatedAsApp, appCreate, appUpdate, appDelete,
// appRevokeAccess, User.authorizedApps and User.createdApps.
#include <boost/json.hpp>

#include "base/error.h"
#include "db/database.h"
#include "modules/apps/app_registry.h"
#include "modules/apps/apps.h"
#include "modules/auth/token_validator.h"
#include "modules/users/identity_graphql.h"

namespace stipple::identity_graphql {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;

constexpr std::string_view kHiddenSecret = "App secrets are only revealed to their author 😉";

json::value nullable(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// An app with its author, as read on a database thread.
struct AppView {
  apps::AppDetails app;
  std::optional<users::User> author;
};

std::vector<AppView> with_authors(db::Connection& conn, std::vector<apps::AppDetails> list) {
  std::vector<AppView> views;
  views.reserve(list.size());
  for (auto& app : list) {
    auto author = app.author_id ? users::find_user_by_id(conn, *app.author_id) : std::nullopt;
    views.push_back({std::move(app), std::move(author)});
  }
  return views;
}

// The JSON read by ServerApp and ServerAppListItem. The secret is shown to the app's author and
// to administrators only.
json::object app_json(const AppView& view, const auth::AuthContext& viewer) {
  const auto& app = view.app;
  const bool may_see_secret =
      viewer.authenticated && (viewer.server_role == auth::kServerAdmin ||
                               (app.author_id && *app.author_id == viewer.user_id));
  json::array scopes;
  for (const auto& scope : app.scopes) {
    scopes.push_back(json::object{{"name", scope.name}, {"description", scope.description}});
  }
  json::value author = nullptr;
  if (view.author) {
    author = json::object{{"id", view.author->id},
                          {"name", view.author->name},
                          {"avatar", nullable(view.author->avatar)}};
  }
  return json::object{{"id", app.id},
                      {"secret", may_see_secret ? app.secret : std::string(kHiddenSecret)},
                      {"name", app.name},
                      {"description", nullable(app.description)},
                      {"termsAndConditionsLink", nullable(app.terms_and_conditions_link)},
                      {"logo", nullable(app.logo)},
                      {"public", app.is_public},
                      {"trustByDefault", app.trust_by_default},
                      {"author", std::move(author)},
                      {"createdAt", iso_time(app.created_at)},
                      {"redirectUrl", app.redirect_url},
                      {"scopes", std::move(scopes)}};
}

json::array apps_json(const std::vector<AppView>& views, const auth::AuthContext& viewer) {
  json::array out;
  for (const auto& view : views) out.push_back(app_json(view, viewer));
  return out;
}

apps::AppInput app_input(const json::object& input) {
  apps::AppInput out;
  out.name = opt_string(input, "name").value_or("");
  out.description = opt_string(input, "description");
  out.terms_and_conditions_link = opt_string(input, "termsAndConditionsLink");
  out.logo = opt_string(input, "logo");
  if (const auto* is_public = input.if_contains("public"); is_public && is_public->is_bool()) {
    out.is_public = is_public->as_bool();
  }
  out.redirect_url = opt_string(input, "redirectUrl").value_or("");
  if (const auto* scopes = input.if_contains("scopes"); scopes && scopes->is_array()) {
    for (const auto& scope : scopes->as_array()) {
      if (scope.is_string()) out.scopes.emplace_back(scope.as_string());
    }
  }
  return out;
}

// Only the author of an app, or an administrator, may change or delete it. Throws otherwise.
void require_app_editor(db::Connection& conn, std::string_view app_id,
                        const auth::AuthContext& caller) {
  const auto app = apps::load_app(conn, app_id);
  if (!app) throw Error("APP_NOT_FOUND", "App not found.", 404);
  const bool author = app->author_id && *app->author_id == caller.user_id;
  if (!author && caller.server_role != auth::kServerAdmin) {
    throw forbidden("You are not authorized to edit this app.");
  }
}

asio::awaitable<json::value> one_app(ResolveContext& ctx) {
  const std::string id(ctx.arg("id")->as_string());
  const auto views = co_await request(ctx).database->run([&](db::Connection& c) {
    auto app = apps::load_app(c, id);
    return app ? with_authors(c, {std::move(*app)}) : std::vector<AppView>{};
  });
  if (views.empty()) co_return nullptr;
  co_return app_json(views.front(), request(ctx).caller);
}

asio::awaitable<json::value> public_apps(ResolveContext& ctx) {
  const auto views = co_await request(ctx).database->run(
      [&](db::Connection& c) { return with_authors(c, apps::public_apps(c)); });
  co_return apps_json(views, request(ctx).caller);
}

asio::awaitable<json::value> authenticated_as_app(ResolveContext& ctx) {
  const std::string id = signed_in(ctx).app_id;
  if (id.empty()) co_return nullptr;
  const auto views = co_await request(ctx).database->run([&](db::Connection& c) {
    auto app = apps::load_app(c, id);
    return app ? with_authors(c, {std::move(*app)}) : std::vector<AppView>{};
  });
  if (views.empty()) co_return nullptr;
  co_return app_json(views.front(), request(ctx).caller);
}

asio::awaitable<json::value> created_apps(ResolveContext& ctx) {
  require_own_user(ctx, "You can only see your own apps");
  const std::string user_id = parent_id(ctx);
  const auto views = co_await request(ctx).database->run(
      [&](db::Connection& c) { return with_authors(c, apps::apps_created_by(c, user_id)); });
  co_return apps_json(views, request(ctx).caller);
}

asio::awaitable<json::value> authorized_apps(ResolveContext& ctx) {
  require_own_user(ctx, "You can only see your own apps");
  const std::string user_id = parent_id(ctx);
  const auto views = co_await request(ctx).database->run(
      [&](db::Connection& c) { return with_authors(c, apps::apps_authorized_by(c, user_id)); });
  co_return apps_json(views, request(ctx).caller);
}

asio::awaitable<json::value> create_app(ResolveContext& ctx) {
  const std::string author = signed_in(ctx).user_id;
  const auto input = app_input(ctx.arg("app")->as_object());
  const int64_t now = now_ms();
  co_return co_await request(ctx).database->run(
      [&](db::Connection& c) { return apps::create_app(c, author, input, now); });
}

}  // namespace

void bind_apps(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator) {
  schema.resolve("Query", "app", one_app);
  schema.resolve("Query", "apps", public_apps);
  schema.resolve("Query", "authenticatedAsApp", authenticated_as_app);
  schema.resolve("User", "createdApps", created_apps);
  schema.resolve("User", "authorizedApps", authorized_apps);
  schema.resolve("Mutation", "appCreate", create_app);

  // The mutations below delete tokens; this process's token cache forgets them at once.
  const auto forget = [validator](const std::vector<std::string>& ids) {
    for (const auto& id : ids) validator->forget(id);
  };

  schema.resolve(
      "Mutation", "appUpdate", [forget](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto caller = signed_in(ctx);
        const auto input = app_input(ctx.arg("app")->as_object());
        const std::string id = opt_string(ctx.arg("app")->as_object(), "id").value_or("");
        forget(co_await request(ctx).database->run([&](db::Connection& c) {
          require_app_editor(c, id, caller);
          return apps::update_app(c, id, input);
        }));
        co_return true;
      });

  schema.resolve("Mutation", "appDelete",
                 [forget](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto caller = signed_in(ctx);
                   const std::string id(ctx.arg("appId")->as_string());
                   forget(co_await request(ctx).database->run([&](db::Connection& c) {
                     require_app_editor(c, id, caller);
                     return apps::delete_app(c, id);
                   }));
                   co_return true;
                 });

  schema.resolve("Mutation", "appRevokeAccess",
                 [forget](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string user_id = signed_in(ctx).user_id;
                   const std::string id(ctx.arg("appId")->as_string());
                   forget(co_await request(ctx).database->run(
                       [&](db::Connection& c) { return apps::revoke_app_access(c, id, user_id); }));
                   co_return true;
                 });
}

}  // namespace stipple::identity_graphql
