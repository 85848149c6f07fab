#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <memory>

#include "base/config.h"
#include "modules/auth/jwt.h"
#include "modules/auth/oidc.h"
#include "modules/auth/strategies.h"

namespace stipple::auth {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// A signing key and tokens made with it, as a provider would.

struct TestKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string kid;

  static TestKey generate(std::string kid) {
    EVP_PKEY* raw = EVP_RSA_gen(2048);
    return TestKey{std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free), std::move(kid)};
  }

  // The public key as a JWKS document.
  std::string jwks() const {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(key.get(), "n", &n);
    EVP_PKEY_get_bn_param(key.get(), "e", &e);
    auto bytes = [](BIGNUM* bn) {
      std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
      BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
      BN_free(bn);
      return base64url_encode(out);
    };
    const json::object jwk{{"kty", "RSA"},   {"kid", kid},    {"use", "sig"},
                           {"alg", "RS256"}, {"n", bytes(n)}, {"e", bytes(e)}};
    return json::serialize(json::object{{"keys", json::array{jwk}}});
  }

  std::string sign(const json::object& claims, std::string alg = "RS256") const {
    const json::object header{{"alg", alg}, {"kid", kid}, {"typ", "JWT"}};
    const std::string input =
        base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(claims));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t length = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(ctx.get(), nullptr, &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
    return input + "." + base64url_encode(signature);
  }
};

std::string error_of(const std::function<void()>& work) {
  try {
    work();
  } catch (const JwtError& e) {
    return e.what();
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// JWT and JWKS

TEST(Jwt, Base64UrlRoundTripsWithoutPadding) {
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
  EXPECT_EQ(base64url_decode("aGk="), "hi");
  EXPECT_EQ(error_of([] { base64url_decode("a+b/"); }), "invalid base64url text");
}

TEST(Jwt, ASignatureOfTheKeyVerifies) {
  const auto key = TestKey::generate("k1");
  const auto keys = JwkSet::parse(key.jwks());
  const Jwt token = decode_jwt(key.sign({{"sub", "alice"}}));
  EXPECT_EQ(token.kid(), "k1");
  EXPECT_TRUE(keys.has_key_for(token));
  EXPECT_EQ(error_of([&] { keys.verify(token); }), "");
}

TEST(Jwt, ASignatureOfAnotherKeyUnderTheSameIdDoesNotVerify) {
  const auto published = TestKey::generate("k1");
  const auto other = TestKey::generate("k1");
  const auto keys = JwkSet::parse(published.jwks());
  const Jwt token = decode_jwt(other.sign({{"sub", "alice"}}));
  EXPECT_EQ(error_of([&] { keys.verify(token); }), "the token's signature does not verify");
}

TEST(Jwt, AnAlteredBodyDoesNotVerify) {
  const auto key = TestKey::generate("k1");
  const auto keys = JwkSet::parse(key.jwks());
  std::string token = key.sign({{"sub", "alice"}});
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  token.replace(first + 1, second - first - 1, base64url_encode(R"({"sub":"mallory"})"));
  EXPECT_EQ(error_of([&] { keys.verify(decode_jwt(token)); }),
            "the token's signature does not verify");
}

TEST(Jwt, OnlyRsaAlgorithmsAreAccepted) {
  const auto key = TestKey::generate("k1");
  const auto keys = JwkSet::parse(key.jwks());
  const Jwt hs = decode_jwt(key.sign({{"sub", "a"}}, "HS256"));
  EXPECT_EQ(error_of([&] { keys.verify(hs); }),
            "the token's signing algorithm 'HS256' is not accepted");
  const Jwt none = decode_jwt(key.sign({{"sub", "a"}}, "none"));
  EXPECT_EQ(error_of([&] { keys.verify(none); }),
            "the token's signing algorithm 'none' is not accepted");
}

TEST(Jwt, AnUnknownKeyIdFindsNoKey) {
  const auto keys = JwkSet::parse(TestKey::generate("k1").jwks());
  const Jwt token = decode_jwt(TestKey::generate("k2").sign({{"sub", "a"}}));
  EXPECT_FALSE(keys.has_key_for(token));
  EXPECT_EQ(error_of([&] { keys.verify(token); }),
            "no key of the provider's JWKS matches the token");
}

TEST(Jwt, MalformedTokensAreRefused) {
  EXPECT_EQ(error_of([] { decode_jwt("a.b"); }),
            "the token is not a signed JWT (three dot-separated parts)");
  EXPECT_EQ(error_of([] { decode_jwt("e30.W10.c2ln"); }), "the token body is not a JSON object");
}

// ---------------------------------------------------------------------------------------------
// ID token claims

json::object good_claims() {
  return {{"iss", "https://id.example.org"},
          {"aud", "client-1"},
          {"sub", "alice"},
          {"exp", 2000},
          {"iat", 1000},
          {"nonce", "n-1"}};
}

IdTokenExpectations expectations() {
  return IdTokenExpectations{"https://id.example.org", "client-1", "n-1", 1500, 60};
}

std::string claims_error(const json::object& claims,
                         const IdTokenExpectations& expected = expectations()) {
  return error_of([&] { check_id_token_claims(claims, expected); });
}

TEST(IdTokenClaims, GoodClaimsPass) {
  EXPECT_EQ(claims_error(good_claims()), "");
}

TEST(IdTokenClaims, EachClaimIsChecked) {
  auto c = good_claims();
  c["iss"] = "https://evil.example.org";
  EXPECT_EQ(claims_error(c), "the ID token was issued by someone else");
  c = good_claims();
  c["aud"] = "client-2";
  EXPECT_EQ(claims_error(c), "the ID token is meant for another client");
  c = good_claims();
  c["exp"] = 1400;
  EXPECT_EQ(claims_error(c), "the ID token has expired");
  c = good_claims();
  c["iat"] = 1600;
  EXPECT_EQ(claims_error(c), "the ID token's issue time is missing or in the future");
  c = good_claims();
  c["nonce"] = "n-2";
  EXPECT_EQ(claims_error(c), "the ID token's nonce does not match this sign-in");
  c = good_claims();
  c.erase("nonce");
  EXPECT_EQ(claims_error(c), "the ID token's nonce does not match this sign-in");
}

TEST(IdTokenClaims, SeveralAudiencesNeedAuthorizedPartyToBeUs) {
  auto c = good_claims();
  c["aud"] = json::array{"client-1", "client-9"};
  EXPECT_EQ(claims_error(c), "the ID token is meant for another client");
  c["azp"] = "client-1";
  EXPECT_EQ(claims_error(c), "");
}

TEST(IdTokenClaims, AzureTenantPlaceholderTakesTheTokensTenant) {
  auto expected = expectations();
  expected.issuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
  auto c = good_claims();
  c["iss"] = "https://login.microsoftonline.com/t-42/v2.0";
  c["tid"] = "t-42";
  EXPECT_EQ(claims_error(c, expected), "");
  c["tid"] = "t-43";
  EXPECT_EQ(claims_error(c, expected), "the ID token was issued by someone else");
}

TEST(IdTokenClaims, IdentityNamesFallBackToGivenAndFamilyNames) {
  const auto a = identity_from_claims(
      {{"sub", "s"}, {"email", "a@example.org"}, {"given_name", "Ann"}, {"family_name", "Lee"}});
  EXPECT_EQ(a.name, "Ann Lee");
  EXPECT_FALSE(a.email_unverified);
  const auto b = identity_from_claims({{"sub", "s"}, {"email_verified", "false"}});
  EXPECT_TRUE(b.email_unverified);
  EXPECT_EQ(b.name, "");
}

// ---------------------------------------------------------------------------------------------
// Sign-in state, PKCE, discovery

LoginState sample_state() {
  return LoginState{"oidc", "state-1", "nonce-1", "verifier-1", "challenge-1", "invite-1", 10'000};
}

TEST(LoginState, RoundTripsWithTheSecret) {
  const auto opened = open_login_state(seal_login_state(sample_state(), "secret"), "secret", 9'999);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->strategy, "oidc");
  EXPECT_EQ(opened->state, "state-1");
  EXPECT_EQ(opened->nonce, "nonce-1");
  EXPECT_EQ(opened->code_verifier, "verifier-1");
  EXPECT_EQ(opened->challenge, "challenge-1");
  EXPECT_EQ(opened->invite_token, "invite-1");
}

TEST(LoginState, ForgedExpiredOrOtherSecretsAreRefused) {
  const std::string sealed = seal_login_state(sample_state(), "secret");
  EXPECT_FALSE(open_login_state(sealed, "other secret", 9'999));
  EXPECT_FALSE(open_login_state(sealed, "secret", 10'000));
  auto forged = sample_state();
  forged.challenge = "challenge-of-mallory";
  const std::string forged_payload = seal_login_state(forged, "mallory's secret");
  const std::string spliced =
      forged_payload.substr(0, forged_payload.find('.')) + sealed.substr(sealed.find('.'));
  EXPECT_FALSE(open_login_state(spliced, "secret", 9'999));
  EXPECT_FALSE(open_login_state("", "secret", 0));
}

TEST(Pkce, S256MatchesRfc7636AppendixB) {
  EXPECT_EQ(pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OidcMetadata, ReadsEndpointsAndMethods) {
  const auto m = OidcMetadata::parse(R"({
    "issuer": "https://id.example.org", "authorization_endpoint": "https://id.example.org/auth",
    "token_endpoint": "https://id.example.org/token", "jwks_uri": "https://id.example.org/jwks",
    "code_challenge_methods_supported": ["plain", "S256"],
    "token_endpoint_auth_methods_supported": ["client_secret_post"]})");
  EXPECT_EQ(m.token_endpoint, "https://id.example.org/token");
  EXPECT_EQ(m.userinfo_endpoint, "");
  EXPECT_TRUE(m.supports_pkce_s256);
  EXPECT_TRUE(m.prefers_client_secret_post);
  EXPECT_EQ(error_of([] { OidcMetadata::parse(R"({"issuer": "x"})"); }),
            "the discovery document lacks issuer, authorization_endpoint, token_endpoint or "
            "jwks_uri");
}

// ---------------------------------------------------------------------------------------------
// Strategy listing

TEST(Strategies, LocalIsForcedOnWhenNoOtherIsEnabled) {
  Config config;
  config.strategy_local = false;
  ASSERT_EQ(enabled_strategies(config).size(), 1u);
  EXPECT_EQ(enabled_strategies(config)[0].id, "local");
  config.strategy_oidc = true;
  config.oidc_name = "Company SSO";
  const auto list = enabled_strategies(config);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, "oidc");
  EXPECT_EQ(list[0].name, "Company SSO");
}

TEST(Strategies, UpstreamsOrder) {
  Config config;
  config.strategy_oidc = config.strategy_github = config.strategy_google = true;
  config.strategy_azure_ad = true;
  std::vector<std::string> ids;
  for (const auto& s : enabled_strategies(config)) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"google", "github", "azuread", "oidc", "local"}));
}

}  // namespace
}  // namespace stipple::auth
