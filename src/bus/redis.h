// Blocking Redis connections through hiredis, shared by the features that use Redis when
// REDIS_URL is set (the event bus, shared rate limits).
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace stipple::bus {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  std::string user;
  int database = 0;
};

// Reads redis://[[user]:password@]host[:port][/db]; throws Error CONFIG_ERROR otherwise.
RedisAddress parse_redis_url(const std::string& url);

using RedisContextPtr = std::unique_ptr<redisContext, decltype(&redisFree)>;
using RedisReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// Sends one command (binary-safe arguments) and waits for its reply; null when the connection
// failed (the context's errstr says why).
RedisReplyPtr redis_command(redisContext* context, const std::vector<std::string>& args);

// Connects, authenticates and selects the database; throws std::runtime_error with Redis's
// reason. `timeout` bounds the connection and every later command.
RedisContextPtr redis_connect(const RedisAddress& address, std::chrono::milliseconds timeout);

}  // namespace stipple::bus
