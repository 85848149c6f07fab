#include <gtest/gtest.h>

#include "auth_test_db.h"
#include "modules/apps/apps.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/tokens.h"
#include "modules/users/users.h"

namespace stipple::apps {
namespace {

using testing::IdentityDb;

constexpr int64_t kNow = 1'800'000'000'000;

class AppsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    users::NewUser input;
    input.email = "dan@example.org";
    input.name = "Dan";
    input.password = "Stipple-Passw0rd!42";
    user_id_ = users::create_user(db_.conn(), input, kNow).id;
  }
  std::string code(std::string_view app = "spklwebapp", std::string_view challenge = "ch") {
    return create_access_code(db_.conn(), app, user_id_, challenge, kNow);
  }
  GrantResult exchange(std::string_view app, std::string_view secret, std::string_view c,
                       std::string_view challenge = "ch", int64_t now = kNow) {
    return exchange_access_code(db_.conn(), app, secret, c, challenge, now);
  }

  IdentityDb db_;
  std::string user_id_;
};

TEST_F(AppsTest, DefaultAppsHaveUpstreamsIdsAndScopes) {
  const auto web = find_app(db_.conn(), "spklwebapp");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->secret, "spklwebapp");
  EXPECT_EQ(web->redirect_url, "http://stipple.test");
  EXPECT_EQ(web->scopes.size(), 15u);
  EXPECT_TRUE(web->trust_by_default);

  const auto v3 = find_app(db_.conn(), "connectrV3");
  ASSERT_TRUE(v3);
  EXPECT_EQ(v3->name, "Desktop Connectors");
  EXPECT_EQ(v3->redirect_url, "http://localhost:29355");
  EXPECT_FALSE(v3->trust_by_default);
  EXPECT_EQ(v3->scopes, (std::vector<std::string>{"profile:email", "profile:read", "streams:read",
                                                  "streams:write", "users:invite", "users:read"}));
  EXPECT_EQ(find_app(db_.conn(), "explorer")->redirect_url, "http://stipple.test/explorer");
  EXPECT_EQ(find_app(db_.conn(), "sdm")->name, "Speckle Desktop Manager");
  for (const char* id : {"sdui", "sca", "sdas", "spklexcel", "spklpwerbi"}) {
    EXPECT_TRUE(find_app(db_.conn(), id)) << id;
  }
}

TEST_F(AppsTest, SeedingTwiceUpdatesInPlace) {
  seed_default_apps(db_.conn(), "https://other.test", kNow);
  EXPECT_EQ(find_app(db_.conn(), "spklwebapp")->redirect_url, "https://other.test");
  EXPECT_EQ(db_.conn().query("SELECT COUNT(*) FROM server_apps")[0].integer(0), 9);
}

TEST_F(AppsTest, AccessCodeIs42HexCharacters) {
  EXPECT_EQ(code().size(), 42u);
}

TEST_F(AppsTest, ExchangeGivesAnAppTokenWithTheAppsScopes) {
  const auto result = exchange("sca", "sca", code("sca"));
  ASSERT_TRUE(result.pair);
  auth::TokenValidator validator([] { return kNow; });
  const auto context = validator.validate(db_.conn(), result.pair->token);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->app_id, "sca");
  EXPECT_EQ(context->user_id, user_id_);
  EXPECT_EQ(context->scopes.size(), 6u);
  EXPECT_EQ(result.pair->refresh_token.size(), 42u);
}

TEST_F(AppsTest, CodeIsSingleUse) {
  const auto c = code();
  ASSERT_TRUE(exchange("spklwebapp", "spklwebapp", c).pair);
  EXPECT_EQ(exchange("spklwebapp", "spklwebapp", c).error.message, "Access code not found.");
}

TEST_F(AppsTest, CodeOfAnotherAppIsRefusedButNotSpent) {
  const auto c = code();
  EXPECT_EQ(exchange("sca", "sca", c).error.message,
            "Invalid request: application id does not match.");
  EXPECT_TRUE(exchange("spklwebapp", "spklwebapp", c).pair);
}

TEST_F(AppsTest, WrongSecretSpendsTheCode) {
  const auto c = code();
  EXPECT_EQ(exchange("spklwebapp", "wrong", c).error.message,
            "Invalid app secret. Ensure the app secret is correct.");
  EXPECT_EQ(exchange("spklwebapp", "spklwebapp", c).error.message, "Access code not found.");
}

TEST_F(AppsTest, ChallengeMismatchSpendsTheCode) {
  const auto c = code();
  EXPECT_EQ(exchange("spklwebapp", "spklwebapp", c, "other").error.message,
            "Code challenge mismatch. Ensure the same challenge is used for authentication and "
            "token exchange.");
  EXPECT_EQ(exchange("spklwebapp", "spklwebapp", c).error.message, "Access code not found.");
}

TEST_F(AppsTest, ExpiredCodeIsRefused) {
  const auto c = code();
  EXPECT_FALSE(
      exchange("spklwebapp", "spklwebapp", c, "ch", kNow + kAccessCodeLifespanMs + 1).pair);
}

TEST_F(AppsTest, RefreshGivesANewPairAndKeepsTheOldRefreshToken) {
  const auto first = exchange("spklwebapp", "spklwebapp", code()).pair;
  ASSERT_TRUE(first);
  const auto second = refresh(db_.conn(), "spklwebapp", "spklwebapp", first->refresh_token, kNow);
  ASSERT_TRUE(second.pair);
  EXPECT_NE(second.pair->token, first->token);
  EXPECT_TRUE(refresh(db_.conn(), "spklwebapp", "spklwebapp", first->refresh_token, kNow).pair);
}

TEST_F(AppsTest, RefreshFailuresAllReadInvalidRequest) {
  const auto pair = exchange("spklwebapp", "spklwebapp", code()).pair;
  ASSERT_TRUE(pair);
  for (const auto& result : {refresh(db_.conn(), "sca", "sca", pair->refresh_token, kNow),
                             refresh(db_.conn(), "spklwebapp", "nope", pair->refresh_token, kNow),
                             refresh(db_.conn(), "spklwebapp", "spklwebapp", "abc", kNow),
                             refresh(db_.conn(), "spklwebapp", "spklwebapp", pair->token, kNow)}) {
    EXPECT_FALSE(result.pair);
    EXPECT_EQ(result.error.message, "Invalid request");
  }
}

TEST_F(AppsTest, ExpiredRefreshTokenIsDeleted) {
  const auto pair = exchange("spklwebapp", "spklwebapp", code()).pair;
  ASSERT_TRUE(pair);
  const int64_t later = kNow + kRefreshTokenLifespanMs + 1;
  EXPECT_FALSE(refresh(db_.conn(), "spklwebapp", "spklwebapp", pair->refresh_token, later).pair);
  EXPECT_EQ(db_.conn().query("SELECT COUNT(*) FROM refresh_tokens")[0].integer(0), 0);
}

TEST_F(AppsTest, RevokingAccessDeletesTheAppsTokens) {
  const auto pair = exchange("sca", "sca", code("sca")).pair;
  ASSERT_TRUE(pair);
  const auto revoked = revoke_app_access(db_.conn(), "sca", user_id_);
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0], pair->token.substr(0, 10));
  EXPECT_FALSE(tokens::load_token(db_.conn(), revoked[0]));
  EXPECT_FALSE(refresh(db_.conn(), "sca", "sca", pair->refresh_token, kNow).pair);
}

}  // namespace
}  // namespace stipple::apps
