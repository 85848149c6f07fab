#include "base/js_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace stipple {
namespace {

namespace json = boost::json;

// Integers a double holds exactly; beyond them JavaScript's numbers lose digits.
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;
// The largest array index JavaScript orders first among an object's keys (2^32 - 2).
constexpr uint64_t kMaxArrayIndex = 4294967294u;

// Whether `key` is a canonical array index ("0", "17", never "017" or "-1").
std::optional<uint64_t> array_index(std::string_view key) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key.front() == '0')) return {};
  uint64_t n = 0;
  for (const char c : key) {
    if (c < '0' || c > '9') return {};
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n > kMaxArrayIndex) return {};
  return n;
}

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void append_value(std::string& out, const json::value& value);

void append_object(std::string& out, const json::object& object) {
  // Array-index keys come first, in numeric order, as JavaScript enumerates them.
  std::vector<std::pair<uint64_t, const json::key_value_pair*>> indexed;
  for (const auto& member : object) {
    if (const auto n = array_index(member.key())) indexed.emplace_back(*n, &member);
  }
  std::sort(indexed.begin(), indexed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  bool first = true;
  const auto append_member = [&](const json::key_value_pair& member) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, member.key());
    out.push_back(':');
    append_value(out, member.value());
  };
  for (const auto& [n, member] : indexed) append_member(*member);
  for (const auto& member : object) {
    if (!array_index(member.key())) append_member(member);
  }
}

void append_value(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      break;
    case json::kind::int64: {
      const int64_t n = value.get_int64();
      out += (n > kMaxSafeInteger || n < -kMaxSafeInteger) ? js_number(static_cast<double>(n))
                                                           : std::to_string(n);
      break;
    }
    case json::kind::uint64: {
      const uint64_t n = value.get_uint64();
      out += n > static_cast<uint64_t>(kMaxSafeInteger) ? js_number(static_cast<double>(n))
                                                        : std::to_string(n);
      break;
    }
    case json::kind::double_:
      // JSON.stringify writes NaN and the infinities as null.
      out += std::isfinite(value.get_double()) ? js_number(value.get_double()) : "null";
      break;
    case json::kind::string:
      append_string(out, value.get_string());
      break;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, element);
      }
      out.push_back(']');
      break;
    }
    case json::kind::object:
      out.push_back('{');
      append_object(out, value.get_object());
      out.push_back('}');
      break;
  }
}

}  // namespace

std::string js_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return "0";
  // Integers below 1e21 print in full, as JavaScript does.
  if (std::trunc(value) == value && std::fabs(value) < 1e21) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    return std::string(buf, r.ptr);
  }
  char buf[64];
  const double magnitude = std::fabs(value);
  const auto format = (magnitude >= 1e-6 && magnitude < 1e21) ? std::chars_format::fixed
                                                              : std::chars_format::scientific;
  const auto r = std::to_chars(buf, buf + sizeof buf, value, format);
  std::string s(buf, r.ptr);
  // JavaScript writes exponents as e+21 / e-7, without leading zeros.
  const auto e = s.find('e');
  if (e != std::string::npos) {
    std::string mantissa = s.substr(0, e);
    const char sign = s[e + 1];
    std::string digits = s.substr(e + 2);
    while (digits.size() > 1 && digits.front() == '0') digits.erase(0, 1);
    s = mantissa + "e" + (sign == '-' ? "-" : "+") + digits;
  }
  return s;
}

std::string js_stringify(const json::value& value) {
  std::string out;
  append_value(out, value);
  return out;
}

}  // namespace stipple
