// Where messages go: an SMTP server (through libcurl), or the log when no SMTP server is
// configured. A transport sends one message at a time and blocks while it does.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "mail/message.h"

namespace stipple::mail {

// A message that could not be delivered; the text says why (libcurl's or the server's words).
class SendError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Delivers the message or throws SendError.
  virtual void send(const Message& message) = 0;
  // "smtp" or "log", for the start-up line.
  virtual std::string_view kind() const = 0;
};

struct SmtpSettings {
  std::string host;
  uint16_t port = 587;
  std::string username;  // empty = no AUTH
  std::string password;
  std::string from;         // "address" or "Name <address>"
  bool secure = false;      // TLS from the first byte (smtps)
  bool require_tls = true;  // without `secure`: STARTTLS must succeed; false = when offered
  std::string ca_file;      // PEM certificate authorities to trust; empty = the system's
  std::chrono::seconds timeout{30};
};

std::unique_ptr<Transport> make_smtp_transport(SmtpSettings settings);

// Writes each message (recipient, subject and the plain-text body) to the log at info level, for
// servers without SMTP: an operator can still follow a verification or reset link.
std::unique_ptr<Transport> make_log_transport(std::string from);

}  // namespace stipple::mail
