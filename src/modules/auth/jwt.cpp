#include "modules/auth/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json.hpp>

namespace stipple::auth {
namespace {

namespace json = boost::json;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

json::object parse_object(std::string_view text, const char* what) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) throw JwtError(std::string(what) + " is not a JSON object");
  return std::move(value.as_object());
}

std::string string_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// An RSA public key from its base64url modulus and exponent.
std::shared_ptr<EVP_PKEY> rsa_public_key(const std::string& n64, const std::string& e64) {
  const std::string n = base64url_decode(n64);
  const std::string e = base64url_decode(e64);
  if (n.empty() || e.empty()) throw JwtError("an RSA key lacks its modulus or exponent");

  using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()),
                       nullptr),
             BN_free);
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()),
                       nullptr),
             BN_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  if (!bn_n || !bn_e || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
    throw JwtError("cannot build an RSA key");
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(builder.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    throw JwtError("cannot build an RSA key");
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// The digest of an accepted algorithm; null for any other.
const EVP_MD* digest_for(std::string_view alg) {
  if (alg == "RS256") return EVP_sha256();
  if (alg == "RS384") return EVP_sha384();
  if (alg == "RS512") return EVP_sha512();
  return nullptr;
}

}  // namespace

std::string base64url_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char ch : data) {
    buffer = (buffer << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

std::string base64url_decode(std::string_view text) {
  // Padding is tolerated at the end, as some encoders leave it.
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = decode_char(c);
    if (value < 0) throw JwtError("invalid base64url text");
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string Jwt::alg() const {
  return string_member(header, "alg");
}

std::string Jwt::kid() const {
  return string_member(header, "kid");
}

Jwt decode_jwt(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    throw JwtError("the token is not a signed JWT (three dot-separated parts)");
  }
  Jwt jwt;
  jwt.header = parse_object(base64url_decode(token.substr(0, first)), "the token header");
  jwt.claims =
      parse_object(base64url_decode(token.substr(first + 1, second - first - 1)), "the token body");
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.signature = base64url_decode(token.substr(second + 1));
  return jwt;
}

JwkSet JwkSet::parse(std::string_view text) {
  const json::object document = parse_object(text, "the JWKS document");
  const auto* keys = document.if_contains("keys");
  if (!keys || !keys->is_array()) throw JwtError("the JWKS document has no keys array");

  JwkSet set;
  for (const auto& entry : keys->as_array()) {
    if (!entry.is_object()) continue;
    const auto& key = entry.as_object();
    const std::string use = string_member(key, "use");
    if (string_member(key, "kty") != "RSA" || (!use.empty() && use != "sig")) continue;
    set.keys_.push_back(Key{string_member(key, "kid"),
                            rsa_public_key(string_member(key, "n"), string_member(key, "e"))});
  }
  return set;
}

const JwkSet::Key* JwkSet::find(const Jwt& token) const {
  const std::string kid = token.kid();
  if (kid.empty()) return keys_.size() == 1 ? &keys_.front() : nullptr;
  for (const auto& key : keys_) {
    if (key.kid == kid) return &key;
  }
  return nullptr;
}

bool JwkSet::has_key_for(const Jwt& token) const {
  return find(token) != nullptr;
}

void JwkSet::verify(const Jwt& token) const {
  const std::string alg = token.alg();
  const EVP_MD* digest = digest_for(alg);
  if (!digest) throw JwtError("the token's signing algorithm '" + alg + "' is not accepted");
  const Key* key = find(token);
  if (!key) throw JwtError("no key of the provider's JWKS matches the token");

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const bool valid =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key->key.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(token.signature.data()),
                       token.signature.size(),
                       reinterpret_cast<const unsigned char*>(token.signing_input.data()),
                       token.signing_input.size()) == 1;
  if (!valid) throw JwtError("the token's signature does not verify");
}

}  // namespace stipple::auth
