#include <gtest/gtest.h>

#include "modules/auth/scopes.h"

namespace stipple::auth {
namespace {

TEST(AuthScopes, CoreServerRegistersFifteenScopes) {
  EXPECT_EQ(all_scopes().size(), 15u);
}

TEST(AuthScopes, PublicScopesAreTheSevenUpstreamLists) {
  std::vector<std::string> names;
  for (const auto& scope : all_scopes()) {
    if (scope.is_public) names.emplace_back(scope.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"streams:read", "streams:write", "profile:read",
                                             "profile:write", "profile:email", "users:read",
                                             "server:stats"}));
}

TEST(AuthScopes, KnowsRegisteredScopesOnly) {
  EXPECT_TRUE(is_known_scope("tokens:write"));
  EXPECT_FALSE(is_known_scope("profile:update"));
  EXPECT_FALSE(is_known_scope("*"));
}

TEST(AuthScopes, GrantsWhatTheTokenCarries) {
  const std::vector<std::string> granted{"streams:read", "profile:read"};
  EXPECT_TRUE(scope_granted(granted, "streams:read"));
  EXPECT_FALSE(scope_granted(granted, "streams:write"));
}

TEST(AuthScopes, WildcardGrantsEverything) {
  const std::vector<std::string> granted{"*"};
  EXPECT_TRUE(scope_granted(granted, "tokens:write"));
}

TEST(AuthScopes, MissingScopeMessageIsUpstreams) {
  EXPECT_EQ(missing_scope_message("tokens:write"),
            "Your auth token does not have the required scope: tokens:write.");
}

}  // namespace
}  // namespace stipple::auth
