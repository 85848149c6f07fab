#include <gtest/gtest.h>

#include "modules/auth/rate_limiter.h"

namespace stipple::auth {
namespace {

RateLimiter small_limiter() {
  // 2 per second, then 3 more per minute.
  return RateLimiter({{"ALL_REQUESTS", RateLimit{2, 1000, 3, 60'000}}});
}

TEST(RateLimiter, AdmitsUpToTheRegularLimit) {
  auto limiter = small_limiter();
  EXPECT_EQ(limiter.consume("ALL_REQUESTS", "ip:1", 0).remaining, 1);
  EXPECT_EQ(limiter.consume("ALL_REQUESTS", "ip:1", 0).remaining, 0);
}

TEST(RateLimiter, BurstAbsorbsPeaksThenRefuses) {
  auto limiter = small_limiter();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.consume("ALL_REQUESTS", "ip:1", 100).allowed);
  const auto refused = limiter.consume("ALL_REQUESTS", "ip:1", 400);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.ms_before_next, 700);
}

TEST(RateLimiter, RegularWindowResets) {
  auto limiter = small_limiter();
  for (int i = 0; i < 5; ++i) limiter.consume("ALL_REQUESTS", "ip:1", 0);
  EXPECT_FALSE(limiter.consume("ALL_REQUESTS", "ip:1", 999).allowed);
  EXPECT_TRUE(limiter.consume("ALL_REQUESTS", "ip:1", 1000).allowed);
}

TEST(RateLimiter, SourcesAreCountedApart) {
  auto limiter = small_limiter();
  for (int i = 0; i < 5; ++i) limiter.consume("ALL_REQUESTS", "ip:1", 0);
  EXPECT_TRUE(limiter.consume("ALL_REQUESTS", "ip:2", 0).allowed);
}

TEST(RateLimiter, UpstreamBucketsByLiteralPath) {
  const RateLimiter limiter;
  EXPECT_EQ(limiter.action_for("POST", "/graphql"), "POST /graphql");
  EXPECT_EQ(limiter.action_for("POST", "/auth/local/login"), "/auth/local/login");
  EXPECT_EQ(limiter.action_for("POST", "/auth/local/register"), "POST /auth/local/register");
  EXPECT_EQ(limiter.action_for("GET", "/graphql"), "ALL_REQUESTS");
  EXPECT_EQ(limiter.action_for("POST", "/objects/abc"), "ALL_REQUESTS");
}

TEST(RateLimiter, LoginAllowsFourThenTenPerHalfHour) {
  RateLimiter limiter;
  int admitted = 0;
  for (int i = 0; i < 20; ++i) admitted += limiter.consume("/auth/local/login", "ip:1", 0).allowed;
  EXPECT_EQ(admitted, 14);
}

TEST(RateLimiter, LimitsOfAnActionForTheSharedCounters) {
  const auto limiter = small_limiter();
  const RateLimit* limit = limiter.limit_of("ALL_REQUESTS");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->regular_count, 2);
  EXPECT_EQ(limit->burst_ms, 60'000);
  EXPECT_EQ(limiter.limit_of("NO_SUCH_ACTION"), nullptr);
}

TEST(RateLimiter, MessageRoundsSecondsUp) {
  EXPECT_EQ(rate_limit_message(1500),
            "You have sent too many requests. You are being rate limited. Please try again in 2 "
            "seconds.");
}

}  // namespace
}  // namespace stipple::auth
