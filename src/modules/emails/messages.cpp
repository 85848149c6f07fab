#include "modules/emails/messages.h"

#include "mail/template.h"

namespace stipple::emails {
namespace {

// ---------------------------------------------------------------------------------------------
// The layout every message shares. Values: server_name, server_url, heading, lead, quote
// (optional), action (button label), link, after.

constexpr std::string_view kHtmlLayout = R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{heading}}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;padding:32px">
<tr><td>
<p style="margin:0 0 8px;font-size:13px;color:#616e7c">{{server_name}}</p>
<h1 style="margin:0 0 24px;font-size:22px">{{heading}}</h1>
<p style="margin:0 0 16px;line-height:1.5">{{lead}}</p>
{{#quote}}<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:3px solid #cbd2d9;color:#3e4c59">{{quote}}</blockquote>
{{/quote}}<p style="margin:24px 0"><a href="{{link}}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">{{action}}</a></p>
<p style="margin:0 0 16px;line-height:1.5;font-size:13px;color:#616e7c">If the button does not work, open this address in your browser:<br><a href="{{link}}" style="color:#1d4ed8;word-break:break-all">{{link}}</a></p>
<p style="margin:0;line-height:1.5;font-size:13px;color:#616e7c">{{after}}</p>
</td></tr>
</table>
<p style="font-size:12px;color:#9aa5b1">Sent by the server at <a href="{{server_url}}" style="color:#9aa5b1">{{server_url}}</a>.</p>
</td></tr>
</table>
</body>
</html>
)";

constexpr std::string_view kTextLayout = R"({{heading}}

{{lead}}
{{#quote}}
  "{{quote}}"
{{/quote}}

{{action}}:
{{link}}

{{after}}

--
Sent by {{server_name}} ({{server_url}})
)";

mail::Message compose(const Sender& sender, std::string_view to, std::string_view subject,
                      mail::Values values) {
  values["server_name"] = sender.server_name;
  values["server_url"] = sender.server_url;
  mail::Message message;
  message.to = std::string(to);
  message.subject = std::string(subject);
  message.html = mail::render(kHtmlLayout, values, mail::Escape::html);
  message.text = mail::render(kTextLayout, values, mail::Escape::none);
  return message;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Links

std::string verification_link(const Sender& sender, std::string_view token) {
  return sender.server_url + "/auth/verifyemail?t=" + std::string(token);
}

std::string password_reset_link(const Sender& sender, std::string_view token) {
  return sender.frontend_origin + "/authn/reset-password?token=" + std::string(token);
}

std::string server_invite_link(const Sender& sender, std::string_view token) {
  return sender.frontend_origin + "/authn/register?token=" + std::string(token);
}

std::string project_invite_link(const Sender& sender, std::string_view project_id,
                                std::string_view token) {
  return sender.frontend_origin + "/projects/" + std::string(project_id) +
         "?token=" + std::string(token) + "&accept=true";
}

// ---------------------------------------------------------------------------------------------
// Messages

mail::Message verification_message(const Sender& sender, std::string_view to,
                                   std::string_view link) {
  return compose(
      sender, to, kVerificationSubject,
      {{"heading", "Confirm your e-mail address"},
       {"lead", "Somebody, probably you, signed up on " + sender.server_name + " with " +
                    std::string(to) + " or asked for a new confirmation link. Follow the " +
                    "link below to confirm that this address is yours."},
       {"action", "Confirm my address"},
       {"link", std::string(link)},
       {"after",
        "The link works for 7 days. If you did not ask for it, you can ignore this "
        "message."}});
}

mail::Message password_reset_message(const Sender& sender, std::string_view to,
                                     std::string_view link) {
  return compose(
      sender, to, kPasswordResetSubject,
      {{"heading", "Reset your password"},
       {"lead", "A new password was requested for the account " + std::string(to) + " on " +
                    sender.server_name + ". Follow the link below to choose one."},
       {"action", "Choose a new password"},
       {"link", std::string(link)},
       {"after",
        "The link works for 1 hour and only once. If you did not ask for a new "
        "password, ignore this message: your current password stays as it is."}});
}

mail::Message server_invite_message(const Sender& sender, std::string_view to,
                                    std::string_view inviter_name, std::string_view note,
                                    std::string_view link) {
  const std::string inviter(inviter_name);
  return compose(
      sender, to, inviter + " invited you to " + sender.server_name,
      {{"heading", "You are invited"},
       {"lead", inviter + " invited you to create an account on " + sender.server_name +
                    ", a server for sharing design and engineering data."},
       {"quote", std::string(note)},
       {"action", "Create my account"},
       {"link", std::string(link)},
       {"after", "Register with this e-mail address (" + std::string(to) + "). If you do not " +
                     "know " + inviter + ", you can ignore this invitation."}});
}

mail::Message project_invite_message(const Sender& sender, std::string_view to,
                                     std::string_view inviter_name, std::string_view project_name,
                                     std::string_view note, std::string_view link) {
  const std::string inviter(inviter_name);
  const std::string project(project_name);
  return compose(
      sender, to, inviter + " shared the project \"" + project + "\" with you",
      {{"heading", "A project was shared with you"},
       {"lead", inviter + " invited you to collaborate on the project \"" + project + "\" on " +
                    sender.server_name + "."},
       {"quote", std::string(note)},
       {"action", "Open the project"},
       {"link", std::string(link)},
       {"after", "If you do not know " + inviter + ", you can ignore this invitation."}});
}

}  // namespace stipple::emails
