#include "mail/message.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "base/base64.h"
#include "base/ids.h"

namespace stipple::mail {
namespace {

// RFC 2045 limits encoded lines to 76 characters.
constexpr std::size_t kLineWidth = 76;
// 57 input bytes make exactly one 76-character base64 line.
constexpr std::size_t kBytesPerLine = kLineWidth / 4 * 3;

// Base64 in lines of at most 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view data) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += kBytesPerLine) {
    out += base64_encode(data.substr(at, kBytesPerLine));
    out += "\r\n";
  }
  return out;
}

bool is_ascii_printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// A header value: as is when it is printable ASCII, else one RFC 2047 encoded word per chunk of
// at most 45 bytes (so each word stays within the 75-character limit), never splitting a UTF-8
// sequence.
std::string header_text(std::string_view text) {
  if (is_ascii_printable(text)) return std::string(text);
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(at + kChunk, text.size());
    while (end < text.size() && end > at &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;  // do not cut inside a multi-byte character
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

// Line breaks of the application's text become CRLF, as SMTP requires.
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') out += '\r';
    out += text[i];
  }
  return out;
}

// The domain of a sender written "address" or "Name <address>".
std::string domain_of(std::string_view from) {
  const auto at = from.rfind('@');
  if (at == std::string_view::npos) return "localhost";
  std::string domain(from.substr(at + 1));
  if (const auto close = domain.find('>'); close != std::string::npos) domain.resize(close);
  return domain;
}

}  // namespace

std::string encode(const Message& message, const Envelope& envelope) {
  const std::string& b = envelope.boundary;

  // Headers.
  std::string out;
  out += "From: " + envelope.from + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + header_text(message.subject) + "\r\n";
  out += "Date: " + envelope.date + "\r\n";
  out += "Message-ID: <" + envelope.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + b + "\"\r\n";
  out += "\r\n";

  // The alternatives, plain text first.
  const auto part = [&](std::string_view type, std::string_view body) {
    out += "--" + b + "\r\n";
    out += "Content-Type: " + std::string(type) + "; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += base64_lines(crlf(body));
  };
  part("text/plain", message.text);
  part("text/html", message.html);
  out += "--" + b + "--\r\n";
  return out;
}

Envelope new_envelope(std::string_view from) {
  Envelope envelope;
  envelope.from = std::string(from);

  // RFC 5322 date in UTC; the names are English whatever the locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[64];
  std::snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  envelope.date = date;

  envelope.message_id = random_hex(32) + "@" + domain_of(from);
  // Base64 has no '-', so no body line can start like the boundary's "--" delimiter lines.
  envelope.boundary = "=_stipple_" + random_hex(24);
  return envelope;
}

bool valid_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const bool clean = std::all_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && c != '<' && c != '>' && c != ',' && c != ';';
  });
  const auto at = address.find('@');
  return clean && at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string_view::npos;
}

}  // namespace stipple::mail
