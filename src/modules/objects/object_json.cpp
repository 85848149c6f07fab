#include "modules/objects/object_json.h"

#include <openssl/evp.h>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <cassert>

namespace stipple::objects {
namespace {

namespace json = boost::json;
using boost::system::error_code;

// Speckle objects nest deeply (collections of collections); the parser keeps its own stack, so
// a generous depth costs nothing unless an input uses it.
constexpr std::size_t kMaxDepth = 10000;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Collects the top-level id, hash and speckle_type of one JSON value while validating it.
class FieldsHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  ObjectFields* out = nullptr;

  bool on_document_begin(error_code&) {
    depth_ = 0;
    target_ = Target::none;
    return true;
  }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return open(); }
  bool on_array_end(std::size_t, error_code&) { return close(); }
  bool on_object_begin(error_code&) { return open(); }
  bool on_object_end(std::size_t, error_code&) { return close(); }

  bool on_key_part(json::string_view s, std::size_t, error_code&) {
    if (depth_ == 1) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, error_code&) {
    if (depth_ != 1) return true;
    key_.append(s.data(), s.size());
    target_ = key_ == "id"             ? Target::id
              : key_ == "hash"         ? Target::hash
              : key_ == "speckle_type" ? Target::speckle_type
                                       : Target::none;
    key_.clear();
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, error_code&) {
    if (depth_ == 1 && target_ != Target::none) value_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, error_code&) {
    if (depth_ != 1 || target_ == Target::none) return true;
    value_.append(s.data(), s.size());
    const bool truthy = !value_.empty();
    switch (target_) {
      case Target::id:
        set(out->id_kind, out->id, out->id_truthy, ObjectFields::Kind::string, truthy);
        break;
      case Target::hash:
        set(out->hash_kind, out->hash, out->hash_truthy, ObjectFields::Kind::string, truthy);
        break;
      case Target::speckle_type:
        out->speckle_type = value_;
        break;
      case Target::none:
        break;
    }
    value_.clear();
    target_ = Target::none;
    return true;
  }

  bool on_number_part(json::string_view, error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, error_code&) { return scalar(i != 0); }
  bool on_uint64(uint64_t u, json::string_view, error_code&) { return scalar(u != 0); }
  bool on_double(double d, json::string_view, error_code&) { return scalar(d == d && d != 0); }
  bool on_bool(bool b, error_code&) { return scalar(b); }
  bool on_null(error_code&) { return scalar(false); }
  bool on_comment_part(json::string_view, error_code&) { return true; }
  bool on_comment(json::string_view, error_code&) { return true; }

 private:
  enum class Target { none, id, hash, speckle_type };

  bool open() {
    // A container as a member value: the member is set, to something that is not a string.
    if (depth_ == 1) scalar(true);
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  void set(ObjectFields::Kind& kind, std::string& text, bool& truthy, ObjectFields::Kind k,
           bool is_truthy) {
    kind = k;
    text = k == ObjectFields::Kind::string ? value_ : std::string();
    truthy = is_truthy;
  }

  // A non-string value at top level.
  bool scalar(bool truthy) {
    if (depth_ != 1 || target_ == Target::none) return true;
    if (target_ == Target::id) {
      set(out->id_kind, out->id, out->id_truthy, ObjectFields::Kind::other, truthy);
    } else if (target_ == Target::hash) {
      set(out->hash_kind, out->hash, out->hash_truthy, ObjectFields::Kind::other, truthy);
    } else {
      out->speckle_type.reset();
    }
    target_ = Target::none;
    return true;
  }

  int depth_ = 0;
  Target target_ = Target::none;
  std::string key_;
  std::string value_;
};

json::parse_options validator_options() {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  return options;
}

}  // namespace

// --- BatchSplitter --------------------------------------------------------------------------

class BatchSplitter::Validator {
 public:
  Validator() : parser_(validator_options()) {}

  void reset(ObjectFields* out) {
    parser_.reset();
    parser_.handler().out = out;
  }

  // Feeds a piece of one JSON text; false when the text is not valid JSON.
  bool write(std::string_view data, bool more) {
    error_code ec;
    parser_.write_some(more, data.data(), data.size(), ec);
    return !ec && (more || parser_.done());
  }

 private:
  json::basic_parser<FieldsHandler> parser_;
};

BatchSplitter::BatchSplitter(std::size_t max_element_bytes, OnElement on_element)
    : max_element_bytes_(max_element_bytes),
      on_element_(std::move(on_element)),
      validator_(std::make_unique<Validator>()) {}

BatchSplitter::~BatchSplitter() = default;

void BatchSplitter::fail_not_json() {
  throw BatchError(BatchFailure::not_json, "Failed to parse data. Batch is not in JSON format.");
}

void BatchSplitter::flush_to_validator(std::string_view span, bool more) {
  if (!validator_->write(span, more)) fail_not_json();
}

void BatchSplitter::start_element(char c) {
  if (c != '{') {
    throw BatchError(BatchFailure::not_object,
                     "Failed to parse data. Every item of a batch must be a JSON object.");
  }
  element_.text.clear();
  element_.fields = ObjectFields{};
  validator_->reset(&element_.fields);
  depth_ = 0;
  in_string_ = false;
  escaped_ = false;
  state_ = State::element;
}

void BatchSplitter::end_element() {
  flush_to_validator({}, false);
  state_ = State::after_element;
  on_element_(element_);
}

void BatchSplitter::feed(std::string_view data) {
  std::size_t i = 0;
  const std::size_t n = data.size();
  while (i < n) {
    switch (state_) {
      case State::start: {
        // The first significant character decides: an array, or some other JSON text.
        const char c = data[i];
        if (is_space(c)) {
          ++i;
          break;
        }
        if (c == '[') {
          ++i;
          state_ = State::first_element;
          break;
        }
        state_ = State::other;
        validator_->reset(&element_.fields);
        break;
      }
      case State::other:
        // Only validated, to tell "not JSON" from "not an array" at the end.
        if (!validator_->write(data.substr(i), true)) fail_not_json();
        i = n;
        break;
      case State::first_element:
      case State::next_element: {
        const char c = data[i];
        if (is_space(c)) {
          ++i;
          break;
        }
        if (c == ']' && state_ == State::first_element) {
          ++i;
          state_ = State::done;
          break;
        }
        if (c == ']' || c == ',') fail_not_json();
        start_element(c);
        break;
      }
      case State::element: {
        // Copy minified text up to the end of the element or of this piece; the validator
        // sees the original bytes, since whitespace can separate tokens.
        const std::size_t begin = i;
        bool ended = false;
        for (; i < n; ++i) {
          const char c = data[i];
          if (in_string_) {
            element_.text.push_back(c);
            if (escaped_) {
              escaped_ = false;
            } else if (c == '\\') {
              escaped_ = true;
            } else if (c == '"') {
              in_string_ = false;
            }
            continue;
          }
          if (is_space(c)) continue;
          element_.text.push_back(c);
          if (c == '"') {
            in_string_ = true;
          } else if (c == '{' || c == '[') {
            ++depth_;
          } else if (c == '}' || c == ']') {
            if (--depth_ == 0) {
              ++i;
              ended = true;
              break;
            }
          }
        }
        if (element_.text.size() > max_element_bytes_) {
          throw BatchError(BatchFailure::element_too_large,
                           "Object too large: an object is larger than the limit of " +
                               std::to_string(max_element_bytes_ >> 20) + " MB.");
        }
        flush_to_validator(data.substr(begin, i - begin), true);
        if (ended) end_element();
        break;
      }
      case State::after_element: {
        const char c = data[i++];
        if (is_space(c)) break;
        if (c == ',') {
          state_ = State::next_element;
        } else if (c == ']') {
          state_ = State::done;
        } else {
          fail_not_json();
        }
        break;
      }
      case State::done:
        if (!is_space(data[i++])) fail_not_json();
        break;
    }
  }
}

void BatchSplitter::finish() {
  if (state_ == State::done) return;
  if (state_ == State::other) {
    if (!validator_->write({}, false)) fail_not_json();
    throw BatchError(BatchFailure::not_array,
                     "Failed to parse data. Batch is expected to be wrapped in a JSON array.");
  }
  fail_not_json();
}

// --- member walking -------------------------------------------------------------------------

namespace {

// The end of the JSON value of a minified text starting at `i`.
std::size_t skip_value(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == '"') {
    for (++i; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        return i + 1;
      }
    }
    return text.size();
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
      const char d = text[i];
      if (in_string) {
        if (d == '\\') {
          ++i;
        } else if (d == '"') {
          in_string = false;
        }
      } else if (d == '"') {
        in_string = true;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if ((d == '}' || d == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return text.size();
  }
  // number or literal
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']') ++i;
  return i;
}

bool key_is(std::string_view raw_key, std::string_view name) {
  // Fast path: a key without escapes is its own text.
  if (raw_key.find('\\') == std::string_view::npos) {
    return raw_key.size() == name.size() + 2 && raw_key.substr(1, name.size()) == name;
  }
  return decode_key(raw_key) == name;
}

}  // namespace

void for_each_member(std::string_view text,
                     const std::function<bool(std::string_view, std::string_view)>& on_member) {
  // Invariant: `text` is a minified JSON object, as the splitter stores them.
  assert(!text.empty() && text.front() == '{');
  std::size_t i = 1;
  while (i < text.size() && text[i] != '}') {
    const std::size_t key_end = skip_value(text, i);
    const std::string_view key = text.substr(i, key_end - i);
    const std::size_t value_begin = key_end + 1;  // past ':'
    const std::size_t value_end = skip_value(text, value_begin);
    if (!on_member(key, text.substr(value_begin, value_end - value_begin))) return;
    i = value_end;
    if (i < text.size() && text[i] == ',') ++i;
  }
}

std::string decode_key(std::string_view raw_key) {
  const auto value = json::parse(json::string_view(raw_key.data(), raw_key.size()));
  const auto& s = value.as_string();
  return std::string(s.data(), s.size());
}

std::string with_total_children_count(std::string_view text, std::string_view value) {
  std::string out;
  out.reserve(text.size() + 32);
  out.push_back('{');
  for_each_member(text, [&](std::string_view key, std::string_view member) {
    if (key_is(key, "totalChildrenCount")) return true;
    if (out.size() > 1) out.push_back(',');
    out.append(key).push_back(':');
    out.append(member);
    return true;
  });
  if (out.size() > 1) out.push_back(',');
  out.append("\"totalChildrenCount\":").append(value).push_back('}');
  return out;
}

std::string masked(std::string_view text, const std::vector<std::string>& names, bool include) {
  std::string out;
  out.reserve(include ? 256 : text.size());
  out.push_back('{');
  for_each_member(text, [&](std::string_view key, std::string_view member) {
    bool listed = false;
    for (const auto& name : names) {
      if (key_is(key, name)) {
        listed = true;
        break;
      }
    }
    if (listed != include) return true;
    if (out.size() > 1) out.push_back(',');
    out.append(key).push_back(':');
    out.append(member);
    return true;
  });
  out.push_back('}');
  return out;
}

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += c >= 0xF0 ? 2 : 1;        // 4-byte sequences are surrogate pairs in UTF-16
  }
  return units;
}

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace stipple::objects
