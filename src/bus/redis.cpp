#include "bus/redis.h"

#include <boost/url/parse.hpp>
#include <stdexcept>

#include "base/error.h"

namespace stipple::bus {

RedisAddress parse_redis_url(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "redis")) {
    throw Error("CONFIG_ERROR", "REDIS_URL must look like redis://[:password@]host[:port][/db]");
  }
  RedisAddress address;
  if (!parsed->host().empty()) address.host = parsed->encoded_host_address().decode();
  if (address.host.size() > 2 && address.host.front() == '[') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  if (parsed->has_port()) address.port = parsed->port_number();
  if (parsed->has_password()) address.password = parsed->password();
  if (!parsed->user().empty()) address.user = parsed->user();
  const std::string path = parsed->path();
  if (path.size() > 1) address.database = std::stoi(path.substr(1));
  return address;
}

RedisReplyPtr redis_command(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(args.size()), argv.data(), lengths.data()));
  return RedisReplyPtr(reply, freeReplyObject);
}

RedisContextPtr redis_connect(const RedisAddress& address, std::chrono::milliseconds timeout) {
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  RedisContextPtr context(redisConnectWithTimeout(address.host.c_str(), address.port, tv),
                          redisFree);
  if (!context || context->err) {
    throw std::runtime_error(context ? context->errstr : "cannot allocate a Redis context");
  }
  redisSetTimeout(context.get(), tv);
  auto check = [&](const std::vector<std::string>& args) {
    auto reply = redis_command(context.get(), args);
    if (!reply) throw std::runtime_error(context->errstr);
    if (reply->type == REDIS_REPLY_ERROR) throw std::runtime_error(reply->str);
  };
  if (!address.password.empty()) {
    if (address.user.empty()) {
      check({"AUTH", address.password});
    } else {
      check({"AUTH", address.user, address.password});
    }
  }
  if (address.database != 0) check({"SELECT", std::to_string(address.database)});
  return context;
}

}  // namespace stipple::bus
