// Tokens minted through GraphQL on behalf of a signed-in user: personal access tokens (PATs) and
// app tokens (more tokens for the app the caller is signed in through), and revocation by the
// owner.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "modules/tokens/tokens.h"

namespace stipple::tokens {

struct PersonalTokenRequest {
  std::string name;  // may be empty
  std::vector<std::string> scopes;
  std::optional<int64_t> lifespan_ms;    // default kPersonalTokenLifespanMs
  std::vector<std::string> project_ids;  // resource limits; empty = none
};

// Why a caller holding `caller_scopes` may not mint a PAT with `requested` scopes (upstream's
// messages), or nullopt when it may. A PAT never carries tokens:write, so a leaked PAT cannot
// mint more tokens, and never carries a scope its creator's token lacks.
std::optional<std::string> personal_token_refusal(std::span<const std::string> caller_scopes,
                                                  std::span<const std::string> requested);

// Checks the request against the caller's scopes and stores the token. Throws Error
// TOKEN_CREATE_ERROR (400) with personal_token_refusal's message.
CreatedToken create_personal_token(db::Connection& conn, std::string_view owner_id,
                                   const PersonalTokenRequest& request,
                                   std::span<const std::string> caller_scopes, int64_t now_ms);

// The rule for app tokens: the same as for PATs, except that tokens:write may be passed on when
// the caller holds it (the app was granted it).
std::optional<std::string> app_token_refusal(std::span<const std::string> caller_scopes,
                                             std::span<const std::string> requested);

// Checks the request and stores a token of `app_id` for the owner. Throws Error
// TOKEN_CREATE_ERROR (400) with app_token_refusal's message.
CreatedToken create_app_token(db::Connection& conn, std::string_view owner_id,
                              std::string_view app_id, const PersonalTokenRequest& request,
                              std::span<const std::string> caller_scopes, int64_t now_ms);

// The token id named by apiTokenRevoke's argument, which may be the id, the full token, or
// "Bearer <token>": the first kIdLength characters of the token part.
std::string revocation_target(std::string_view argument);

// Deletes the owner's token with that id; false when the owner holds no such token.
bool revoke_owned_token(db::Connection& conn, std::string_view owner_id, std::string_view token_id);

}  // namespace stipple::tokens
