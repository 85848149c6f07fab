// A streaming parser of multipart/form-data bodies (RFC 7578 on top of RFC 2046 §5.1).
//
// Bytes are pushed in as they arrive from the network, in pieces of any size; the parser calls
// its handler with each part's headers, then its body in pieces, then the end of the part. It
// never holds more than one header block and a boundary's length of body bytes, so a part of any
// size passes through in constant memory. Malformed input (no opening boundary, oversized or
// broken headers, a body that ends before the closing boundary) throws MultipartError.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stipple::net {

class MultipartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a part's headers say about it.
struct PartInfo {
  std::string name;                         // Content-Disposition name parameter ("" when absent)
  std::optional<std::string> filename;      // present only when the disposition carries one
  std::optional<std::string> content_type;  // the Content-Type header as sent, when present
};

class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual void on_part_begin(const PartInfo& part) = 0;
  virtual void on_part_data(std::string_view data) = 0;
  virtual void on_part_end() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type; nullopt when the type is not
// multipart/form-data or the boundary is missing or invalid (RFC 2046: 1 to 70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  // Bytes of one part's header block accepted before the input is declared malformed.
  static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

  explicit MultipartParser(std::string boundary);

  // Consumes `data`, calling `handler` for what it completes. Throws MultipartError.
  void feed(std::string_view data, MultipartHandler& handler);

  // Declares the end of the body; throws MultipartError unless the closing boundary was seen.
  void finish();

  bool done() const { return state_ == State::epilogue; }
  std::size_t parts_seen() const { return parts_; }

 private:
  enum class State { preamble, after_delimiter, headers, body, epilogue };

  bool step(MultipartHandler& handler);
  bool scan_preamble();
  bool scan_after_delimiter();
  bool scan_headers(MultipartHandler& handler);
  bool scan_body(MultipartHandler& handler);
  void consume(std::size_t n);

  // "\r\n--" + boundary: what ends a part's body. The preamble is parsed as if the body began
  // with "\r\n", so the first delimiter needs no special case.
  std::string delimiter_;
  std::string buffer_;
  std::size_t offset_ = 0;  // bytes of buffer_ already consumed
  State state_ = State::preamble;
  std::size_t parts_ = 0;
};

}  // namespace stipple::net
