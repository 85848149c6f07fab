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

}  // namespace stipple::ops
