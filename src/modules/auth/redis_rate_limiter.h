// Rate-limit windows counted in Redis, so that every process sharing REDIS_URL counts a source's
// requests against the same windows (replicas behind one load balancer). The buckets and their
// limits are RateLimiter's; this only keeps the counters.
//
// Each window is a Redis counter that expires when the window ends; one Lua script counts the
// request in the regular window, or in the burst window once the regular one is full, so the
// decision is atomic across processes. Keys: "stipple:ratelimit:<action>:<source>" and
// "stipple:ratelimit:BURST_<action>:<source>".
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "bus/redis.h"
#include "modules/auth/rate_limiter.h"

namespace stipple::auth {

class RedisRateLimiter {
 public:
  // Connects lazily; `threads` requests talk to Redis at once, each on its own connection.
  explicit RedisRateLimiter(const std::string& redis_url, std::size_t threads = 2);
  ~RedisRateLimiter();

  // Counts one request of `key` ("<action>:<source>") on a worker thread; throws
  // std::runtime_error when Redis does not answer.
  boost::asio::awaitable<RateDecision> consume(const RateLimit& limit, const std::string& key);

  // The same, blocking the calling thread.
  RateDecision consume_now(const RateLimit& limit, const std::string& key);

 private:
  bus::RedisAddress address_;
  boost::asio::thread_pool workers_;
  std::mutex mutex_;
  std::vector<bus::RedisContextPtr> idle_;  // connections not in use
};

}  // namespace stipple::auth
