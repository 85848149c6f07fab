// Signed JSON Web Tokens as identity providers issue them (RFC 7515, compact form) and the JSON
// Web Key sets that carry the providers' public keys (RFC 7517). Verification supports the RSA
// PKCS#1 v1.5 algorithms RS256, RS384 and RS512, which every OpenID provider offers; a token
// signed with anything else (HS*, none, ES*, PS*) is refused.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace stipple::auth {

// A token or key set that cannot be used; the text says why.
class JwtError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string base64url_encode(std::string_view data);
// Throws JwtError on characters outside the URL-safe alphabet.
std::string base64url_decode(std::string_view text);

// A compact JWS split into its parts; nothing is verified yet.
struct Jwt {
  boost::json::object header;
  boost::json::object claims;
  std::string signing_input;  // "<header>.<payload>" as received
  std::string signature;      // raw bytes
  std::string alg() const;
  std::string kid() const;
};

// Splits and decodes the token; throws JwtError when it is not a three-part JWS with JSON
// objects in its header and payload.
Jwt decode_jwt(std::string_view token);

// The RSA public keys of a JWKS document. Keys of other types, and keys whose `use` is not
// "sig", are skipped.
class JwkSet {
 public:
  // Throws JwtError when the document is not a JWKS.
  static JwkSet parse(std::string_view json);

  // Whether a key can check this token's signature: the token's `kid` when it names one, else
  // the set's only key.
  bool has_key_for(const Jwt& token) const;

  // Checks the token's signature; throws JwtError saying why it does not hold.
  void verify(const Jwt& token) const;

  std::size_t size() const { return keys_.size(); }

 private:
  struct Key {
    std::string kid;
    std::shared_ptr<EVP_PKEY> key;
  };
  const Key* find(const Jwt& token) const;
  std::vector<Key> keys_;
};

}  // namespace stipple::auth
