// Operational endpoints: landing page, ping, liveness, readiness and Prometheus metrics.
#pragma once

#include <string>

namespace stipple::db {
class Database;
}
namespace stipple::net {
class Server;
class Metrics;
}  // namespace stipple::net

namespace stipple::ops {

struct OpsDeps {
  net::Server& server;
  net::Metrics& metrics;
  db::Database& database;
  std::string server_version;
  bool redis_configured = false;
};

void register_routes(const OpsDeps& deps);

// Routes only the black-box tests use (a slow request, a buffered echo, the count of database
// statements run); enabled by
// STIPPLE_ENABLE_TEST_ROUTES.
void register_test_routes(net::Server& server);

}  // namespace stipple::ops
