#include "modules/auth/crypto.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

#include "base/error.h"

namespace stipple::auth {
namespace {

// bcrypt reads at most 72 bytes of the password and stops at the first NUL; crypt_r takes a C
// string, so a password with an embedded NUL is cut there exactly as bcryptjs would cut it.
std::string as_c_string(std::string_view text) {
  return std::string(text.data(), text.size());
}

bool is_bcrypt_hash(std::string_view hash) {
  return hash.size() == 60 &&
         (hash.starts_with("$2a$") || hash.starts_with("$2b$") || hash.starts_with("$2y$"));
}

}  // namespace

std::string bcrypt_hash(std::string_view password, int cost) {
  // Salt: libxcrypt draws the random bytes itself when none are given.
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> salt{};
  if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt.data(),
                        static_cast<int>(salt.size()))) {
    throw internal_error("Could not generate a bcrypt salt");
  }

  // Hash.
  auto data = std::make_unique<crypt_data>();
  const std::string pw = as_c_string(password);
  const char* out = crypt_r(pw.c_str(), salt.data(), data.get());
  if (!out || out[0] == '*') throw internal_error("Could not hash the password");
  return out;
}

bool bcrypt_verify(std::string_view password, std::string_view hash) {
  if (!is_bcrypt_hash(hash)) return false;
  auto data = std::make_unique<crypt_data>();
  const std::string pw = as_c_string(password);
  const std::string setting(hash);
  const char* out = crypt_r(pw.c_str(), setting.c_str(), data.get());
  if (!out || out[0] == '*') return false;
  return constant_time_equals(out, hash);
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw internal_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace stipple::auth
