#include <gtest/gtest.h>

#include "modules/auth/middleware.h"

namespace stipple::auth {
namespace {

constexpr std::string_view kToken = "0123456789abcdef0123456789abcdef0123456789";
// Whole header values as literals: GCC 12 warns falsely (-Warray-bounds) on concatenations.
constexpr std::string_view kBearerToken = "Bearer 0123456789abcdef0123456789abcdef0123456789";
constexpr std::string_view kLowerBearerToken = "bearer 0123456789abcdef0123456789abcdef0123456789";

TEST(AuthCarriers, BearerPrefixIsRemoved) {
  EXPECT_EQ(presented_token(kBearerToken, "", std::nullopt), kToken);
}

TEST(AuthCarriers, HeaderWithoutPrefixIsTakenAsItIs) {
  EXPECT_EQ(presented_token(kToken, "", std::nullopt), kToken);
}

TEST(AuthCarriers, LowerCaseBearerIsNotAPrefix) {
  EXPECT_EQ(presented_token(kLowerBearerToken, "", std::nullopt), kLowerBearerToken);
}

TEST(AuthCarriers, BareBearerIsAToken) {
  EXPECT_EQ(presented_token("Bearer", "", std::nullopt), "Bearer");
}

TEST(AuthCarriers, EmptyHeaderIsAnonymous) {
  EXPECT_EQ(presented_token("", "", std::nullopt), std::nullopt);
}

TEST(AuthCarriers, CookieIsUsedWithoutHeader) {
  EXPECT_EQ(presented_token("", "theme=dark; authn=0123456789abcdef0123456789abcdef0123456789; x=1",
                            std::nullopt),
            kToken);
}

TEST(AuthCarriers, HeaderWinsOverCookie) {
  EXPECT_EQ(presented_token(kBearerToken, "authn=garbage", std::nullopt), kToken);
}

TEST(AuthCarriers, EmbedTokenIsTheLastResort) {
  EXPECT_EQ(presented_token("", "theme=dark", std::string(kToken)), kToken);
  EXPECT_EQ(presented_token("", "", std::string("")), std::nullopt);
}

TEST(AuthCarriers, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(cookie_value("a=1; authn=xyz", "authn"), "xyz");
  EXPECT_EQ(cookie_value("authnx=1; b=2", "authn"), "");
  EXPECT_EQ(cookie_value("authn=\"quoted\"", "authn"), "quoted");
}

}  // namespace
}  // namespace stipple::auth
