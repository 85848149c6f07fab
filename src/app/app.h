// The composition root: what every command builds from the configuration.
#pragma once

#include <memory>

#include "base/config.h"
#include "db/database.h"
#include "modules/api/graphql_api.h"
#include "net/metrics.h"
#include "net/server.h"

namespace stipple::events {
class EventBus;
}

namespace stipple::app {

// Opens the database the configuration names (PostgreSQL or SQLite in the data dir).
std::unique_ptr<db::Database> open_configured_database(const Config& config);

// Applies pending migrations; returns how many were applied.
std::size_t run_migrations(db::Database& database);

// `stipple serve`: migrates, registers every module's routes, serves until SIGTERM/SIGINT.
int serve(const Config& config);

// Registers the routes of every module on `server` (one place that knows them all).
struct Services {
  const Config& config;
  net::Server& server;
  net::Metrics& metrics;
  db::Database& database;
  api::GraphqlApi& graphql;  // modules add their resolvers; installed after every module
  events::EventBus& events;  // live updates: in process, or Redis pub/sub with REDIS_URL
};
void register_modules(Services& services);

}  // namespace stipple::app
