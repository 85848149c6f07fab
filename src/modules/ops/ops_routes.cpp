#include "modules/ops/ops_routes.h"

#include <prometheus/gauge.h>
#include <boost/json.hpp>

#include "db/database.h"
#include "net/metrics.h"
#include "net/server.h"

namespace stipple::ops {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using net::Exchange;
using net::http::status;

// Shown at `/` until the web frontend exists. Clients recognise a current server by the header.
constexpr std::string_view kLandingPage = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Stipple</title></head>
<body>
<h1>Stipple</h1>
<p>This is a Stipple server: it speaks the Speckle protocol. Point a Speckle connector, specklepy
or the Speckle .NET SDK at this address.</p>
<p>API: <a href="/graphql">/graphql</a></p>
</body>
</html>
)";

// The share of the pool not lent out, as upstream reports it: a whole percentage in a string.
std::string percentage_free(const db::PoolStats& stats) {
  if (stats.max <= 0) return "0";
  return std::to_string(100 * (stats.max - stats.in_use) / stats.max);
}

json::object health_details(const OpsDeps& deps, bool alive) {
  const auto stats = deps.database.stats();
  const char* backend = deps.database.dialect() == db::Dialect::postgres ? "postgres" : "sqlite";
  json::object main{{"isAlive", alive}, {"percentageFreeConnections", percentage_free(stats)}};
  json::object details{{backend, json::object{{"main", std::move(main)}}}};
  details["redis"] = deps.redis_configured ? json::value(true) : json::value("not configured");
  return details;
}

// One round trip on a pooled connection; false when the database cannot be reached.
asio::awaitable<bool> database_alive(db::Database& database) {
  try {
    co_return co_await database.run([](db::Connection& c) {
      c.query("SELECT 1");
      return true;
    });
  } catch (const std::exception&) {
    co_return false;
  }
}

}  // namespace

void register_routes(const OpsDeps& deps) {
  auto& server = deps.server;

  server.get("/", [](Exchange& ex) -> asio::awaitable<void> {
    ex.set_header("x-speckle-frontend-2", "true");
    ex.respond(status::ok, std::string(kLandingPage), "text/html; charset=utf-8");
    co_return;
  });

  server.get("/api/ping", [](Exchange& ex) -> asio::awaitable<void> {
    ex.respond(status::ok, "pong", "text/plain; charset=utf-8");
    co_return;
  });

  // Liveness: the process works and reaches its database.
  server.get("/liveness", [deps](Exchange& ex) -> asio::awaitable<void> {
    const bool alive = co_await database_alive(deps.database);
    json::object body{{"status", alive ? "ok" : "error"}, {"details", health_details(deps, alive)}};
    ex.respond_json(alive ? status::ok : status::internal_server_error, body);
  });

  // Readiness: also fails while shutting down, so load balancers stop sending traffic.
  server.get("/readiness", [deps](Exchange& ex) -> asio::awaitable<void> {
    const bool alive = co_await database_alive(deps.database);
    const bool ready = alive && !deps.server.draining();
    json::object body{{"status", ready ? "ok" : "error"}, {"details", health_details(deps, alive)}};
    if (deps.server.draining()) body["error"] = "shutting down";
    ex.respond_json(ready ? status::ok : status::service_unavailable, body);
  });

  // Database pool figures, refreshed at each scrape.
  auto& pool = prometheus::BuildGauge()
                   .Name("stipple_db_pool_connections")
                   .Help("Database pool connections by state")
                   .Register(deps.metrics.registry());
  auto& open = pool.Add({{"state", "open"}});
  auto& in_use = pool.Add({{"state", "in_use"}});
  auto& max = pool.Add({{"state", "max"}});
  auto& waiting = pool.Add({{"state", "waiting"}});
  auto* database = &deps.database;
  deps.metrics.on_scrape([database, &open, &in_use, &max, &waiting] {
    const auto stats = database->stats();
    open.Set(stats.size);
    in_use.Set(stats.in_use);
    max.Set(stats.max);
    waiting.Set(stats.waiting);
  });

  server.get("/metrics", [deps](Exchange& ex) -> asio::awaitable<void> {
    ex.respond(status::ok, deps.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    co_return;
  });
}

void register_test_routes(net::Server& server) {
  // Answers after `ms` milliseconds (at most a minute): a request that is in flight on purpose.
  server.get("/api/_test/sleep", [](Exchange& ex) -> asio::awaitable<void> {
    const auto ms = std::clamp(std::stol(ex.query("ms").value_or("100")), 0L, 60'000L);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(std::chrono::milliseconds(ms));
    co_await timer.async_wait(asio::use_awaitable);
    ex.respond_json(status::ok, json::object{{"slept_ms", ms}});
  });

  // How many statements the process has run: a test reads it before and after a request to pin
  // that request's cost. The route itself runs none.
  server.get("/api/_test/db-statements", [](Exchange& ex) -> asio::awaitable<void> {
    ex.respond_json(status::ok, json::object{{"statements", db::statements_run()}});
    co_return;
  });

  // Reports the size of a buffered body: exercises the request body limit.
  server.post("/api/_test/echo", [](Exchange& ex) -> asio::awaitable<void> {
    ex.respond_json(status::ok, json::object{{"bytes", ex.body().size()}});
    co_return;
  });
}

}  // namespace stipple::ops
