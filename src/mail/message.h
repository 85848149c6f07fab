// An e-mail as the application writes it (one recipient, a subject, a plain-text and an HTML
// body) and its encoding as an RFC 5322 message with a multipart/alternative MIME body.
#pragma once

#include <string>
#include <string_view>

namespace stipple::mail {

struct Message {
  std::string to;       // one address, e.g. "ada@example.org"
  std::string subject;  // UTF-8
  std::string text;     // UTF-8 plain text
  std::string html;     // UTF-8 HTML
};

// The parts of the encoded message that are not part of Message.
struct Envelope {
  std::string from;        // sender, "address" or "Name <address>"
  std::string date;        // RFC 5322 date, e.g. "Fri, 04 Dec 2026 10:00:00 +0000"
  std::string message_id;  // without angle brackets, e.g. "abc@example.org"
  std::string boundary;    // MIME boundary; must not occur in the encoded bodies
};

// The message in wire form with CRLF line ends: headers (a non-ASCII subject as an RFC 2047
// encoded word), then both bodies base64-encoded in 76-column lines, text first as RFC 2046
// asks (the last alternative is the preferred one).
std::string encode(const Message& message, const Envelope& envelope);

// A new envelope: the current time, a random message id at the sender's domain and a random
// boundary.
Envelope new_envelope(std::string_view from);

// Whether `address` is acceptable as one recipient: no control characters, no angle brackets,
// exactly one '@' with text on both sides. Guards the SMTP envelope against header injection.
bool valid_address(std::string_view address);

}  // namespace stipple::mail
