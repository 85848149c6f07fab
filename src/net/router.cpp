#include "net/router.h"

#include <boost/url/decode_view.hpp>
#include <stdexcept>

namespace stipple::net {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) parts.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

void Router::add(boost::beast::http::verb method, std::string_view pattern, std::size_t index) {
  Entry entry{method, {}, index};
  for (auto part : split_path(pattern)) {
    Segment segment;
    if (part.front() == ':') {
      segment.param = true;
      part.remove_prefix(1);
      if (!part.empty() && part.back() == '?') {
        segment.optional = true;
        part.remove_suffix(1);
      }
      if (part.empty()) throw std::invalid_argument("empty parameter name in route pattern");
    }
    segment.text = std::string(part);
    entry.segments.push_back(std::move(segment));
  }
  entries_.push_back(std::move(entry));
}

bool Router::match_segments(const Entry& entry, const std::vector<std::string_view>& parts,
                            PathParams* params) {
  const auto& segs = entry.segments;
  // Only the last segment may be optional, so a pattern of n segments takes n or n-1 parts.
  const bool last_optional = !segs.empty() && segs.back().optional;
  if (parts.size() != segs.size() && !(last_optional && parts.size() + 1 == segs.size())) {
    return false;
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!segs[i].param && segs[i].text != parts[i]) return false;
  }
  if (params) {
    params->clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (!segs[i].param) continue;
      // Parameters are percent-decoded, as Express does.
      std::string value;
      try {
        const boost::urls::decode_view decoded(parts[i]);
        value.assign(decoded.begin(), decoded.end());
      } catch (const std::exception&) {
        value.assign(parts[i]);
      }
      params->emplace_back(segs[i].text, std::move(value));
    }
  }
  return true;
}

bool Router::match(boost::beast::http::verb method, std::string_view path, Match& out) const {
  const auto parts = split_path(path);
  for (const auto& entry : entries_) {
    if (entry.method != method) continue;
    if (match_segments(entry, parts, &out.params)) {
      out.route = entry.index;
      return true;
    }
  }
  return false;
}

bool Router::matches_any_method(std::string_view path) const {
  const auto parts = split_path(path);
  for (const auto& entry : entries_) {
    if (match_segments(entry, parts, nullptr)) return true;
  }
  return false;
}

}  // namespace stipple::net
