// Request rate limits with upstream's buckets, kept in process memory.
//
// Each action has a regular window (e.g. 500 requests per second) and a burst window (e.g. 2000
// per minute): a request is let through while the regular window has room, or else while the
// burst window has room, and refused when both are full. Windows are fixed: they start at the
// first request and reset once their duration has passed. Limits can be overridden with
// upstream's RATELIMIT_<ACTION> and RATELIMIT_BURST_<ACTION> environment variables.
// With REDIS_URL set, the counters live in Redis instead (redis_rate_limiter.h) and this class
// only supplies the limits, and stands in while Redis cannot be reached.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stipple::auth {

struct RateLimit {
  int64_t regular_count;
  int64_t regular_ms;
  int64_t burst_count;
  int64_t burst_ms;
};

struct RateDecision {
  bool allowed = true;
  int64_t remaining = 0;       // requests left in the window that admitted this one
  int64_t ms_before_next = 0;  // when refused: until the regular window resets
};

class RateLimiter {
 public:
  // Upstream's limits, with the environment's overrides applied.
  RateLimiter();
  // Fixed limits (tests).
  explicit RateLimiter(std::map<std::string, RateLimit, std::less<>> limits);

  // The action a request counts against: "<METHOD> <path>" or "<path>" when such a bucket
  // exists (literal paths only, as upstream matches them), else ALL_REQUESTS.
  std::string_view action_for(std::string_view method, std::string_view path) const;

  // The limits of an action; null for an unknown one.
  const RateLimit* limit_of(std::string_view action) const;

  // Counts one request of `source` (a user, token or client address) against `action`.
  RateDecision consume(std::string_view action, std::string_view source, int64_t now_ms);

 private:
  struct Window {
    int64_t started = 0;
    int64_t count = 0;
  };
  struct Counters {
    Window regular;
    Window burst;
  };

  void sweep(int64_t now_ms);

  std::map<std::string, RateLimit, std::less<>> limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Counters> counters_;  // by "<action>:<source>"
};

// The message of a refused request (the 429 body).
std::string rate_limit_message(int64_t ms_before_next);

}  // namespace stipple::auth
