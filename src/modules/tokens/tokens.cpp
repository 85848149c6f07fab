#include "modules/tokens/tokens.h"

#include <algorithm>

#include "base/ids.h"
#include "db/database.h"
#include "modules/auth/crypto.h"

namespace stipple::tokens {
namespace {

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> column_list(db::Connection& conn, std::string_view sql,
                                     std::string_view id) {
  std::vector<std::string> out;
  for (const auto& row : conn.query(sql, {id}).rows) out.push_back(row.text(0));
  return out;
}

}  // namespace

std::optional<TokenParts> split_token(std::string_view token) {
  if (token.size() != kTokenLength || !is_lower_hex(token)) return std::nullopt;
  return TokenParts{token.substr(0, kIdLength), token.substr(kIdLength)};
}

CreatedToken create_token(db::Connection& conn, const TokenSpec& spec, int64_t now_ms) {
  // Mint the id and the secret; only the secret's digest is kept.
  const std::string id = random_hex(kIdLength);
  const std::string secret = random_hex(kSecretLength);
  const std::string digest = auth::sha256_hex(secret);
  const std::string last_chars = secret.substr(kSecretLength - kLastCharsLength);

  conn.execute(
      "INSERT INTO api_tokens (id, token_digest, owner_id, name, last_chars, lifespan, "
      "created_at, last_used) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
      {id, digest, spec.owner_id, spec.name, last_chars, spec.lifespan_ms, now_ms});

  // Scopes, deduplicated (the primary key would refuse duplicates).
  std::vector<std::string> scopes = spec.scopes;
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  for (const auto& scope : scopes) {
    conn.execute("INSERT INTO token_scopes (token_id, scope_name) VALUES ($1, $2)", {id, scope});
  }

  if (spec.personal) {
    conn.execute("INSERT INTO personal_api_tokens (token_id, user_id) VALUES ($1, $2)",
                 {id, spec.owner_id});
  }
  if (!spec.app_id.empty()) {
    conn.execute(
        "INSERT INTO user_server_app_tokens (token_id, app_id, user_id) VALUES ($1, $2, $3)",
        {id, spec.app_id, spec.owner_id});
  }
  for (const auto& project_id : spec.project_ids) {
    conn.execute(
        "INSERT INTO token_resource_access (token_id, resource_id, resource_type) "
        "VALUES ($1, $2, 'project')",
        {id, project_id});
  }
  return CreatedToken{id, id + secret};
}

std::optional<TokenRecord> load_token(db::Connection& conn, std::string_view id) {
  const auto result = conn.query(
      "SELECT t.id, t.token_digest, t.owner_id, a.role, t.revoked, t.created_at, t.lifespan, "
      "t.last_used, u.app_id FROM api_tokens t "
      "LEFT JOIN server_acl a ON a.user_id = t.owner_id "
      "LEFT JOIN user_server_app_tokens u ON u.token_id = t.id "
      "WHERE t.id = $1",
      {id});
  if (result.empty()) return std::nullopt;

  const auto& row = result[0];
  TokenRecord record;
  record.id = row.text(0);
  record.digest = row.text(1);
  record.owner_id = row.text(2);
  record.server_role = row.opt_text(3).value_or("");
  record.revoked = row.boolean(4);
  record.created_at = row.integer(5);
  record.lifespan_ms = row.integer(6);
  record.last_used = row.integer(7);
  record.app_id = row.opt_text(8).value_or("");
  record.scopes = column_list(
      conn, "SELECT scope_name FROM token_scopes WHERE token_id = $1 ORDER BY scope_name", id);
  record.project_ids =
      column_list(conn,
                  "SELECT resource_id FROM token_resource_access WHERE token_id = $1 "
                  "AND resource_type = 'project' ORDER BY resource_id",
                  id);
  return record;
}

bool delete_token(db::Connection& conn, std::string_view id) {
  return conn.execute("DELETE FROM api_tokens WHERE id = $1", {id}) > 0;
}

void touch_token(db::Connection& conn, std::string_view id, int64_t now_ms) {
  conn.execute("UPDATE api_tokens SET last_used = $2 WHERE id = $1", {id, now_ms});
}

std::vector<TokenSummary> list_personal_tokens(db::Connection& conn, std::string_view user_id) {
  const auto result = conn.query(
      "SELECT t.id, t.name, t.last_chars, t.created_at, t.lifespan, t.last_used "
      "FROM api_tokens t JOIN personal_api_tokens p ON p.token_id = t.id "
      "WHERE p.user_id = $1 AND t.revoked = FALSE ORDER BY t.created_at DESC, t.id",
      {user_id});
  std::vector<TokenSummary> out;
  out.reserve(result.size());
  for (const auto& row : result.rows) {
    TokenSummary summary;
    summary.id = row.text(0);
    summary.name = row.text(1);
    summary.last_chars = row.text(2);
    summary.created_at = row.integer(3);
    summary.lifespan_ms = row.integer(4);
    summary.last_used = row.integer(5);
    summary.scopes = column_list(
        conn, "SELECT scope_name FROM token_scopes WHERE token_id = $1 ORDER BY scope_name",
        summary.id);
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace stipple::tokens
