// API tokens: the storage and the rules of Speckle's opaque bearer tokens.
//
// A token is 42 lower-case hex characters: a 10-character id (the row's key) followed by a
// 32-character secret. Only the SHA-256 digest of the secret is stored, plus its last six
// characters for display. Everything here is blocking and takes a Connection, so the same
// functions serve the HTTP middleware, the REST routes, GraphQL resolvers and the admin CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::db {
class Connection;
}

namespace stipple::tokens {

inline constexpr std::size_t kIdLength = 10;
inline constexpr std::size_t kSecretLength = 32;
inline constexpr std::size_t kTokenLength = kIdLength + kSecretLength;
inline constexpr std::size_t kLastCharsLength = 6;

// Lifespans in milliseconds, as upstream uses them.
inline constexpr int64_t kPersonalTokenLifespanMs = 3154000000000;  // about 100 years
inline constexpr int64_t kAppTokenLifespanMs = 3154000000000;

struct TokenParts {
  std::string_view id;
  std::string_view secret;
};

// Splits a token into id and secret; nullopt unless it is exactly 42 lower-case hex characters.
std::optional<TokenParts> split_token(std::string_view token);

// What to create.
struct TokenSpec {
  std::string owner_id;
  std::string name;
  std::vector<std::string> scopes;  // must be registered scopes
  int64_t lifespan_ms = kPersonalTokenLifespanMs;
  bool personal = false;                 // listed among the user's personal access tokens
  std::string app_id;                    // issued to this app for the owner (empty: none)
  std::vector<std::string> project_ids;  // resource allow-list (empty: no restriction)
};

struct CreatedToken {
  std::string id;
  std::string token;  // id + secret: shown once, never stored
};

// Inserts the token and its scopes, app link and resource rules. Call inside a transaction when
// it must be atomic with other writes.
CreatedToken create_token(db::Connection& conn, const TokenSpec& spec, int64_t now_ms);

// A stored token with what validation needs to know about its owner.
struct TokenRecord {
  std::string id;
  std::string digest;  // hex SHA-256 of the secret
  std::string owner_id;
  std::string server_role;  // empty when the owner has no server role
  bool revoked = false;
  int64_t created_at = 0;
  int64_t lifespan_ms = 0;
  int64_t last_used = 0;
  std::string app_id;
  std::vector<std::string> scopes;
  std::vector<std::string> project_ids;

  bool expired(int64_t now_ms) const { return now_ms - created_at > lifespan_ms; }
};

// Loads a token by id; nullopt when there is no such row.
std::optional<TokenRecord> load_token(db::Connection& conn, std::string_view id);

// Deletes a token (scopes, links and rules cascade); false when there was none.
bool delete_token(db::Connection& conn, std::string_view id);

// Records a use of the token.
void touch_token(db::Connection& conn, std::string_view id, int64_t now_ms);

// Personal access tokens of a user, newest first.
struct TokenSummary {
  std::string id;
  std::string name;
  std::string last_chars;
  std::vector<std::string> scopes;
  int64_t created_at = 0;
  int64_t lifespan_ms = 0;
  int64_t last_used = 0;
};
std::vector<TokenSummary> list_personal_tokens(db::Connection& conn, std::string_view user_id);

}  // namespace stipple::tokens
