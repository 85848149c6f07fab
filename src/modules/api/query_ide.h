// The in-browser query IDE (GraphiQL) that GET /graphql shows to browsers. Its page, script and
// stylesheets are compiled into the binary (web_assets()), so a built binary serves it with no
// files beside it and no request leaving for a CDN.
#pragma once

#include <string>
#include <string_view>

#include "base/embedded.h"

namespace stipple::net {
class Exchange;
}  // namespace stipple::net

namespace stipple::api {

class QueryIde {
 public:
  // Where the assets are served: the version segment is the build's asset version.
  static constexpr std::string_view kAssetRoute = "/graphql/ide/:version/:file";

  explicit QueryIde(const WebAssets& assets);

  // Whether every file the page loads was built into the binary.
  bool complete() const { return complete_; }

  // Answers a browser that opened the GraphQL endpoint: the IDE, or a plain page saying how to
  // reach the API when the binary was built without the IDE's files.
  void respond_page(net::Exchange& ex) const;

  // Answers GET kAssetRoute: the file with its content type, cacheable for good; 404 for an
  // unknown file or a version other than this build's.
  void respond_asset(net::Exchange& ex) const;

 private:
  const WebAsset* find(std::string_view name) const;

  const WebAssets& assets_;
  bool complete_ = false;
  std::string page_;      // index.html with the versioned asset path filled in
  std::string licenses_;  // the licences of the npm packages served, one after the other
};

}  // namespace stipple::api
