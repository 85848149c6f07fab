#include "modules/auth/oidc.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <boost/json.hpp>

#include "modules/auth/crypto.h"

namespace stipple::auth {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

// A NumericDate claim (seconds since the epoch); nullopt when absent or not a number.
std::optional<int64_t> seconds_claim(const json::object& claims, std::string_view key) {
  const auto* value = claims.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<int64_t>(value->as_double());
  return std::nullopt;
}

}  // namespace

OidcMetadata OidcMetadata::parse(std::string_view document) {
  boost::system::error_code ec;
  const json::value value = json::parse(document, ec);
  if (ec || !value.is_object()) throw JwtError("the discovery document is not a JSON object");
  const auto& object = value.as_object();

  OidcMetadata metadata;
  metadata.issuer = text(object, "issuer");
  metadata.authorization_endpoint = text(object, "authorization_endpoint");
  metadata.token_endpoint = text(object, "token_endpoint");
  metadata.userinfo_endpoint = text(object, "userinfo_endpoint");
  metadata.jwks_uri = text(object, "jwks_uri");
  if (metadata.issuer.empty() || metadata.authorization_endpoint.empty() ||
      metadata.token_endpoint.empty() || metadata.jwks_uri.empty()) {
    throw JwtError(
        "the discovery document lacks issuer, authorization_endpoint, token_endpoint or jwks_uri");
  }
  if (const auto* methods = object.if_contains("code_challenge_methods_supported");
      methods && methods->is_array()) {
    for (const auto& method : methods->as_array()) {
      if (method.is_string() && method.as_string() == "S256") metadata.supports_pkce_s256 = true;
    }
  }
  if (const auto* methods = object.if_contains("token_endpoint_auth_methods_supported");
      methods && methods->is_array()) {
    bool basic = false;
    bool post = false;
    for (const auto& method : methods->as_array()) {
      if (!method.is_string()) continue;
      basic = basic || method.as_string() == "client_secret_basic";
      post = post || method.as_string() == "client_secret_post";
    }
    metadata.prefers_client_secret_post = post && !basic;
  }
  return metadata;
}

std::string seal_login_state(const LoginState& s, std::string_view secret) {
  const json::object fields{{"p", s.strategy},      {"s", s.state},     {"n", s.nonce},
                            {"v", s.code_verifier}, {"c", s.challenge}, {"t", s.invite_token},
                            {"e", s.expires_at_ms}};
  const std::string payload = base64url_encode(json::serialize(fields));
  return payload + "." + base64url_encode(hmac_sha256(secret, payload));
}

std::optional<LoginState> open_login_state(std::string_view sealed, std::string_view secret,
                                           int64_t now_ms) {
  // The signature first: nothing of a forged value is read.
  const auto dot = sealed.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view payload = sealed.substr(0, dot);
  const std::string expected = base64url_encode(hmac_sha256(secret, payload));
  if (!constant_time_equals(expected, sealed.substr(dot + 1))) return std::nullopt;

  try {
    boost::system::error_code ec;
    const json::value value = json::parse(base64url_decode(payload), ec);
    if (ec || !value.is_object()) return std::nullopt;
    const auto& fields = value.as_object();
    LoginState state{text(fields, "p"),
                     text(fields, "s"),
                     text(fields, "n"),
                     text(fields, "v"),
                     text(fields, "c"),
                     text(fields, "t"),
                     seconds_claim(fields, "e").value_or(0)};
    if (state.expires_at_ms <= now_ms || state.state.empty()) return std::nullopt;
    return state;
  } catch (const JwtError&) {
    return std::nullopt;
  }
}

std::string pkce_s256(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

void check_id_token_claims(const json::object& claims, const IdTokenExpectations& expected) {
  // The issuer: Azure AD's multi-tenant metadata names it with a placeholder for the tenant.
  std::string issuer = expected.issuer;
  if (const auto at = issuer.find("{tenantid}"); at != std::string::npos) {
    issuer.replace(at, 10, text(claims, "tid"));
  }
  if (text(claims, "iss") != issuer) throw JwtError("the ID token was issued by someone else");

  // The audience must include this client; with several audiences, azp must name it.
  const auto* aud = claims.if_contains("aud");
  bool ours = false;
  if (aud && aud->is_string()) ours = aud->as_string() == expected.client_id;
  if (aud && aud->is_array()) {
    for (const auto& entry : aud->as_array()) {
      if (entry.is_string() && entry.as_string() == expected.client_id) ours = true;
    }
    if (ours && aud->as_array().size() > 1 && text(claims, "azp") != expected.client_id) {
      ours = false;
    }
  }
  if (!ours) throw JwtError("the ID token is meant for another client");

  // Its lifetime.
  const auto exp = seconds_claim(claims, "exp");
  if (!exp || *exp + expected.leeway_s < expected.now_s) {
    throw JwtError("the ID token has expired");
  }
  const auto iat = seconds_claim(claims, "iat");
  if (!iat || *iat - expected.leeway_s > expected.now_s) {
    throw JwtError("the ID token's issue time is missing or in the future");
  }

  // The nonce binds the token to this very sign-in.
  if (expected.nonce.empty() || !constant_time_equals(text(claims, "nonce"), expected.nonce)) {
    throw JwtError("the ID token's nonce does not match this sign-in");
  }
  if (text(claims, "sub").empty()) throw JwtError("the ID token names no subject");
}

ExternalIdentity identity_from_claims(const json::object& claims) {
  ExternalIdentity identity;
  identity.subject = text(claims, "sub");
  identity.email = text(claims, "email");
  if (const auto* verified = claims.if_contains("email_verified")) {
    // Some providers send the flag as the string "false".
    identity.email_unverified = (verified->is_bool() && !verified->as_bool()) ||
                                (verified->is_string() && verified->as_string() == "false");
  }

  // The name: `name`, else the given and family names joined.
  identity.name = text(claims, "name");
  if (identity.name.empty()) {
    const std::string given = text(claims, "given_name");
    const std::string family = text(claims, "family_name");
    identity.name = given.empty() || family.empty() ? given + family : given + " " + family;
  }
  if (const std::string picture = text(claims, "picture"); !picture.empty()) {
    identity.avatar = picture;
  }
  return identity;
}

}  // namespace stipple::auth
