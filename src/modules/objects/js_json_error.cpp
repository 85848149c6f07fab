#include "modules/objects/js_json_error.h"

#include <cstddef>
#include <optional>

namespace stipple::objects {
namespace {

// V8 quotes at most this many characters either side of an unexpected token, and quotes the
// whole text when it has no more than twice that plus one.
constexpr std::size_t kMaxContext = 10;
constexpr std::size_t kMaxWholeText = 2 * kMaxContext + 1;

// Why a text was rejected, in V8's classification.
enum class Failure {
  end_of_input,
  unexpected_token,
  unexpected_number,
  trailing_text,
  property_name,
  colon,
  comma_or_bracket,
  comma_or_brace,
  unterminated_string,
  control_character,
  bad_escape,
  bad_unicode_escape,
  minus_sign,
  fraction,
  exponent
};

struct Rejection {
  Failure failure;
  std::size_t position;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A recursive-descent reader that stops at the first byte JSON.parse would reject.
class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  std::optional<Rejection> run() {
    if (!value()) return failure_;
    skip_space();
    if (i_ < s_.size()) return Rejection{Failure::trailing_text, i_};
    return std::nullopt;
  }

 private:
  bool fail(Failure failure, std::size_t position) {
    failure_ = Rejection{failure, position};
    return false;
  }
  bool at_end() const { return i_ >= s_.size(); }

  void skip_space() {
    while (!at_end() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }

  bool value() {
    skip_space();
    if (at_end()) return fail(Failure::end_of_input, i_);
    const char c = s_[i_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (c == '-' || is_digit(c)) return number();
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return fail(Failure::unexpected_token, i_);
  }

  bool literal(std::string_view word) {
    for (const char expected : word) {
      if (at_end()) return fail(Failure::end_of_input, i_);
      if (s_[i_] != expected) return fail(Failure::unexpected_token, i_);
      ++i_;
    }
    return true;
  }

  bool object() {
    ++i_;
    skip_space();
    if (!at_end() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      skip_space();
      if (at_end() || s_[i_] != '"') return fail(Failure::property_name, i_);
      if (!string()) return false;
      skip_space();
      if (at_end() || s_[i_] != ':') return fail(Failure::colon, i_);
      ++i_;
      if (!value()) return false;
      skip_space();
      if (!at_end() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (!at_end() && s_[i_] == '}') return ++i_, true;
      return fail(Failure::comma_or_brace, i_);
    }
  }

  bool array() {
    ++i_;
    skip_space();
    if (!at_end() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      if (!value()) return false;
      skip_space();
      if (!at_end() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (!at_end() && s_[i_] == ']') return ++i_, true;
      return fail(Failure::comma_or_bracket, i_);
    }
  }

  bool string() {
    ++i_;
    for (;;) {
      if (at_end()) return fail(Failure::unterminated_string, i_);
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') return ++i_, true;
      if (c < 0x20) return fail(Failure::control_character, i_);
      if (c != '\\') {
        ++i_;
        continue;
      }
      ++i_;
      if (at_end()) return fail(Failure::end_of_input, i_);
      const char e = s_[i_];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k) {
          ++i_;
          if (at_end() || !is_hex(s_[i_])) return fail(Failure::bad_unicode_escape, i_);
        }
        ++i_;
      } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
        ++i_;
      } else {
        return fail(Failure::bad_escape, i_);
      }
    }
  }

  bool number() {
    if (s_[i_] == '-') {
      ++i_;
      if (at_end() || !is_digit(s_[i_])) return fail(Failure::minus_sign, i_);
    }
    if (s_[i_] == '0') {
      ++i_;
      if (!at_end() && is_digit(s_[i_])) return fail(Failure::unexpected_number, i_);
    } else {
      while (!at_end() && is_digit(s_[i_])) ++i_;
    }
    if (!at_end() && s_[i_] == '.') {
      ++i_;
      if (at_end() || !is_digit(s_[i_])) return fail(Failure::fraction, i_);
      while (!at_end() && is_digit(s_[i_])) ++i_;
    }
    if (!at_end() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (!at_end() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (at_end() || !is_digit(s_[i_])) return fail(Failure::exponent, i_);
      while (!at_end() && is_digit(s_[i_])) ++i_;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  Rejection failure_{Failure::end_of_input, 0};
};

// "Unexpected token 'x', ..." with as much of the text around it as V8 quotes.
std::string unexpected_token(std::string_view text, std::size_t pos) {
  std::string out = "Unexpected token '" + std::string(1, text[pos]) + "', ";
  if (text.size() <= kMaxWholeText) {
    out += "\"" + std::string(text) + "\"";
  } else if (pos < kMaxContext) {
    out += "\"" + std::string(text.substr(0, pos + kMaxContext)) + "\"...";
  } else if (pos >= text.size() - kMaxContext) {
    out += "...\"" + std::string(text.substr(pos - kMaxContext)) + "\"";
  } else {
    out += "...\"" + std::string(text.substr(pos - kMaxContext, 2 * kMaxContext)) + "\"...";
  }
  return out + " is not valid JSON";
}

std::string at_position(std::string_view what, std::size_t pos) {
  return std::string(what) + " in JSON at position " + std::to_string(pos);
}

}  // namespace

std::string js_json_parse_error(std::string_view text) {
  // Texts that JavaScript values stringify to get a message of their own.
  for (const std::string_view special : {"undefined", "NaN", "Infinity", "[object Object]"}) {
    if (text == special) return "\"" + std::string(text) + "\" is not valid JSON";
  }

  const auto rejection = Reader(text).run();
  if (!rejection) return {};
  const std::size_t pos = rejection->position;
  switch (rejection->failure) {
    case Failure::end_of_input:
      return "Unexpected end of JSON input";
    case Failure::unexpected_token:
      return unexpected_token(text, pos);
    case Failure::unexpected_number:
      return at_position("Unexpected number", pos);
    case Failure::trailing_text:
      return "Unexpected non-whitespace character after JSON at position " + std::to_string(pos);
    case Failure::property_name:
      return at_position("Expected property name or '}'", pos);
    case Failure::colon:
      return at_position("Expected ':' after property name", pos);
    case Failure::comma_or_bracket:
      return at_position("Expected ',' or ']' after array element", pos);
    case Failure::comma_or_brace:
      return at_position("Expected ',' or '}' after property value", pos);
    case Failure::unterminated_string:
      return at_position("Unterminated string", pos);
    case Failure::control_character:
      return at_position("Bad control character in string literal", pos);
    case Failure::bad_escape:
      return at_position("Bad escaped character", pos);
    case Failure::bad_unicode_escape:
      return at_position("Bad Unicode escape", pos);
    case Failure::minus_sign:
      return at_position("No number after minus sign", pos);
    case Failure::fraction:
      return at_position("Unterminated fractional number", pos);
    case Failure::exponent:
      return at_position("Exponent part is missing a number", pos);
  }
  return "Unexpected end of JSON input";
}

}  // namespace stipple::objects
