#include "modules/api/query_ide.h"

#include <array>

#include "net/http.h"

namespace stipple::api {
namespace {

using net::http::status;

// The files index.html loads; the IDE is served only when all of them were built in.
constexpr std::array kPageFiles = {std::string_view("index.html"),
                                   std::string_view("start.js"),
                                   std::string_view("ide.css"),
                                   std::string_view("graphiql.min.js"),
                                   std::string_view("graphiql.min.css"),
                                   std::string_view("react.production.min.js"),
                                   std::string_view("react-dom.production.min.js")};

// The npm packages whose files are served, by the prefix of their embedded licence file.
constexpr std::array kLicensedPackages = {std::string_view("graphiql"), std::string_view("react"),
                                          std::string_view("react-dom")};

constexpr std::string_view kAssetsPathMarker = "{{assets}}";
constexpr std::string_view kLicensesName = "licenses.txt";

// The page's own scripts and stylesheets come from this server only, and it talks to this
// server only (fetch for queries, a WebSocket for subscriptions). Styles may also be inline:
// GraphiQL's dialogs insert <style> elements at run time.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// Asset URLs change with every build that changes an asset, so browsers may keep them a year
// without asking again; the page itself is always revalidated so it names the current URLs.
constexpr std::string_view kAssetCaching = "public, max-age=31536000, immutable";
constexpr std::string_view kPageCaching = "no-cache";

// The plain page of a binary built without the IDE's npm files.
constexpr std::string_view kPlainPage = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Stipple GraphQL API</title></head>
<body>
<h1>Stipple GraphQL API</h1>
<p>Send GraphQL requests to this URL with <code>POST</code> and a JSON body
<code>{"query": "...", "variables": {...}}</code>, with an <code>Authorization: Bearer</code>
token for anything private.</p>
<p>This server was built without its in-browser query IDE (run <code>scripts/bootstrap</code>,
then build again).</p>
</body>
</html>
)";

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t start = 0;
  for (auto at = text.find(from); at != std::string_view::npos; at = text.find(from, start)) {
    out.append(text.substr(start, at - start)).append(to);
    start = at + from.size();
  }
  out.append(text.substr(start));
  return out;
}

}  // namespace

QueryIde::QueryIde(const WebAssets& assets) : assets_(assets) {
  complete_ = true;
  for (const auto name : kPageFiles) complete_ = complete_ && find(name) != nullptr;
  if (!complete_) return;

  // The page names its assets by absolute path, under this build's version.
  const std::string assets_path = "/graphql/ide/" + std::string(assets_.version);
  page_ = replace_all(find("index.html")->content, kAssetsPathMarker, assets_path);

  for (const auto package : kLicensedPackages) {
    if (const auto* license = find(std::string(package) + ".LICENSE")) {
      licenses_ += "The npm package " + std::string(package) + ":\n\n";
      licenses_.append(license->content);
      licenses_ += "\n";
    }
  }
}

const WebAsset* QueryIde::find(std::string_view name) const {
  for (const auto& file : assets_.files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

void QueryIde::respond_page(net::Exchange& ex) const {
  // The same URL answers JSON to API clients: caches must key on Accept.
  ex.set_header(net::http::field::vary, "Accept");
  ex.set_header(net::http::field::cache_control, kPageCaching);
  if (!complete_) {
    ex.respond(status::ok, std::string(kPlainPage), "text/html; charset=utf-8");
    return;
  }
  ex.set_header("Content-Security-Policy", kPagePolicy);
  ex.respond(status::ok, page_, "text/html; charset=utf-8");
}

void QueryIde::respond_asset(net::Exchange& ex) const {
  const std::string_view name = ex.param("file");
  const WebAsset* file = name == "index.html" ? nullptr : find(name);
  const bool licenses = name == kLicensesName && !licenses_.empty();
  if (ex.param("version") != assets_.version || (!file && !licenses)) {
    ex.respond(status::not_found, "Not found", "text/plain; charset=utf-8");
    return;
  }

  ex.set_header(net::http::field::cache_control, kAssetCaching);
  ex.set_header("X-Content-Type-Options", "nosniff");
  if (licenses) {
    ex.respond(status::ok, licenses_, content_type_of(name));
  } else {
    ex.respond(status::ok, std::string(file->content), content_type_of(name));
  }
}

}  // namespace stipple::api
