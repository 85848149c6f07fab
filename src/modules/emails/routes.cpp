// REST routes of address verification and password reset. Verification always answers with a
// redirect to the web app, which shows the outcome; password reset answers in upstream's shapes:
// plain text (sent as text/html, as Express' res.send does) on success, {"error":{message,code}}
// with status 400 on failure.
#include <boost/json.hpp>
#include <cctype>

#include "base/error.h"
#include "base/log.h"
#include "db/database.h"
#include "modules/auth/form.h"
#include "modules/auth/token_validator.h"
#include "modules/emails/emails_module.h"
#include "net/server.h"

namespace stipple::emails {
namespace {

namespace asio = boost::asio;
using net::Exchange;
using net::http::status;

constexpr std::string_view kTextHtml = "text/html; charset=utf-8";

// Percent-encodes a message for a query string, as a browser's URL parser writes it: everything
// but unreserved characters and a few safe punctuation marks.
std::string query_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-._~!$()*,;:@/?").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

struct Routes {
  db::Database& database;
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<auth::TokenValidator> validator;
  std::string frontend_origin;
};

asio::awaitable<void> verify_email(const Routes& r, Exchange& ex) {
  const std::string token = ex.query("t").value_or("");
  const int64_t now = auth::system_now_ms();

  // Every outcome is a redirect; only the verification's own errors are shown to the user.
  std::string message;
  try {
    co_await r.database.run([&](db::Connection& conn) { finalize_verification(conn, token, now); });
  } catch (const Error& e) {
    message = e.code() == "EMAIL_VERIFICATION_FINALIZATION_ERROR"
                  ? std::string(e.what())
                  : std::string("Email verification unexpectedly failed");
  } catch (const std::exception& e) {
    log::error("emails.verification_error", {{"error", e.what()}}, "e-mail verification failed");
    message = "Email verification unexpectedly failed";
  }
  if (message.empty()) {
    log::info("emails.verified", {}, "an e-mail address was verified");
    auth::redirect(ex, r.frontend_origin + "/?emailverifiedstatus=true");
  } else {
    log::info("emails.verification_failed", {{"error", message}}, "e-mail verification failed");
    auth::redirect(ex, r.frontend_origin + "/?emailverifiederror=" + query_escape(message));
  }
}

asio::awaitable<void> request_password_reset(const Routes& r, Exchange& ex) {
  const auto fields = auth::body_fields(ex);
  const std::string email = auth::text_field(fields, "email").value_or("");
  const int64_t now = auth::system_now_ms();
  Outbox& outbox = *r.outbox;
  co_await r.database.run(
      [&](db::Connection& conn) { outbox.send_password_reset(conn, email, now); });
  ex.respond(status::ok, "Password reset email sent.", kTextHtml);
}

asio::awaitable<void> finalize_password_reset_route(const Routes& r, Exchange& ex) {
  const auto fields = auth::body_fields(ex);
  const std::string token = auth::text_field(fields, "tokenId").value_or("");
  const std::string password = auth::text_field(fields, "password").value_or("");
  if (token.empty() || password.empty()) throw bad_request("Invalid request.");

  const int64_t now = auth::system_now_ms();
  const auto revoked = co_await r.database.run(
      [&](db::Connection& conn) { return finalize_password_reset(conn, token, password, now); });
  for (const auto& id : revoked) r.validator->forget(id);
  log::info("emails.password_reset", {{"tokens_revoked", revoked.size()}}, "a password was reset");
  ex.respond(status::ok, "Password reset. Please log in.", kTextHtml);
}

}  // namespace

void register_routes(const EmailsDeps& deps) {
  auto routes = std::make_shared<Routes>(
      Routes{deps.database, deps.outbox, deps.validator, deps.frontend_origin});
  auto bind = [routes](asio::awaitable<void> (*handler)(const Routes&, Exchange&)) {
    return
        [routes, handler](Exchange& ex) -> asio::awaitable<void> { co_await handler(*routes, ex); };
  };
  deps.server.get("/auth/verifyemail", bind(&verify_email));
  deps.server.post("/auth/pwdreset/request", bind(&request_password_reset));
  deps.server.post("/auth/pwdreset/finalize", bind(&finalize_password_reset_route));
}

}  // namespace stipple::emails
