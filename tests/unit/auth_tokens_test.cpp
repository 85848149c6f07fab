#include <gtest/gtest.h>

#include "auth_test_db.h"
#include "base/error.h"
#include "modules/auth/crypto.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/tokens.h"
#include "modules/users/users.h"

namespace stipple::tokens {
namespace {

using testing::IdentityDb;

// A clock the tests move by hand.
struct FakeClock {
  int64_t now = 1'800'000'000'000;
  auth::Clock clock() {
    return [this] { return now; };
  }
};

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    users::NewUser input;
    input.email = "ann@example.org";
    input.name = "Ann";
    input.password = "Stipple-Passw0rd!42";
    user_id_ = users::create_user(db_.conn(), input, clock_.now).id;
  }

  CreatedToken make_token(std::vector<std::string> scopes, int64_t lifespan = 3154000000000) {
    TokenSpec spec;
    spec.owner_id = user_id_;
    spec.name = "test";
    spec.scopes = std::move(scopes);
    spec.lifespan_ms = lifespan;
    spec.personal = true;
    return create_token(db_.conn(), spec, clock_.now);
  }

  IdentityDb db_;
  FakeClock clock_;
  std::string user_id_;
};

TEST(TokenFormat, SplitsIdAndSecret) {
  const auto parts = split_token("0123456789abcdef0123456789abcdef0123456789");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, "0123456789");
  EXPECT_EQ(parts->secret, "abcdef0123456789abcdef0123456789");
}

TEST(TokenFormat, RejectsWrongLengthAndAlphabet) {
  EXPECT_FALSE(split_token("garbage"));
  EXPECT_FALSE(split_token("0123456789abcdef0123456789abcdef012345678"));
  EXPECT_FALSE(split_token("0123456789ABCDEF0123456789abcdef0123456789"));
  EXPECT_FALSE(split_token("0123456789abcdef0123456789abcdef012345678z"));
}

TEST_F(TokensTest, StoresOnlyTheDigestOfTheSecret) {
  const auto created = make_token({"streams:read"});
  ASSERT_EQ(created.token.size(), 42u);
  const auto record = load_token(db_.conn(), created.id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->digest, auth::sha256_hex(created.token.substr(10)));
  EXPECT_EQ(
      db_.conn().query("SELECT last_chars FROM api_tokens WHERE id = $1", {created.id})[0].text(0),
      created.token.substr(36));
}

TEST_F(TokensTest, ValidTokenGivesTheCallersContext) {
  const auto created = make_token({"streams:read", "profile:read"});
  auth::TokenValidator validator(clock_.clock());
  const auto context = validator.validate(db_.conn(), created.token);
  ASSERT_TRUE(context);
  EXPECT_TRUE(context->authenticated);
  EXPECT_EQ(context->user_id, user_id_);
  EXPECT_EQ(context->token_id, created.id);
  EXPECT_EQ(context->server_role, "server:admin");
  EXPECT_EQ(context->scopes, (std::vector<std::string>{"profile:read", "streams:read"}));
  EXPECT_TRUE(context->resource_project_ids.empty());
}

TEST_F(TokensTest, WrongSecretIsInvalid) {
  const auto created = make_token({"streams:read"});
  auth::TokenValidator validator(clock_.clock());
  std::string forged = created.token;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(validator.validate(db_.conn(), forged));
}

TEST_F(TokensTest, UnknownTokenIsInvalid) {
  auth::TokenValidator validator(clock_.clock());
  EXPECT_FALSE(validator.validate(db_.conn(), "0123456789abcdef0123456789abcdef0123456789"));
}

TEST_F(TokensTest, RevokedTokenIsInvalid) {
  const auto created = make_token({"streams:read"});
  db_.conn().execute("UPDATE api_tokens SET revoked = TRUE WHERE id = $1", {created.id});
  auth::TokenValidator validator(clock_.clock());
  EXPECT_FALSE(validator.validate(db_.conn(), created.token));
}

TEST_F(TokensTest, ExpiredTokenIsInvalidAndDeleted) {
  const auto created = make_token({"streams:read"}, 1000);
  clock_.now += 1001;
  auth::TokenValidator validator(clock_.clock());
  EXPECT_FALSE(validator.validate(db_.conn(), created.token));
  EXPECT_FALSE(load_token(db_.conn(), created.id));
}

TEST_F(TokensTest, CacheAnswersWithoutTheDatabaseUntilItsTtl) {
  const auto created = make_token({"streams:read"});
  auth::TokenValidator validator(clock_.clock());
  auth::AuthContext context;
  EXPECT_EQ(validator.check_cached(created.token, context), auth::TokenValidator::Cached::unknown);
  ASSERT_TRUE(validator.validate(db_.conn(), created.token));

  // Deleted behind the cache's back: still answered from memory until the TTL ends.
  delete_token(db_.conn(), created.id);
  EXPECT_EQ(validator.check_cached(created.token, context), auth::TokenValidator::Cached::valid);
  EXPECT_EQ(context.user_id, user_id_);
  clock_.now += auth::TokenValidator::kCacheTtlMs;
  EXPECT_EQ(validator.check_cached(created.token, context), auth::TokenValidator::Cached::unknown);
}

TEST_F(TokensTest, ForgetDropsARevokedTokenAtOnce) {
  const auto created = make_token({"streams:read"});
  auth::TokenValidator validator(clock_.clock());
  ASSERT_TRUE(validator.validate(db_.conn(), created.token));
  validator.forget(created.id);
  auth::AuthContext context;
  EXPECT_EQ(validator.check_cached(created.token, context), auth::TokenValidator::Cached::unknown);
}

TEST_F(TokensTest, CachedIdWithOtherSecretIsInvalid) {
  const auto created = make_token({"streams:read"});
  auth::TokenValidator validator(clock_.clock());
  ASSERT_TRUE(validator.validate(db_.conn(), created.token));
  std::string forged = created.token;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  auth::AuthContext context;
  EXPECT_EQ(validator.check_cached(forged, context), auth::TokenValidator::Cached::invalid);
  EXPECT_EQ(validator.check_cached("garbage", context), auth::TokenValidator::Cached::invalid);
}

TEST_F(TokensTest, LastUsedIsWrittenAtMostOncePerInterval) {
  const auto created = make_token({"streams:read"});
  const int64_t created_at = clock_.now;
  auto last_used = [&] {
    return db_.conn()
        .query("SELECT last_used FROM api_tokens WHERE id = $1", {created.id})[0]
        .integer(0);
  };
  auth::TokenValidator validator(clock_.clock());

  clock_.now += 1000;
  validator.validate(db_.conn(), created.token);
  EXPECT_EQ(last_used(), created_at);

  clock_.now = created_at + auth::TokenValidator::kTouchIntervalMs;
  validator.validate(db_.conn(), created.token);
  EXPECT_EQ(last_used(), clock_.now);
}

TEST_F(TokensTest, ListsPersonalTokensWithScopes) {
  make_token({"streams:read", "profile:email"});
  const auto list = list_personal_tokens(db_.conn(), user_id_);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "test");
  EXPECT_EQ(list[0].lifespan_ms, 3154000000000);
  EXPECT_EQ(list[0].scopes, (std::vector<std::string>{"profile:email", "streams:read"}));
}

}  // namespace
}  // namespace stipple::tokens
