// The parts of an OpenID Connect sign-in (authorization code flow) that need no network:
// reading a provider's discovery document, the sign-in state carried across the provider round
// trip, PKCE, and the checks of an ID token's claims (RFC 6749, OpenID Connect Core 1.0 §3.1).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "modules/auth/jwt.h"

namespace stipple::auth {

// What a provider's .well-known/openid-configuration says about it.
struct OidcMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;  // may be empty
  std::string jwks_uri;
  bool supports_pkce_s256 = false;
  // The token endpoint takes the client's secret in the form, not as HTTP Basic credentials
  // (OAuth's default); true when the provider lists client_secret_post but not _basic.
  bool prefers_client_secret_post = false;

  // Throws JwtError when a required member is missing.
  static OidcMetadata parse(std::string_view json);
};

// What a sign-in carries from the start route to the callback. It travels in a cookie signed
// with SESSION_SECRET, so any replica can finish a sign-in another one started, and a callback
// can only finish a sign-in begun in the same browser.
struct LoginState {
  std::string strategy;       // "oidc", "google", "azuread", "github"
  std::string state;          // the OAuth `state`, echoed by the provider
  std::string nonce;          // bound into the ID token (OpenID providers)
  std::string code_verifier;  // PKCE (empty when the provider does not support it)
  std::string challenge;      // the web app's challenge, for the access code
  std::string invite_token;   // an invite to register with; empty when none
  int64_t expires_at_ms = 0;
};

// How long a sign-in may take at the provider, as upstream's session cookie lasts.
inline constexpr int64_t kLoginStateLifetimeMs = 3 * 60 * 1000;

std::string seal_login_state(const LoginState& state, std::string_view secret);
// The state of a sealed cookie value; nullopt when it was not signed with `secret`, is
// malformed, or has expired.
std::optional<LoginState> open_login_state(std::string_view sealed, std::string_view secret,
                                           int64_t now_ms);

// PKCE's S256 code challenge of a verifier: base64url(SHA-256(verifier)).
std::string pkce_s256(std::string_view verifier);

// What the relying party expects of an ID token.
struct IdTokenExpectations {
  std::string issuer;  // may hold Azure AD's "{tenantid}" placeholder, filled from `tid`
  std::string client_id;
  std::string nonce;
  int64_t now_s = 0;
  int64_t leeway_s = 60;  // tolerated clock difference
};

// Checks iss, aud (and azp when there are several audiences), exp, iat and nonce; throws
// JwtError naming the first that does not hold. The signature is checked by JwkSet::verify.
void check_id_token_claims(const boost::json::object& claims, const IdTokenExpectations& expected);

// The person a provider vouches for.
struct ExternalIdentity {
  std::string subject;
  std::string email;              // empty when the provider gave none
  std::string name;               // may be empty
  bool email_unverified = false;  // the provider said email_verified: false
  std::optional<std::string> avatar;
};

// Reads the standard claims (email, email_verified, name or given_name + family_name, picture).
ExternalIdentity identity_from_claims(const boost::json::object& claims);

}  // namespace stipple::auth
