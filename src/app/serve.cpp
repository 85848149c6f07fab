#include <boost/asio/signal_set.hpp>
#include <filesystem>

#include "app/app.h"
#include "base/error.h"
#include "base/log.h"
#include "db/migrations.h"
#include "mail/mailer.h"
#include "modules/activity/activity.h"
#include "modules/admin/admin_graphql.h"
#include "modules/api/graphql_ws.h"
#include "modules/auth/auth_module.h"
#include "modules/auth/middleware.h"
#include "modules/disabled/disabled_modules.h"
#include "modules/emails/emails_module.h"
#include "modules/events/event_bus.h"
#include "modules/invites/invites_module.h"
#include "modules/live/live.h"
#include "modules/notifications/notification_preferences.h"
#include "modules/objects/object_routes.h"
#include "modules/ops/ops_routes.h"
#include "modules/projects/graphql_support.h"
#include "modules/users/identity_graphql.h"

namespace stipple::app {

std::unique_ptr<db::Database> open_configured_database(const Config& config) {
  db::OpenOptions options;
  options.max_connections = config.postgres_max_connections;
  options.acquire_timeout = std::chrono::milliseconds(config.postgres_acquire_timeout_ms);
  if (config.uses_postgres()) {
    options.postgres_conninfo = config.postgres_conninfo();
  } else {
    options.sqlite_path = (std::filesystem::path(config.data_dir) / "stipple.db").string();
  }
  return db::open_database(options);
}

std::size_t run_migrations(db::Database& database) {
  auto lease = database.acquire();
  const auto applied = db::migrate(*lease, db::embedded_migrations(database.dialect()));
  return applied.size();
}

// The mailer the configuration asks for: SMTP, or the log.
std::shared_ptr<mail::Mailer> make_mailer(const Config& config) {
  if (!config.uses_smtp()) {
    return std::make_shared<mail::Mailer>(mail::make_log_transport(config.email_from));
  }
  mail::SmtpSettings smtp;
  smtp.host = config.email_host;
  smtp.port = config.email_port;
  smtp.username = config.email_username;
  smtp.password = config.email_password;
  smtp.from = config.email_from;
  smtp.secure = config.email_secure;
  smtp.require_tls = config.email_require_tls;
  smtp.ca_file = config.email_ca_file;
  return std::make_shared<mail::Mailer>(mail::make_smtp_transport(std::move(smtp)));
}

void register_modules(Services& s) {
  auto mailer = make_mailer(s.config);
  log::info(
      "mail.ready",
      {{"transport", mailer->kind()}, {"host", s.config.email_host}, {"from", s.config.email_from}},
      "e-mail goes through " + std::string(mailer->kind()));
  auto outbox =
      std::make_shared<emails::Outbox>(mailer, s.config.canonical_url, s.config.frontend_origin);

  // Identity first: its middleware must see every request before any route does.
  const auto identity = auth::register_module(
      auth::AuthDeps{s.server, s.database, s.config.canonical_url, s.config.frontend_origin,
                     s.config.ratelimiter_enabled, outbox, &s.config});
  emails::register_routes(emails::EmailsDeps{s.server, s.database, outbox, identity.validator,
                                             s.config.frontend_origin});
  ops::register_routes(ops::OpsDeps{s.server, s.metrics, s.database, s.config.server_version,
                                    !s.config.redis_url.empty()});
  objects::register_routes(objects::ObjectsDeps{s.server, s.database, s.config});
  if (s.config.test_routes) ops::register_test_routes(s.server);
  if (s.config.test_routes) live::register_test_routes(s.server, s.events);
  s.graphql.add(identity_graphql::binder(identity.validator));
  auto on_project_invite = invites::project_invite_mailer(outbox);
  s.graphql.add([on_project_invite](graphql::Schema& schema) {
    core_graphql::bind_core(schema, on_project_invite);
  });
  s.graphql.add(emails::binder(outbox));
  s.graphql.add(invites::binder(outbox));
  s.graphql.add(live::bind);
  s.graphql.add(notifications::binder());
  s.graphql.add(disabled_modules::binder());
  s.graphql.add(activity::binder());
  s.graphql.add(admin::binder());
  s.graphql.use_event_bus(s.events);
  live::add_sources(s.graphql.subscription_sources(), s.events, s.database);
  disabled_modules::add_sources(s.graphql.subscription_sources(), s.events);

  // Last: the GraphQL API, once every module has added its resolvers, over HTTP and WebSocket.
  s.graphql.install(s.server);
  auto validator = identity.validator;
  auto& database = s.database;
  api::install_websocket(
      s.server, s.graphql,
      [validator, &database](std::string token) {
        return auth::authenticate(*validator, database, std::move(token));
      },
      api::WebSocketOptions{std::chrono::milliseconds(s.config.ws_keepalive_ms),
                            std::chrono::milliseconds(s.config.ws_init_timeout_ms)});
}

int serve(const Config& config) {
  auto database = open_configured_database(config);
  const auto applied = run_migrations(*database);

  net::Metrics metrics;
  net::ServerOptions options;
  options.bind_address = config.bind_address;
  options.port = config.port;
  options.threads = config.threads;
  options.max_body_bytes = static_cast<std::size_t>(config.max_request_body_size_mb) << 20;
  options.compression = config.compression;
  net::Server server(options, metrics);

  api::GraphqlApi graphql(config, *database);
  auto events = config.redis_url.empty() ? events::make_local_bus()
                                         : events::make_redis_bus(config.redis_url);
  Services services{config, server, metrics, *database, graphql, *events};
  register_modules(services);

  const uint16_t port = server.listen();

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish within the deadline.
  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("server.stopping",
              {{"signal", signal}, {"timeout_s", config.shutdown_timeout_seconds}},
              "draining in-flight requests");
    server.shutdown(std::chrono::seconds(config.shutdown_timeout_seconds));
  });

  const std::string url = config.canonical_url;
  log::info("server.started",
            {{"url", url},
             {"bind", config.bind_address},
             {"port", static_cast<unsigned>(port)},
             {"database", config.uses_postgres() ? "postgres" : "sqlite"},
             {"data_dir", config.data_dir},
             {"migrations_applied", applied},
             {"version", config.server_version}},
            "Stipple is serving at " + url);
  server.run();
  database->close();
  log::info("server.stopped", {}, "bye");
  return 0;
}

}  // namespace stipple::app
