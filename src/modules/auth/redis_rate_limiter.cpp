#include "modules/auth/redis_rate_limiter.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

namespace stipple::auth {
namespace {

constexpr std::string_view kKeyPrefix = "stipple:ratelimit:";
constexpr std::chrono::milliseconds kTimeout{1000};

// KEYS: the regular and the burst counter. ARGV: regular count and window (ms), burst count and
// window. Returns {allowed (0/1), remaining, ms until the regular window ends (when refused)}.
constexpr std::string_view kConsumeScript = R"lua(
local regular = redis.call('INCR', KEYS[1])
if regular == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if regular <= tonumber(ARGV[1]) then return {1, tonumber(ARGV[1]) - regular, 0} end
local burst = redis.call('INCR', KEYS[2])
if burst == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
if burst <= tonumber(ARGV[3]) then return {1, tonumber(ARGV[3]) - burst, 0} end
local wait = redis.call('PTTL', KEYS[1])
if wait < 0 then wait = 0 end
return {0, 0, wait}
)lua";

}  // namespace

RedisRateLimiter::RedisRateLimiter(const std::string& redis_url, std::size_t threads)
    : address_(bus::parse_redis_url(redis_url)), workers_(threads) {}

RedisRateLimiter::~RedisRateLimiter() {
  workers_.join();
}

RateDecision RedisRateLimiter::consume_now(const RateLimit& limit, const std::string& key) {
  // A connection of the pool, or a new one.
  bus::RedisContextPtr context(nullptr, redisFree);
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      context = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!context) context = bus::redis_connect(address_, kTimeout);

  const std::string regular_key = std::string(kKeyPrefix) + key;
  const std::string burst_key = std::string(kKeyPrefix) + "BURST_" + key;
  const auto reply = bus::redis_command(
      context.get(), {"EVAL", std::string(kConsumeScript), "2", regular_key, burst_key,
                      std::to_string(limit.regular_count), std::to_string(limit.regular_ms),
                      std::to_string(limit.burst_count), std::to_string(limit.burst_ms)});

  // A connection that failed is dropped; a working one goes back to the pool.
  if (!reply) throw std::runtime_error(context->errstr);
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(context));
  }
  if (reply->type == REDIS_REPLY_ERROR) throw std::runtime_error(reply->str);
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) {
    throw std::runtime_error("unexpected reply of the rate-limit script");
  }
  return RateDecision{reply->element[0]->integer == 1, reply->element[1]->integer,
                      reply->element[2]->integer};
}

boost::asio::awaitable<RateDecision> RedisRateLimiter::consume(const RateLimit& limit,
                                                               const std::string& key) {
  // Plain handlers rather than a capturing coroutine: see Database::run for GCC 12's reasons.
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                     void(std::exception_ptr, RateDecision)>(
      [this](auto handler, RateLimit limit, std::string key) {
        boost::asio::post(workers_, [this, handler = std::move(handler), limit,
                                     key = std::move(key)]() mutable {
          std::exception_ptr error;
          RateDecision decision;
          try {
            decision = consume_now(limit, key);
          } catch (...) {
            error = std::current_exception();
          }
          auto executor = boost::asio::get_associated_executor(handler);
          boost::asio::post(executor, [handler = std::move(handler), error, decision]() mutable {
            std::move(handler)(error, decision);
          });
        });
      },
      boost::asio::use_awaitable, limit, key);
}

}  // namespace stipple::auth
