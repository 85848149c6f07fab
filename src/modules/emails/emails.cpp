#include "modules/emails/emails.h"

#include "base/error.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/database.h"
#include "mail/mailer.h"
#include "modules/auth/crypto.h"
#include "modules/users/users.h"

namespace stipple::emails {
namespace {

Error verification_request_error(std::string message) {
  return Error("EMAIL_VERIFICATION_REQUEST_ERROR", std::move(message), 400);
}
Error verification_error(std::string message) {
  return Error("EMAIL_VERIFICATION_FINALIZATION_ERROR", std::move(message), 400);
}
Error recovery_request_error(std::string message) {
  return Error("INVALID_PASSWORD_RECOVERY_REQUEST_ERROR", std::move(message), 400);
}
Error recovery_error(std::string message) {
  return Error("PASSWORD_RECOVERY_FINALIZATION_ERROR", std::move(message), 400);
}

// The stored form of a mailed token.
std::string digest(std::string_view token) {
  return auth::sha256_hex(token);
}

// The address of a token that has not expired; nullopt otherwise.
std::optional<std::string> pending_email(db::Connection& conn, std::string_view table,
                                         std::string_view token, int64_t lifespan_ms,
                                         int64_t now_ms) {
  const auto rows =
      conn.query("SELECT email FROM " + std::string(table) + " WHERE id = $1 AND created_at > $2",
                 {digest(token), now_ms - lifespan_ms});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// E-mail verification

std::string create_verification(db::Connection& conn, std::string_view email, int64_t now_ms) {
  const std::string token = random_hex(kTokenLength);
  conn.transaction([&] {
    conn.execute("DELETE FROM email_verifications WHERE email = $1", {email});
    conn.execute("INSERT INTO email_verifications (id, email, created_at) VALUES ($1, $2, $3)",
                 {digest(token), email, now_ms});
  });
  return token;
}

bool has_pending_verification(db::Connection& conn, std::string_view email, int64_t now_ms) {
  return !conn.query("SELECT 1 FROM email_verifications WHERE email = $1 AND created_at > $2",
                     {email, now_ms - kVerificationLifespanMs})
              .empty();
}

void finalize_verification(db::Connection& conn, std::string_view token, int64_t now_ms) {
  if (token.empty()) throw verification_error("Missing verification token");
  const auto email =
      pending_email(conn, "email_verifications", token, kVerificationLifespanMs, now_ms);
  if (!email) throw verification_error("Invalid or expired verification token");
  conn.transaction([&] {
    conn.execute("UPDATE users SET verified = TRUE WHERE email = $1", {*email});
    conn.execute("DELETE FROM email_verifications WHERE email = $1", {*email});
  });
}

// ---------------------------------------------------------------------------------------------
// Password reset

std::optional<std::string> create_password_reset(db::Connection& conn, std::string_view email,
                                                 int64_t now_ms) {
  if (users::normalize_email(email).empty())
    throw recovery_request_error("E-mail address is empty");
  const auto user = users::find_user_by_email(conn, email);
  if (!user) return std::nullopt;

  return conn.transaction([&] {
    // One reset at a time: a second request within the hour is refused.
    if (!conn.query("SELECT 1 FROM pwdreset_tokens WHERE email = $1 AND created_at > $2",
                    {user->email, now_ms - kPasswordResetLifespanMs})
             .empty()) {
      throw recovery_request_error(
          "Password reset already requested. Please try again in 1h, or check your email for the "
          "instructions we have sent.");
    }
    const std::string token = random_hex(kTokenLength);
    conn.execute("DELETE FROM pwdreset_tokens WHERE email = $1", {user->email});
    conn.execute("INSERT INTO pwdreset_tokens (id, email, created_at) VALUES ($1, $2, $3)",
                 {digest(token), user->email, now_ms});
    return std::optional<std::string>(token);
  });
}

std::vector<std::string> finalize_password_reset(db::Connection& conn, std::string_view token,
                                                 std::string_view password, int64_t now_ms) {
  // Check the token, then the password: a bad token must not reveal password rules.
  const auto email =
      pending_email(conn, "pwdreset_tokens", token, kPasswordResetLifespanMs, now_ms);
  if (!email) throw recovery_error("Invalid reset token, it may be expired");
  const auto user = users::find_user_by_email(conn, *email);
  if (!user) throw recovery_error("Invalid finalization request");
  if (password.size() < users::kMinPasswordLength) {
    throw Error("USER_INPUT_ERROR", "Password too short; needs to be 8 characters or longer.", 400);
  }

  // bcrypt is slow on purpose: hash outside the transaction.
  const std::string hash = auth::bcrypt_hash(password);
  return conn.transaction([&] {
    conn.execute("UPDATE users SET password_digest = $1 WHERE id = $2", {hash, user->id});
    conn.execute("DELETE FROM pwdreset_tokens WHERE email = $1", {user->email});

    // Every session of the account ends with the old password.
    std::vector<std::string> revoked;
    for (const auto& row :
         conn.query("SELECT id FROM api_tokens WHERE owner_id = $1", {user->id}).rows) {
      revoked.push_back(row.text(0));
    }
    conn.execute("DELETE FROM api_tokens WHERE owner_id = $1", {user->id});
    conn.execute("DELETE FROM refresh_tokens WHERE user_id = $1", {user->id});
    conn.execute("DELETE FROM authorization_codes WHERE user_id = $1", {user->id});
    return revoked;
  });
}

// ---------------------------------------------------------------------------------------------
// The outbox

Outbox::Outbox(std::shared_ptr<mail::Mailer> mailer, std::string server_url,
               std::string frontend_origin)
    : mailer_(std::move(mailer)),
      server_url_(std::move(server_url)),
      frontend_origin_(std::move(frontend_origin)) {}

Sender Outbox::sender(db::Connection& conn) const {
  const auto rows = conn.query("SELECT name FROM server_config WHERE id = 0");
  return Sender{rows.empty() ? std::string("Stipple") : rows[0].text(0), server_url_,
                frontend_origin_};
}

void Outbox::send_verification(db::Connection& conn, const users::User& user, int64_t now_ms) {
  if (user.verified) throw verification_request_error("User's email is already verified");
  const std::string token = create_verification(conn, user.email, now_ms);
  const Sender from = sender(conn);
  send(verification_message(from, user.email, verification_link(from, token)));
  log::info("emails.verification_requested", {{"user_id", user.id}},
            "e-mail verification link queued");
}

void Outbox::send_password_reset(db::Connection& conn, std::string_view email, int64_t now_ms) {
  const auto token = create_password_reset(conn, email, now_ms);
  if (!token) return;
  const Sender from = sender(conn);
  const std::string address = users::normalize_email(email);
  send(password_reset_message(from, address, password_reset_link(from, *token)));
  log::info("emails.password_reset_requested", {}, "password reset link queued");
}

void Outbox::send(mail::Message message) {
  mailer_->send(std::move(message));
}

}  // namespace stipple::emails
