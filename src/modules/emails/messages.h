// The e-mails the server sends, in Stipple's own words: address verification, password reset
// and invitations. Each is built from one shared layout (mail/template.h) in an HTML and a
// plain-text form, and the links they carry point where upstream's clients expect them.
#pragma once

#include <string>
#include <string_view>

#include "mail/message.h"

namespace stipple::emails {

// What every message says about the server that sends it.
struct Sender {
  std::string server_name;      // serverInfo.name
  std::string server_url;       // CANONICAL_URL, without a trailing slash
  std::string frontend_origin;  // FRONTEND_ORIGIN, without a trailing slash
};

// --- links ---------------------------------------------------------------------------------------

// The server's own route that verifies an address: <server>/auth/verifyemail?t=<token>.
std::string verification_link(const Sender& sender, std::string_view token);
// The web app's page that finishes a password reset: <frontend>/authn/reset-password?token=<t>.
std::string password_reset_link(const Sender& sender, std::string_view token);
// The web app's registration page with the invite: <frontend>/authn/register?token=<token>.
std::string server_invite_link(const Sender& sender, std::string_view token);
// The project page that accepts an invite: <frontend>/projects/<id>?token=<token>&accept=true.
std::string project_invite_link(const Sender& sender, std::string_view project_id,
                                std::string_view token);

// --- messages ------------------------------------------------------------------------------------

inline constexpr std::string_view kVerificationSubject = "Confirm your e-mail address";
inline constexpr std::string_view kPasswordResetSubject = "Reset your password";

mail::Message verification_message(const Sender& sender, std::string_view to,
                                   std::string_view link);
mail::Message password_reset_message(const Sender& sender, std::string_view to,
                                     std::string_view link);

// `note` is the inviter's optional personal message, shown quoted (and escaped in HTML).
mail::Message server_invite_message(const Sender& sender, std::string_view to,
                                    std::string_view inviter_name, std::string_view note,
                                    std::string_view link);
mail::Message project_invite_message(const Sender& sender, std::string_view to,
                                     std::string_view inviter_name, std::string_view project_name,
                                     std::string_view note, std::string_view link);

}  // namespace stipple::emails
