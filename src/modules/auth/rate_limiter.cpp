#include "modules/auth/rate_limiter.h"

#include <algorithm>
#include <cstdlib>

namespace stipple::auth {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kWeek = 7 * 24 * kHour;

// Past this many counters, windows that have ended are dropped.
constexpr std::size_t kSweepThreshold = 100'000;

struct Bucket {
  std::string_view action;
  std::string_view env;  // RATELIMIT_<env> and RATELIMIT_BURST_<env>
  RateLimit limit;
};

// Upstream's buckets. Auth routes share the GET_AUTH variables.
constexpr Bucket kBuckets[] = {
    {"ALL_REQUESTS", "ALL_REQUESTS", {500, kSecond, 2000, kMinute}},
    {"USER_CREATE", "USER_CREATE", {6, kHour, 1000, kWeek}},
    {"STREAM_CREATE", "STREAM_CREATE", {1, kSecond, 100, kMinute}},
    {"COMMIT_CREATE", "COMMIT_CREATE", {1, kSecond, 100, kMinute}},
    {"POST /graphql", "POST_GRAPHQL", {50, kSecond, 200, kMinute}},
    {"POST /auth/local/register", "USER_CREATE", {6, kHour, 1000, kWeek}},
    {"POST /auth/pwdreset/request", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/local/login", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/azure", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/gh", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/goog", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/oidc", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/azure/callback", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/gh/callback", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/goog/callback", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
    {"/auth/oidc/callback", "GET_AUTH", {4, 10 * kMinute, 10, 30 * kMinute}},
};

int64_t env_count(std::string_view name, int64_t fallback) {
  const char* value = std::getenv(std::string(name).c_str());
  if (!value || !*value) return fallback;
  char* end = nullptr;
  const long long parsed = std::strtoll(value, &end, 10);
  return (end && *end == '\0' && parsed > 0) ? parsed : fallback;
}

// Counts one request in the window (`started`, `count`); false when it is full.
bool take(int64_t now, int64_t count_limit, int64_t duration, int64_t& started, int64_t& count) {
  if (now - started >= duration) {
    started = now;
    count = 0;
  }
  if (count >= count_limit) return false;
  ++count;
  return true;
}

}  // namespace

RateLimiter::RateLimiter() {
  for (const auto& bucket : kBuckets) {
    RateLimit limit = bucket.limit;
    limit.regular_count = env_count("RATELIMIT_" + std::string(bucket.env), limit.regular_count);
    limit.burst_count = env_count("RATELIMIT_BURST_" + std::string(bucket.env), limit.burst_count);
    limits_.emplace(std::string(bucket.action), limit);
  }
}

RateLimiter::RateLimiter(std::map<std::string, RateLimit, std::less<>> limits)
    : limits_(std::move(limits)) {}

std::string_view RateLimiter::action_for(std::string_view method, std::string_view path) const {
  const std::string with_method = std::string(method) + " " + std::string(path);
  if (const auto it = limits_.find(with_method); it != limits_.end()) return it->first;
  if (const auto it = limits_.find(path); it != limits_.end()) return it->first;
  return "ALL_REQUESTS";
}

const RateLimit* RateLimiter::limit_of(std::string_view action) const {
  const auto it = limits_.find(action);
  return it == limits_.end() ? nullptr : &it->second;
}

RateDecision RateLimiter::consume(std::string_view action, std::string_view source,
                                  int64_t now_ms) {
  const auto limit_it = limits_.find(action);
  if (limit_it == limits_.end()) return RateDecision{};
  const RateLimit& limit = limit_it->second;

  std::lock_guard lock(mutex_);
  if (counters_.size() > kSweepThreshold) sweep(now_ms);
  std::string key(action);
  key += ':';
  key += source;
  auto [it, inserted] = counters_.try_emplace(std::move(key));
  Counters& c = it->second;
  if (inserted) c.regular.started = c.burst.started = now_ms;

  // Regular window first; the burst window absorbs short peaks beyond it.
  if (take(now_ms, limit.regular_count, limit.regular_ms, c.regular.started, c.regular.count)) {
    return RateDecision{true, limit.regular_count - c.regular.count, 0};
  }
  if (take(now_ms, limit.burst_count, limit.burst_ms, c.burst.started, c.burst.count)) {
    return RateDecision{true, limit.burst_count - c.burst.count, 0};
  }
  const int64_t wait = std::max<int64_t>(0, c.regular.started + limit.regular_ms - now_ms);
  return RateDecision{false, 0, wait};
}

void RateLimiter::sweep(int64_t now_ms) {
  for (auto it = counters_.begin(); it != counters_.end();) {
    const auto action = it->first.substr(0, it->first.find(':'));
    const auto limit_it = limits_.find(action);
    const bool ended = limit_it == limits_.end() ||
                       (now_ms - it->second.regular.started >= limit_it->second.regular_ms &&
                        now_ms - it->second.burst.started >= limit_it->second.burst_ms);
    it = ended ? counters_.erase(it) : std::next(it);
  }
}

std::string rate_limit_message(int64_t ms_before_next) {
  const int64_t seconds = (ms_before_next + 999) / 1000;
  return "You have sent too many requests. You are being rate limited. Please try again in " +
         std::to_string(seconds) + " seconds.";
}

}  // namespace stipple::auth
