// Maps a method and a path to a route. Patterns are literal segments and `:name` parameters;
// a trailing `?` makes the last parameter optional (`/preview/:projectId/:angle?`). A trailing
// slash on the request path is tolerated.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stipple::net {

using PathParams = std::vector<std::pair<std::string, std::string>>;

class Router {
 public:
  struct Match {
    std::size_t route = 0;  // index given at add()
    PathParams params;
  };

  // Registers `pattern` for `method`; `index` is returned by match().
  void add(boost::beast::http::verb method, std::string_view pattern, std::size_t index);

  // The first route registered for this method whose pattern matches `path` (no query string).
  bool match(boost::beast::http::verb method, std::string_view path, Match& out) const;

  // Whether any route matches `path`, whatever the method.
  bool matches_any_method(std::string_view path) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param = false;
    bool optional = false;
  };
  struct Entry {
    boost::beast::http::verb method;
    std::vector<Segment> segments;
    std::size_t index;
  };

  static bool match_segments(const Entry& entry, const std::vector<std::string_view>& parts,
                             PathParams* params);

  std::vector<Entry> entries_;
};

// Splits a path into its non-empty segments: "/a//b/" -> {"a", "b"}.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace stipple::net
