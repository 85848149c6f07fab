#include "modules/tokens/personal_tokens.h"

#include <algorithm>

#include "base/error.h"
#include "db/database.h"
#include "modules/auth/scopes.h"

namespace stipple::tokens {

namespace {

bool contains(std::span<const std::string> list, std::string_view scope) {
  return std::find(list.begin(), list.end(), scope) != list.end();
}

}  // namespace

std::optional<std::string> app_token_refusal(std::span<const std::string> caller_scopes,
                                             std::span<const std::string> requested) {
  if (requested.empty()) return "No scopes provided";

  // Unknown scopes fail here too: no caller holds them.
  for (const auto& scope : requested) {
    if (!contains(caller_scopes, scope) || !auth::is_known_scope(scope)) {
      return "You can't create a token with scopes that you don't have";
    }
  }
  return std::nullopt;
}

std::optional<std::string> personal_token_refusal(std::span<const std::string> caller_scopes,
                                                  std::span<const std::string> requested) {
  if (!requested.empty() && contains(requested, auth::kScopeTokensWrite)) {
    return "You can't create a personal access token with the tokens:write scope";
  }
  return app_token_refusal(caller_scopes, requested);
}

CreatedToken create_personal_token(db::Connection& conn, std::string_view owner_id,
                                   const PersonalTokenRequest& request,
                                   std::span<const std::string> caller_scopes, int64_t now_ms) {
  if (const auto refusal = personal_token_refusal(caller_scopes, request.scopes)) {
    throw Error("TOKEN_CREATE_ERROR", *refusal, 400);
  }

  TokenSpec spec;
  spec.owner_id = std::string(owner_id);
  spec.name = request.name;
  spec.scopes = request.scopes;
  spec.lifespan_ms = request.lifespan_ms.value_or(kPersonalTokenLifespanMs);
  spec.personal = true;
  spec.project_ids = request.project_ids;
  return conn.transaction([&] { return create_token(conn, spec, now_ms); });
}

CreatedToken create_app_token(db::Connection& conn, std::string_view owner_id,
                              std::string_view app_id, const PersonalTokenRequest& request,
                              std::span<const std::string> caller_scopes, int64_t now_ms) {
  if (const auto refusal = app_token_refusal(caller_scopes, request.scopes)) {
    throw Error("TOKEN_CREATE_ERROR", *refusal, 400);
  }

  TokenSpec spec;
  spec.owner_id = std::string(owner_id);
  spec.name = request.name;
  spec.scopes = request.scopes;
  spec.lifespan_ms = request.lifespan_ms.value_or(kAppTokenLifespanMs);
  spec.app_id = std::string(app_id);
  spec.project_ids = request.project_ids;
  return conn.transaction([&] { return create_token(conn, spec, now_ms); });
}

std::string revocation_target(std::string_view argument) {
  // "Bearer <token>": the part after the first space.
  if (const auto space = argument.find(' '); space != std::string_view::npos) {
    argument = argument.substr(space + 1);
  }
  return std::string(argument.substr(0, kIdLength));
}

bool revoke_owned_token(db::Connection& conn, std::string_view owner_id,
                        std::string_view token_id) {
  return conn.execute("DELETE FROM api_tokens WHERE id = $1 AND owner_id = $2",
                      {token_id, owner_id}) > 0;
}

}  // namespace stipple::tokens
