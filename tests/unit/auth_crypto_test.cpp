#include <gtest/gtest.h>

#include "modules/auth/crypto.h"

namespace stipple::auth {
namespace {

// A cost-10 hash of "rasmuslerdorf" published with PHP's password_hash documentation ($2y$ and
// $2b$ are the same algorithm; the prefix only records which implementation bug was fixed).
constexpr const char* kKnownHash2y = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
constexpr const char* kKnownHash2b = "$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";

TEST(AuthCrypto, VerifiesAKnownCost10Hash) {
  EXPECT_TRUE(bcrypt_verify("rasmuslerdorf", kKnownHash2b));
  EXPECT_TRUE(bcrypt_verify("rasmuslerdorf", kKnownHash2y));
  EXPECT_FALSE(bcrypt_verify("rasmuslerdorF", kKnownHash2b));
}

TEST(AuthCrypto, VerifiesTheOpenBsdTestVector) {
  EXPECT_TRUE(bcrypt_verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
}

TEST(AuthCrypto, HashesWithPrefix2bAndCost10) {
  const std::string hash = bcrypt_hash("Stipple-Passw0rd!42");
  EXPECT_EQ(hash.substr(0, 7), "$2b$10$");
  EXPECT_EQ(hash.size(), 60u);
  EXPECT_TRUE(bcrypt_verify("Stipple-Passw0rd!42", hash));
  EXPECT_FALSE(bcrypt_verify("Stipple-Passw0rd!43", hash));
}

TEST(AuthCrypto, SaltsEveryHashDifferently) {
  EXPECT_NE(bcrypt_hash("same password", 4), bcrypt_hash("same password", 4));
}

TEST(AuthCrypto, RejectsMalformedHashes) {
  EXPECT_FALSE(bcrypt_verify("x", ""));
  EXPECT_FALSE(bcrypt_verify("x", "plain text"));
  EXPECT_FALSE(bcrypt_verify("x", "$1$abcdefgh$abcdefghijklmnopqrstuv"));
}

TEST(AuthCrypto, Sha256OfKnownInputs) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthCrypto, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

}  // namespace
}  // namespace stipple::auth
