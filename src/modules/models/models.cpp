#include "modules/models/models.h"

#include <locale>
#include <vector>

#include "base/error.h"

namespace stipple::models {
namespace {

constexpr const char* kNameRuleMessage =
    "Model names cannot start with \"#\", \"$\", start or end with \"/\", have multiple slashes "
    "next to each other (e.g., \"//\") or contain commas or backwards slashes.";

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is not valid.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& out) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    out = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    out = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    out = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    out = (out << 6) | (byte(i + k) & 0x3F);
  }
  return length;
}

void encode_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The case mapping of the C.UTF-8 locale, which covers Unicode; ASCII only where it is missing.
const std::ctype<wchar_t>* unicode_ctype() {
  static const std::ctype<wchar_t>* facet = []() -> const std::ctype<wchar_t>* {
    try {
      static const std::locale locale("C.UTF-8");
      return &std::use_facet<std::ctype<wchar_t>>(locale);
    } catch (const std::runtime_error&) {
      return nullptr;
    }
  }();
  return facet;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

std::string lower_case(std::string_view text) {
  const auto* ctype = unicode_ctype();
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8(text, i, c);
    if (length == 0) {
      out += text[i++];
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    } else if (ctype) {
      encode_utf8(static_cast<char32_t>(ctype->tolower(static_cast<wchar_t>(c))), out);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string normalize_model_name(std::string_view name) {
  std::string joined;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = name.find('/', start);
    const auto end = slash == std::string_view::npos ? name.size() : slash;
    const auto segment = trim(name.substr(start, end - start));
    if (!segment.empty()) {
      if (!joined.empty()) joined += '/';
      joined.append(segment);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return lower_case(joined);
}

void validate_model_name(std::string_view name) {
  if (trim(name).empty()) throw Error("BRANCH_NAME_ERROR", "Model name is required", 400);
  const bool bad_start = name.front() == '#' || name.front() == '$' || name.front() == '/';
  const bool bad_inside = name.find("//") != std::string_view::npos ||
                          name.find(',') != std::string_view::npos ||
                          name.find('\\') != std::string_view::npos;
  if (bad_start || bad_inside || name.back() == '/') {
    throw Error("BRANCH_NAME_ERROR", kNameRuleMessage, 400);
  }
  if (name.size() > kMaxModelNameLength) {
    throw Error(
        "BRANCH_NAME_ERROR",
        "Model names cannot be longer than " + std::to_string(kMaxModelNameLength) + " characters.",
        400);
  }
}

std::string display_name(std::string_view name) {
  const auto slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace stipple::models
