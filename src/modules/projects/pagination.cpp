#include "modules/projects/pagination.h"

#include <charconv>

#include "base/error.h"

namespace stipple::projects {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode_cursor(const Cursor& cursor) {
  // Hex of "<sort key>:<id>": opaque, URL-safe and trivially reversible.
  const std::string plain = std::to_string(cursor.sort_key) + ":" + cursor.id;
  std::string out;
  out.reserve(plain.size() * 2);
  for (const unsigned char c : plain) {
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 0xf];
  }
  return out;
}

std::optional<Cursor> decode_cursor(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) return std::nullopt;
  std::string plain;
  plain.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    plain += static_cast<char>(high * 16 + low);
  }

  const auto colon = plain.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  Cursor cursor;
  const auto [end, ec] = std::from_chars(plain.data(), plain.data() + colon, cursor.sort_key);
  if (ec != std::errc() || end != plain.data() + colon) return std::nullopt;
  cursor.id = plain.substr(colon + 1);
  return cursor;
}

void check_page_limit(int64_t limit, int64_t max) {
  if (limit > max) {
    throw bad_request("Cannot return more than " + std::to_string(max) +
                      " items, please use pagination.");
  }
}

}  // namespace stipple::projects
