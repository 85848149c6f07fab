// The HTTP side of authentication: where a request carries its token, and the middleware that
// turns it into the request's AuthContext (or refuses the request).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "modules/auth/context.h"
#include "net/http.h"

namespace stipple::db {
class Database;
}

namespace stipple::auth {

class TokenValidator;
class RateLimiter;
class RedisRateLimiter;

// The token a request presents, first match wins: the Authorization header (a leading
// "Bearer " is removed, case-sensitively; any other value is taken as it is), the `authn`
// cookie, the `embedToken` query parameter. Empty carriers count as absent; nullopt = anonymous.
std::optional<std::string> presented_token(std::string_view authorization,
                                           std::string_view cookie_header,
                                           const std::optional<std::string>& embed_token);

// The value of cookie `name` in a Cookie header; empty when absent.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

// The caller a token stands for, from the validator's cache or the database; nullopt for a token
// that is not valid. For transports that carry tokens elsewhere (WebSocket connection_init).
boost::asio::awaitable<std::optional<AuthContext>> authenticate(TokenValidator& validator,
                                                                db::Database& database,
                                                                std::string token);

// Fills the caller of every request; a presented token that is not valid (unknown, garbage,
// revoked, expired) is answered 403 {"error":"Your token is not valid."} whatever the route.
net::Middleware token_middleware(std::shared_ptr<TokenValidator> validator, db::Database& database);

// Counts each request against its rate-limit bucket; answers 429 when the bucket is full.
// Source: the presented token's id when there is one, else the client address. With `shared`,
// the counters are Redis's; while Redis does not answer, `limiter` counts in process memory (as
// upstream's in-memory insurance does) and a warning is logged at most every 10 seconds.
net::Middleware rate_limit_middleware(std::shared_ptr<RateLimiter> limiter,
                                      std::shared_ptr<RedisRateLimiter> shared = nullptr);

// The client's address: the first X-Forwarded-For entry (proxies are trusted, as upstream does),
// else the peer address.
std::string client_address(net::Exchange& ex);

}  // namespace stipple::auth
