// Which builds serve the query IDE: the page is only worth serving when every file it loads was
// compiled in; the rest of the IDE is covered by tests/api/graphql-ide.test.mjs.
#include <gtest/gtest.h>

#include "modules/api/query_ide.h"

namespace stipple::api {
namespace {

WebAssets assets_without(std::string_view missing) {
  WebAssets assets{"0123456789abcdef", {}};
  for (const std::string_view name :
       {"index.html", "start.js", "ide.css", "graphiql.min.js", "graphiql.min.css",
        "react.production.min.js", "react-dom.production.min.js", "graphiql.LICENSE"}) {
    if (name != missing) assets.files.push_back(WebAsset{name, "content"});
  }
  return assets;
}

TEST(QueryIde, IsCompleteWhenEveryFileThePageLoadsIsBuiltIn) {
  const auto assets = assets_without("");
  EXPECT_TRUE(QueryIde(assets).complete());
}

TEST(QueryIde, IsIncompleteWithoutAnNpmFile) {
  const auto assets = assets_without("graphiql.min.js");
  EXPECT_FALSE(QueryIde(assets).complete());
}

TEST(QueryIde, NeedsNoLicenceFileToBeComplete) {
  const auto assets = assets_without("graphiql.LICENSE");
  EXPECT_TRUE(QueryIde(assets).complete());
}

TEST(QueryIde, ThisBuildHasEveryFile) {
  // scripts/bootstrap installs web/graphiql's npm packages before every build it makes.
  EXPECT_TRUE(QueryIde(web_assets()).complete()) << "run scripts/bootstrap, then build again";
  EXPECT_EQ(web_assets().version.size(), 16u);
}

}  // namespace
}  // namespace stipple::api
