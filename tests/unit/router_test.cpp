#include "net/router.h"

#include <gtest/gtest.h>

namespace stipple::net {
namespace {

using boost::beast::http::verb;

TEST(Router, MatchesLiteralPath) {
  Router router;
  router.add(verb::get, "/api/ping", 7);
  Router::Match match;
  ASSERT_TRUE(router.match(verb::get, "/api/ping", match));
  EXPECT_EQ(match.route, 7u);
  EXPECT_TRUE(match.params.empty());
}

TEST(Router, ToleratesTrailingSlash) {
  Router router;
  router.add(verb::post, "/api/v2/projects/:projectId/object-stream", 0);
  Router::Match match;
  ASSERT_TRUE(router.match(verb::post, "/api/v2/projects/abc/object-stream/", match));
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].first, "projectId");
  EXPECT_EQ(match.params[0].second, "abc");
}

TEST(Router, ExtractsSeveralParameters) {
  Router router;
  router.add(verb::get, "/objects/:projectId/:objectId", 1);
  router.add(verb::get, "/objects/:projectId/:objectId/single", 2);
  Router::Match match;
  ASSERT_TRUE(router.match(verb::get, "/objects/p1/o2/single", match));
  EXPECT_EQ(match.route, 2u);
  EXPECT_EQ(match.params[0].second, "p1");
  EXPECT_EQ(match.params[1].second, "o2");
  ASSERT_TRUE(router.match(verb::get, "/objects/p1/o2", match));
  EXPECT_EQ(match.route, 1u);
}

TEST(Router, MethodMustMatch) {
  Router router;
  router.add(verb::get, "/graphql", 0);
  Router::Match match;
  EXPECT_FALSE(router.match(verb::post, "/graphql", match));
  EXPECT_TRUE(router.matches_any_method("/graphql"));
  EXPECT_FALSE(router.matches_any_method("/graphq"));
}

TEST(Router, OptionalLastParameter) {
  Router router;
  router.add(verb::get, "/preview/:projectId/:angle?", 3);
  Router::Match match;
  ASSERT_TRUE(router.match(verb::get, "/preview/p1", match));
  EXPECT_EQ(match.params.size(), 1u);
  ASSERT_TRUE(router.match(verb::get, "/preview/p1/2", match));
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[1].second, "2");
  EXPECT_FALSE(router.match(verb::get, "/preview/p1/2/3", match));
}

TEST(Router, DecodesPercentEncodedParameters) {
  Router router;
  router.add(verb::get, "/models/:name", 0);
  Router::Match match;
  ASSERT_TRUE(router.match(verb::get, "/models/a%20b", match));
  EXPECT_EQ(match.params[0].second, "a b");
}

TEST(Router, LiteralSegmentsDoNotMatchOtherText) {
  Router router;
  router.add(verb::get, "/api/ping", 0);
  Router::Match match;
  EXPECT_FALSE(router.match(verb::get, "/api/pong", match));
  EXPECT_FALSE(router.match(verb::get, "/api", match));
  EXPECT_FALSE(router.match(verb::get, "/api/ping/extra", match));
}

TEST(SplitPath, DropsEmptySegments) {
  const auto parts = split_path("//a///b/");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "b");
}

}  // namespace
}  // namespace stipple::net
