// E-mail verification and password reset, and the outbox the other modules send through.
//
// Tokens are 40 hex characters mailed to the address they prove; only their SHA-256 is stored.
// A verification token works for 7 days, a password reset token for 1 hour, each once.
//
// The blocking functions take a Connection and throw Error with upstream's codes and messages:
//   EMAIL_VERIFICATION_REQUEST_ERROR (400)         "User's email is already verified", ...
//   EMAIL_VERIFICATION_FINALIZATION_ERROR (400)    "Missing verification token",
//                                                  "Invalid or expired verification token"
//   INVALID_PASSWORD_RECOVERY_REQUEST_ERROR (400)  "E-mail address is empty",
//                                                  "Password reset already requested. ..."
//   PASSWORD_RECOVERY_FINALIZATION_ERROR (400)     "Invalid reset token, it may be expired"
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/emails/messages.h"

namespace stipple::db {
class Connection;
}
namespace stipple::mail {
class Mailer;
}
namespace stipple::users {
struct User;
}

namespace stipple::emails {

inline constexpr int64_t kVerificationLifespanMs = 7LL * 24 * 60 * 60 * 1000;
inline constexpr int64_t kPasswordResetLifespanMs = 60LL * 60 * 1000;
inline constexpr std::size_t kTokenLength = 40;

// --- e-mail verification -------------------------------------------------------------------------

// Replaces the address's pending verifications with a new one; returns the token to mail.
std::string create_verification(db::Connection& conn, std::string_view email, int64_t now_ms);

// Whether the address has a verification that has not expired.
bool has_pending_verification(db::Connection& conn, std::string_view email, int64_t now_ms);

// Marks the token's address verified and removes its pending verifications.
void finalize_verification(db::Connection& conn, std::string_view token, int64_t now_ms);

// --- password reset ------------------------------------------------------------------------------

// Starts a reset for the account with this address; returns the token to mail, or nullopt when
// no account has the address (callers answer as if it had, so addresses cannot be probed).
std::optional<std::string> create_password_reset(db::Connection& conn, std::string_view email,
                                                 int64_t now_ms);

// Sets the new password of the token's account, consumes every reset of that address and deletes
// the account's api tokens, refresh tokens and access codes (every session ends). Returns the ids
// of the deleted api tokens so token caches can forget them.
std::vector<std::string> finalize_password_reset(db::Connection& conn, std::string_view token,
                                                 std::string_view password, int64_t now_ms);

// --- the outbox ----------------------------------------------------------------------------------

// Builds the messages and queues them on the mailer. Its functions read the server's name from
// the database, so they run through Database::run like the services above.
class Outbox {
 public:
  Outbox(std::shared_ptr<mail::Mailer> mailer, std::string server_url, std::string frontend_origin);

  // The server as messages present it (serverInfo.name and the configured URLs).
  Sender sender(db::Connection& conn) const;

  // Creates a verification for the user's address and mails its link. Throws
  // EMAIL_VERIFICATION_REQUEST_ERROR when the address is verified already.
  void send_verification(db::Connection& conn, const users::User& user, int64_t now_ms);

  // Creates a reset and mails its link; nothing is sent for an unknown address.
  void send_password_reset(db::Connection& conn, std::string_view email, int64_t now_ms);

  // Queues a message built by another module.
  void send(mail::Message message);

  mail::Mailer& mailer() { return *mailer_; }

 private:
  std::shared_ptr<mail::Mailer> mailer_;
  std::string server_url_;
  std::string frontend_origin_;
};

}  // namespace stipple::emails
