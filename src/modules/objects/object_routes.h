// The REST object transport: upload, diff, single, full download, getobjects and object-stream.
#pragma once

#include "base/config.h"
#include "db/database.h"
#include "net/server.h"

namespace stipple::objects {

struct ObjectsDeps {
  net::Server& server;
  db::Database& database;
  const Config& config;
};

void register_routes(const ObjectsDeps& deps);

}  // namespace stipple::objects
