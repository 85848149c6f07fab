#include "modules/auth/middleware.h"

#include <atomic>
#include <boost/json.hpp>
#include <ctime>

#include "base/log.h"
#include "db/database.h"
#include "modules/auth/context.h"
#include "modules/auth/rate_limiter.h"
#include "modules/auth/redis_rate_limiter.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/tokens.h"

namespace stipple::auth {
namespace {

namespace asio = boost::asio;
using net::Exchange;
using net::http::status;

constexpr std::string_view kBearerPrefix = "Bearer ";
constexpr int64_t kRedisWarningIntervalMs = 10'000;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void reject_invalid_token(Exchange& ex) {
  ex.respond_json(status::forbidden, boost::json::object{{"error", "Your token is not valid."}});
}

// "2026-12-04T10:00:00.000Z"
std::string iso_time(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace

std::string_view cookie_value(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const auto end = cookie_header.find(';');
    const std::string_view pair = trim(cookie_header.substr(0, end));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
      std::string_view value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return {};
}

std::optional<std::string> presented_token(std::string_view authorization,
                                           std::string_view cookie_header,
                                           const std::optional<std::string>& embed_token) {
  if (!authorization.empty()) {
    if (authorization.starts_with(kBearerPrefix)) authorization.remove_prefix(kBearerPrefix.size());
    return std::string(authorization);
  }
  if (const auto cookie = cookie_value(cookie_header, "authn"); !cookie.empty()) {
    return std::string(cookie);
  }
  if (embed_token && !embed_token->empty()) return *embed_token;
  return std::nullopt;
}

std::string client_address(Exchange& ex) {
  const std::string_view forwarded = ex.header("x-forwarded-for");
  if (!forwarded.empty()) {
    const auto first = trim(forwarded.substr(0, forwarded.find(',')));
    if (!first.empty()) return std::string(first);
  }
  return ex.remote_address();
}

asio::awaitable<std::optional<AuthContext>> authenticate(TokenValidator& validator,
                                                         db::Database& database,
                                                         std::string token) {
  // Most requests of an active client are answered from memory.
  AuthContext context;
  switch (validator.check_cached(token, context)) {
    case TokenValidator::Cached::valid:
      co_return context;
    case TokenValidator::Cached::invalid:
      co_return std::nullopt;
    case TokenValidator::Cached::unknown:
      break;
  }
  // References are safe to capture: this coroutine frame outlives the database call.
  auto check = [&validator, &token](db::Connection& conn) {
    return validator.validate(conn, token);
  };
  co_return co_await database.run(std::ref(check));
}

net::Middleware token_middleware(std::shared_ptr<TokenValidator> validator,
                                 db::Database& database) {
  return [validator, &database](Exchange& ex) -> asio::awaitable<bool> {
    const auto token = presented_token(ex.header(net::http::field::authorization),
                                       ex.header(net::http::field::cookie), ex.query("embedToken"));
    if (!token) co_return true;

    auto validated = co_await authenticate(*validator, database, *token);
    if (!validated) {
      reject_invalid_token(ex);
      co_return false;
    }
    set_caller(ex, std::move(*validated));
    co_return true;
  };
}

net::Middleware rate_limit_middleware(std::shared_ptr<RateLimiter> limiter,
                                      std::shared_ptr<RedisRateLimiter> shared) {
  auto last_warning_ms = std::make_shared<std::atomic<int64_t>>(0);
  return [limiter, shared, last_warning_ms](Exchange& ex) -> asio::awaitable<bool> {
    // Who is asking: a token's id (never its secret) or the client's address.
    const auto token = presented_token(ex.header(net::http::field::authorization),
                                       ex.header(net::http::field::cookie), ex.query("embedToken"));
    std::string source;
    if (token && token->size() >= tokens::kIdLength) {
      source = "token:" + token->substr(0, tokens::kIdLength);
    } else {
      source = "ip:" + client_address(ex);
    }

    const std::string method(net::http::to_string(ex.method()));
    const auto action = limiter->action_for(method, ex.path());
    const int64_t now = system_now_ms();
    RateDecision decision;
    bool counted = false;
    if (const RateLimit* limit = limiter->limit_of(action); shared && limit) {
      const std::string key = std::string(action) + ":" + source;
      std::string failure;
      try {
        decision = co_await shared->consume(*limit, key);
        counted = true;
      } catch (const std::exception& e) {
        failure = e.what();
      }
      int64_t last = last_warning_ms->load();
      if (!counted && now - last >= kRedisWarningIntervalMs &&
          last_warning_ms->compare_exchange_strong(last, now)) {
        log::warn("ratelimit.redis_unavailable", {{"error", failure}},
                  "counting rate limits in this process until Redis answers");
      }
    }
    if (!counted) decision = limiter->consume(action, source, now);
    if (decision.allowed) {
      ex.set_header("X-RateLimit-Remaining", std::to_string(decision.remaining));
      co_return true;
    }

    const int64_t retry_seconds = (decision.ms_before_next + 999) / 1000;
    ex.set_header("Retry-After", std::to_string(retry_seconds));
    ex.set_header("X-RateLimit-Reset", iso_time(now + decision.ms_before_next));
    ex.set_header("X-Speckle-Meditation", "https://http.cat/429");
    boost::json::object error{{"message", rate_limit_message(decision.ms_before_next)},
                              {"code", "RATE_LIMIT_ERROR"}};
    ex.respond_json(status::too_many_requests, boost::json::object{{"error", std::move(error)}});
    co_return false;
  };
}

}  // namespace stipple::auth
