// Turns a presented token into the caller's AuthContext, fast.
//
// A lookup is one primary-key read plus a SHA-256 of the secret. Recently validated tokens are
// kept in memory for a few seconds, so a busy client costs no database round trip at all;
// revoking a token through this process drops it from the cache at once. Other processes
// (replicas) see a revocation when their cache entry expires, at most kCacheTtl later.
// lastUsed is written at most once per kTouchInterval per token, never on every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "modules/auth/context.h"

namespace stipple::db {
class Connection;
}

namespace stipple::auth {

// Milliseconds since the Unix epoch; injectable for tests.
using Clock = std::function<int64_t()>;
int64_t system_now_ms();

class TokenValidator {
 public:
  static constexpr int64_t kCacheTtlMs = 10'000;
  static constexpr int64_t kTouchIntervalMs = 60'000;
  static constexpr std::size_t kMaxCached = 50'000;

  explicit TokenValidator(Clock clock = system_now_ms) : clock_(std::move(clock)) {}

  enum class Cached { valid, invalid, unknown };

  // Answers from memory only: `valid` fills `out`; `unknown` means the database must be asked.
  Cached check_cached(std::string_view token, AuthContext& out);

  // The full check against the database (blocking); nullopt for a token that is not valid.
  // Deletes an expired token, as upstream does.
  std::optional<AuthContext> validate(db::Connection& conn, std::string_view token);

  // Drops one token (by id) or every token from the cache; call after revoking.
  void forget(std::string_view token_id);
  void forget_all();

  std::size_t cached_count() const;

 private:
  struct Entry {
    std::string digest;
    AuthContext context;
    int64_t cached_until = 0;
    int64_t token_expires_at = 0;
  };

  Clock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;  // by token id
};

}  // namespace stipple::auth
