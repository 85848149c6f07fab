// JSON text handling for object transport, without building a document for whole batches:
// - BatchSplitter cuts a JSON array that arrives in pieces into the texts of its elements,
//   validating each one and learning its top-level id, hash and speckle_type on the way;
// - for_each_member walks the top-level members of a stored object's text, which the download
//   routes use to rewrite `totalChildrenCount` and to apply attribute masks.
// Stored texts are minified (no whitespace outside strings), so they fit on one `id\tjson` line.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::objects {

// What the splitter learnt about one element's top-level members (the last occurrence wins,
// as in JSON.parse).
struct ObjectFields {
  enum class Kind { absent, string, other };
  Kind id_kind = Kind::absent;
  std::string id;
  bool id_truthy = false;  // JavaScript truthiness of the id value, for upstream's `!obj.id`
  Kind hash_kind = Kind::absent;
  std::string hash;
  bool hash_truthy = false;
  std::optional<std::string> speckle_type;
};

// One element of a batch: its minified text and what it says at top level.
struct BatchElement {
  std::string text;
  ObjectFields fields;
};

// Why a batch was refused; the route turns these into 400 answers.
enum class BatchFailure {
  not_json,          // the part is not a JSON text
  not_array,         // a JSON text, but not an array
  not_object,        // an element of the array is not a JSON object
  element_too_large  // one element is larger than the limit
};

class BatchError : public std::runtime_error {
 public:
  explicit BatchError(BatchFailure failure, std::string message)
      : std::runtime_error(std::move(message)), failure_(failure) {}
  BatchFailure failure() const { return failure_; }

 private:
  BatchFailure failure_;
};

// Splits a JSON array fed in arbitrary pieces into its elements, each validated as JSON.
class BatchSplitter {
 public:
  using OnElement = std::function<void(BatchElement&)>;

  // `max_element_bytes` bounds the memory one element may take while it is collected.
  BatchSplitter(std::size_t max_element_bytes, OnElement on_element);
  ~BatchSplitter();
  BatchSplitter(const BatchSplitter&) = delete;
  BatchSplitter& operator=(const BatchSplitter&) = delete;

  // Consumes the next piece of the text; throws BatchError.
  void feed(std::string_view data);
  // Declares the end of the text; throws BatchError unless it was one complete array.
  void finish();

 private:
  class Validator;
  enum class State { start, first_element, next_element, element, after_element, done, other };

  void start_element(char c);
  void end_element();
  void flush_to_validator(std::string_view span, bool more);
  [[noreturn]] void fail_not_json();

  std::size_t max_element_bytes_;
  OnElement on_element_;
  std::unique_ptr<Validator> validator_;
  State state_ = State::start;
  BatchElement element_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

// Calls `on_member(raw_key, value)` for every top-level member of the valid, minified JSON
// object `text`: raw_key is the key with its quotes and escapes, value the member's JSON text.
// Stops early when on_member returns false.
void for_each_member(std::string_view text,
                     const std::function<bool(std::string_view, std::string_view)>& on_member);

// The decoded text of a raw JSON string literal (with its quotes).
std::string decode_key(std::string_view raw_key);

// `text` with every top-level `totalChildrenCount` replaced by one `"totalChildrenCount":value`
// member at the end (`value` is JSON text, e.g. "null" or "12").
std::string with_total_children_count(std::string_view text, std::string_view value);

// Keeps (include) or drops (exclude) the named top-level members of `text`.
std::string masked(std::string_view text, const std::vector<std::string>& names, bool include);

// The number of UTF-16 code units of a UTF-8 string: JavaScript's String.length, which is what
// upstream's "32 characters" rule counts.
std::size_t utf16_length(std::string_view utf8);

// Lower-case hex md5 of `data`.
std::string md5_hex(std::string_view data);

}  // namespace stipple::objects
