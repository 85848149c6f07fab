#include "modules/auth/token_validator.h"

#include "modules/auth/crypto.h"
#include "modules/tokens/tokens.h"

namespace stipple::auth {

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TokenValidator::Cached TokenValidator::check_cached(std::string_view token, AuthContext& out) {
  const auto parts = tokens::split_token(token);
  if (!parts) return Cached::invalid;

  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  const auto it = cache_.find(std::string(parts->id));
  if (it == cache_.end()) return Cached::unknown;
  if (now >= it->second.cached_until || now >= it->second.token_expires_at) {
    cache_.erase(it);
    return Cached::unknown;
  }
  // Same id, other secret: a guess or a typo, never a valid token.
  if (!constant_time_equals(sha256_hex(parts->secret), it->second.digest)) {
    return Cached::invalid;
  }
  out = it->second.context;
  return Cached::valid;
}

std::optional<AuthContext> TokenValidator::validate(db::Connection& conn, std::string_view token) {
  const auto parts = tokens::split_token(token);
  if (!parts) return std::nullopt;

  // Fetch and check the row: present, not revoked, within its lifespan, same secret.
  auto record = tokens::load_token(conn, parts->id);
  if (!record || record->revoked) return std::nullopt;
  const int64_t now = clock_();
  if (record->expired(now)) {
    tokens::delete_token(conn, record->id);
    return std::nullopt;
  }
  if (!constant_time_equals(sha256_hex(parts->secret), record->digest)) return std::nullopt;

  // Record the use, coarsely.
  if (now - record->last_used >= kTouchIntervalMs) tokens::touch_token(conn, record->id, now);

  AuthContext context;
  context.authenticated = true;
  context.user_id = record->owner_id;
  context.token_id = record->id;
  context.server_role = record->server_role;
  context.scopes = std::move(record->scopes);
  context.resource_project_ids = std::move(record->project_ids);
  context.app_id = record->app_id;

  // Remember it; a full cache is simply emptied (entries are cheap to rebuild).
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[record->id] =
      Entry{record->digest, context, now + kCacheTtlMs, record->created_at + record->lifespan_ms};
  return context;
}

void TokenValidator::forget(std::string_view token_id) {
  std::lock_guard lock(mutex_);
  cache_.erase(std::string(token_id));
}

void TokenValidator::forget_all() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

std::size_t TokenValidator::cached_count() const {
  std::lock_guard lock(mutex_);
  return cache_.size();
}

}  // namespace stipple::auth
