#include "net/multipart.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <functional>

namespace stipple::net {
namespace {

// RFC 2046 §5.1.1: a boundary has 1 to 70 characters.
constexpr std::size_t kMaxBoundaryLength = 70;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits `value; a=b; c="d"` into its leading token and a callback per parameter. Quoted
// values may contain ';' and backslash escapes.
template <typename OnParam>
std::string_view split_parameters(std::string_view value, OnParam on_param) {
  const auto first = value.find(';');
  const std::string_view token = trim(value.substr(0, first));
  std::size_t i = first == std::string_view::npos ? value.size() : first + 1;
  while (i < value.size()) {
    // name
    const auto eq = value.find_first_of("=;", i);
    if (eq == std::string_view::npos || value[eq] == ';') {
      i = eq == std::string_view::npos ? value.size() : eq + 1;
      continue;
    }
    const std::string_view name = trim(value.substr(i, eq - i));
    i = eq + 1;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;

    // value: quoted-string or token
    std::string param;
    if (i < value.size() && value[i] == '"') {
      ++i;
      while (i < value.size() && value[i] != '"') {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        param.push_back(value[i++]);
      }
      if (i < value.size()) ++i;  // closing quote
      const auto next = value.find(';', i);
      i = next == std::string_view::npos ? value.size() : next + 1;
    } else {
      const auto next = value.find(';', i);
      const auto end = next == std::string_view::npos ? value.size() : next;
      param = std::string(trim(value.substr(i, end - i)));
      i = next == std::string_view::npos ? value.size() : next + 1;
    }
    on_param(name, std::move(param));
  }
  return token;
}

// Reads the headers of one part (the block before the blank line, without it).
PartInfo parse_part_headers(std::string_view block) {
  PartInfo info;
  bool has_disposition = false;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);

    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      throw MultipartError("malformed part header line");
    }
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      has_disposition = true;
      const auto type = split_parameters(value, [&](std::string_view key, std::string param) {
        if (iequals(key, "name")) {
          info.name = std::move(param);
        } else if (iequals(key, "filename")) {
          info.filename = std::move(param);
        }
      });
      if (!iequals(type, "form-data")) throw MultipartError("part is not form-data");
    } else if (iequals(name, "content-type")) {
      info.content_type = std::string(value);
    }
  }
  if (!has_disposition) throw MultipartError("part without Content-Disposition");
  return info;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::optional<std::string> boundary;
  const auto type = split_parameters(content_type, [&](std::string_view key, std::string value) {
    if (iequals(key, "boundary")) boundary = std::move(value);
  });
  if (!iequals(type, "multipart/form-data")) return std::nullopt;
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength) return std::nullopt;
  return boundary;
}

MultipartParser::MultipartParser(std::string boundary)
    : delimiter_("\r\n--" + boundary), buffer_("\r\n") {
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength) {
    throw MultipartError("invalid multipart boundary");
  }
}

void MultipartParser::feed(std::string_view data, MultipartHandler& handler) {
  if (state_ == State::epilogue) return;  // anything after the closing boundary is ignored
  buffer_.append(data);
  while (state_ != State::epilogue && step(handler)) {
  }

  // Drop what was consumed so the buffer holds only the undecided tail.
  buffer_.erase(0, offset_);
  offset_ = 0;
}

void MultipartParser::finish() {
  if (state_ == State::epilogue) return;
  if (state_ == State::preamble) throw MultipartError("no multipart boundary in the body");
  throw MultipartError("the multipart body ends before its closing boundary");
}

bool MultipartParser::step(MultipartHandler& handler) {
  switch (state_) {
    case State::preamble:
      return scan_preamble();
    case State::after_delimiter:
      return scan_after_delimiter();
    case State::headers:
      return scan_headers(handler);
    case State::body:
      return scan_body(handler);
    case State::epilogue:
      return false;
  }
  return false;
}

void MultipartParser::consume(std::size_t n) {
  assert(offset_ + n <= buffer_.size());
  offset_ += n;
}

bool MultipartParser::scan_preamble() {
  const std::string_view rest = std::string_view(buffer_).substr(offset_);
  const auto at = rest.find(delimiter_);
  if (at == std::string_view::npos) {
    // Keep only what could still be the start of the delimiter.
    if (rest.size() >= delimiter_.size()) consume(rest.size() - delimiter_.size() + 1);
    return false;
  }
  consume(at + delimiter_.size());
  state_ = State::after_delimiter;
  return true;
}

bool MultipartParser::scan_after_delimiter() {
  const std::string_view rest = std::string_view(buffer_).substr(offset_);
  if (rest.size() < 2) return false;

  // "--" closes the body.
  if (rest.substr(0, 2) == "--") {
    consume(2);
    state_ = State::epilogue;
    return false;
  }

  // Otherwise optional transport padding, then CRLF, then the next part's headers.
  std::size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  if (i + 2 > rest.size()) {
    if (i > kMaxHeaderBytes) throw MultipartError("malformed multipart boundary line");
    return false;
  }
  if (rest[i] != '\r' || rest[i + 1] != '\n') {
    throw MultipartError("malformed multipart boundary line");
  }
  consume(i + 2);
  state_ = State::headers;
  return true;
}

bool MultipartParser::scan_headers(MultipartHandler& handler) {
  const std::string_view rest = std::string_view(buffer_).substr(offset_);

  // A part with no headers at all starts directly with the blank line.
  std::size_t block_end;
  std::size_t skip;
  if (rest.substr(0, 2) == "\r\n") {
    block_end = 0;
    skip = 2;
  } else {
    const auto at = rest.find("\r\n\r\n");
    if (at == std::string_view::npos) {
      if (rest.size() > kMaxHeaderBytes) throw MultipartError("part headers are too large");
      return false;
    }
    block_end = at;
    skip = at + 4;
  }
  if (block_end > kMaxHeaderBytes) throw MultipartError("part headers are too large");

  const PartInfo info = parse_part_headers(rest.substr(0, block_end));
  consume(skip);
  state_ = State::body;
  ++parts_;
  handler.on_part_begin(info);
  return true;
}

bool MultipartParser::scan_body(MultipartHandler& handler) {
  const std::string_view rest = std::string_view(buffer_).substr(offset_);
  const auto it =
      std::search(rest.begin(), rest.end(),
                  std::boyer_moore_horspool_searcher(delimiter_.begin(), delimiter_.end()));
  if (it == rest.end()) {
    // Everything but a possible delimiter prefix at the end is body.
    if (rest.size() >= delimiter_.size()) {
      const std::size_t safe = rest.size() - delimiter_.size() + 1;
      handler.on_part_data(rest.substr(0, safe));
      consume(safe);
    }
    return false;
  }
  const auto at = static_cast<std::size_t>(it - rest.begin());
  if (at > 0) handler.on_part_data(rest.substr(0, at));
  consume(at + delimiter_.size());
  state_ = State::after_delimiter;
  handler.on_part_end();
  return true;
}

}  // namespace stipple::net
