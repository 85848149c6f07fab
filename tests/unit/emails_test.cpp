#include <gtest/gtest.h>

#include "auth_test_db.h"
#include "base/error.h"
#include "modules/auth/context.h"
#include "modules/auth/crypto.h"
#include "modules/emails/emails.h"
#include "modules/emails/messages.h"
#include "modules/invites/server_invites.h"
#include "modules/users/users.h"

namespace stipple::emails {
namespace {

using testing::IdentityDb;

constexpr int64_t kNow = 1'700'000'000'000;

users::User make_user(IdentityDb& db, std::string email) {
  users::NewUser input;
  input.email = std::move(email);
  input.name = "Ann";
  input.password = "Stipple-Passw0rd!42";
  return users::create_user(db.conn(), input, kNow);
}

// The code and message of the Error `work` throws.
template <typename F>
std::pair<std::string, std::string> error_of(F work) {
  try {
    work();
  } catch (const Error& e) {
    EXPECT_EQ(e.http_status(), 400);
    return {e.code(), e.what()};
  }
  return {};
}

const Sender kSender{"Test Server", "https://api.stipple.test", "https://app.stipple.test"};

// --- links and messages --------------------------------------------------------------------------

TEST(EmailLinks, PointWhereSpeckleClientsExpectThem) {
  EXPECT_EQ(verification_link(kSender, "abc"), "https://api.stipple.test/auth/verifyemail?t=abc");
  EXPECT_EQ(password_reset_link(kSender, "abc"),
            "https://app.stipple.test/authn/reset-password?token=abc");
  EXPECT_EQ(server_invite_link(kSender, "abc"),
            "https://app.stipple.test/authn/register?token=abc");
  EXPECT_EQ(project_invite_link(kSender, "p1", "abc"),
            "https://app.stipple.test/projects/p1?token=abc&accept=true");
}

TEST(EmailMessages, VerificationCarriesItsLinkInBothBodies) {
  const auto message =
      verification_message(kSender, "ann@example.org", "https://api.stipple.test/v?t=1&x=2");
  EXPECT_EQ(message.to, "ann@example.org");
  EXPECT_EQ(message.subject, "Confirm your e-mail address");
  EXPECT_NE(message.text.find("\nhttps://api.stipple.test/v?t=1&x=2\n"), std::string::npos);
  EXPECT_NE(message.html.find("href=\"https://api.stipple.test/v?t=1&amp;x=2\""),
            std::string::npos);
  EXPECT_NE(message.text.find("Test Server"), std::string::npos);
}

TEST(EmailMessages, InviteQuotesTheNoteEscapedInHtml) {
  const auto message =
      server_invite_message(kSender, "bob@example.org", "Ann", "<script>hi</script>", "https://l");
  EXPECT_EQ(message.subject, "Ann invited you to Test Server");
  EXPECT_NE(message.html.find("&lt;script&gt;hi&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(message.html.find("<script>"), std::string::npos);
  EXPECT_NE(message.text.find("\"<script>hi</script>\""), std::string::npos);
}

TEST(EmailMessages, InviteWithoutNoteHasNoQuote) {
  const auto message = server_invite_message(kSender, "bob@example.org", "Ann", "", "https://l");
  EXPECT_EQ(message.html.find("<blockquote"), std::string::npos);
}

// --- verification --------------------------------------------------------------------------------

TEST(EmailVerification, TokenVerifiesTheAddressOnce) {
  IdentityDb db;
  const auto user = make_user(db, "ann@example.org");
  const std::string token = create_verification(db.conn(), user.email, kNow);
  EXPECT_EQ(token.size(), 40u);
  EXPECT_TRUE(has_pending_verification(db.conn(), user.email, kNow));

  finalize_verification(db.conn(), token, kNow + 1000);
  EXPECT_TRUE(users::find_user_by_id(db.conn(), user.id)->verified);
  EXPECT_FALSE(has_pending_verification(db.conn(), user.email, kNow));
  EXPECT_EQ(error_of([&] { finalize_verification(db.conn(), token, kNow + 2000); }),
            std::make_pair(std::string("EMAIL_VERIFICATION_FINALIZATION_ERROR"),
                           std::string("Invalid or expired verification token")));
}

TEST(EmailVerification, OnlyTheDigestIsStored) {
  IdentityDb db;
  const std::string token = create_verification(db.conn(), "ann@example.org", kNow);
  const auto rows = db.conn().query("SELECT id FROM email_verifications");
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows[0].text(0), auth::sha256_hex(token));
}

TEST(EmailVerification, ANewRequestReplacesTheOldToken) {
  IdentityDb db;
  const auto user = make_user(db, "ann@example.org");
  const std::string first = create_verification(db.conn(), user.email, kNow);
  const std::string second = create_verification(db.conn(), user.email, kNow);
  EXPECT_EQ(error_of([&] { finalize_verification(db.conn(), first, kNow); }).second,
            "Invalid or expired verification token");
  finalize_verification(db.conn(), second, kNow);
}

TEST(EmailVerification, ExpiresAfterSevenDays) {
  IdentityDb db;
  const auto user = make_user(db, "ann@example.org");
  const std::string token = create_verification(db.conn(), user.email, kNow);
  EXPECT_EQ(error_of([&] {
              finalize_verification(db.conn(), token, kNow + kVerificationLifespanMs);
            }).second,
            "Invalid or expired verification token");
}

TEST(EmailVerification, MissingTokenHasItsOwnMessage) {
  IdentityDb db;
  EXPECT_EQ(error_of([&] { finalize_verification(db.conn(), "", kNow); }).second,
            "Missing verification token");
}

// --- password reset ------------------------------------------------------------------------------

TEST(PasswordReset, NewPasswordWorksAndEverySessionEnds) {
  IdentityDb db;
  const auto user = make_user(db, "ann@example.org");
  const auto token = create_password_reset(db.conn(), "ANN@example.org", kNow);
  ASSERT_TRUE(token);

  finalize_password_reset(db.conn(), *token, "Another-Passw0rd", kNow + 1000);
  EXPECT_TRUE(users::check_credentials(db.conn(), "ann@example.org", "Another-Passw0rd"));
  EXPECT_FALSE(users::check_credentials(db.conn(), "ann@example.org", "Stipple-Passw0rd!42"));
  EXPECT_EQ(
      error_of([&] { finalize_password_reset(db.conn(), *token, "Third-Passw0rd", kNow + 2000); }),
      std::make_pair(std::string("PASSWORD_RECOVERY_FINALIZATION_ERROR"),
                     std::string("Invalid reset token, it may be expired")));
}

TEST(PasswordReset, UnknownAddressGetsNoToken) {
  IdentityDb db;
  EXPECT_FALSE(create_password_reset(db.conn(), "nobody@example.org", kNow));
}

TEST(PasswordReset, EmptyAddressIsRefused) {
  IdentityDb db;
  EXPECT_EQ(error_of([&] { create_password_reset(db.conn(), " ", kNow); }),
            std::make_pair(std::string("INVALID_PASSWORD_RECOVERY_REQUEST_ERROR"),
                           std::string("E-mail address is empty")));
}

TEST(PasswordReset, SecondRequestWithinTheHourIsRefused) {
  IdentityDb db;
  make_user(db, "ann@example.org");
  ASSERT_TRUE(create_password_reset(db.conn(), "ann@example.org", kNow));
  EXPECT_EQ(error_of([&] { create_password_reset(db.conn(), "ann@example.org", kNow + 1); }).second,
            "Password reset already requested. Please try again in 1h, or check your email for "
            "the instructions we have sent.");
  EXPECT_TRUE(create_password_reset(db.conn(), "ann@example.org", kNow + kPasswordResetLifespanMs));
}

TEST(PasswordReset, ShortPasswordIsRefusedAndTokenKept) {
  IdentityDb db;
  make_user(db, "ann@example.org");
  const auto token = create_password_reset(db.conn(), "ann@example.org", kNow);
  EXPECT_EQ(error_of([&] { finalize_password_reset(db.conn(), *token, "short", kNow); }).second,
            "Password too short; needs to be 8 characters or longer.");
  finalize_password_reset(db.conn(), *token, "Long-enough-1", kNow);
}

TEST(PasswordReset, ExpiresAfterAnHour) {
  IdentityDb db;
  make_user(db, "ann@example.org");
  const auto token = create_password_reset(db.conn(), "ann@example.org", kNow);
  EXPECT_EQ(error_of([&] {
              finalize_password_reset(db.conn(), *token, "Long-enough-1",
                                      kNow + kPasswordResetLifespanMs);
            }).second,
            "Invalid reset token, it may be expired");
}

// --- server invites ------------------------------------------------------------------------------

auth::AuthContext admin_of(const users::User& user) {
  auth::AuthContext caller;
  caller.authenticated = true;
  caller.user_id = user.id;
  caller.server_role = user.role;
  return caller;
}

TEST(ServerInvites, InviteLetsThatAddressRegisterWithItsRole) {
  IdentityDb db;
  const auto admin = admin_of(make_user(db, "admin@example.org"));
  const auto invite = invites::create_server_invite(
      db.conn(), admin, {"Bob@Example.org", "welcome", "server:admin"}, kNow);
  EXPECT_EQ(invite.email, "bob@example.org");
  EXPECT_EQ(invite.token.size(), 50u);
  EXPECT_EQ(
      invites::validate_registration_invite(db.conn(), "bob@example.org", invite.token).server_role,
      "server:admin");

  invites::finalize_registration(db.conn(), "bob@example.org", "someone");
  EXPECT_FALSE(invites::find_server_invite_by_token(db.conn(), invite.token));
}

TEST(ServerInvites, TokenOfAnotherAddressIsNotFound) {
  IdentityDb db;
  const auto admin = admin_of(make_user(db, "admin@example.org"));
  const auto invite = invites::create_server_invite(db.conn(), admin, {"bob@example.org"}, kNow);
  EXPECT_EQ(error_of([&] {
              invites::validate_registration_invite(db.conn(), "eve@example.org", invite.token);
            }),
            std::make_pair(std::string("INVITE_NOT_FOUND"),
                           std::string("Wrong e-mail address or invite token. Make sure you're "
                                       "using the same e-mail address that received the invite.")));
}

TEST(ServerInvites, RegisteredAddressCannotBeInvited) {
  IdentityDb db;
  const auto admin = admin_of(make_user(db, "admin@example.org"));
  EXPECT_EQ(error_of([&] {
              invites::create_server_invite(db.conn(), admin, {"ADMIN@example.org"}, kNow);
            }),
            std::make_pair(std::string("INVITE_CREATE_ERROR"),
                           std::string("This email is already associated with an account on "
                                       "this server")));
}

TEST(ServerInvites, RoleRules) {
  IdentityDb db;
  make_user(db, "admin@example.org");
  const auto user = admin_of(make_user(db, "user@example.org"));
  EXPECT_EQ(
      error_of([&] {
        invites::create_server_invite(db.conn(), user, {"a@example.org", {}, "server:admin"}, kNow);
      }).second,
      "Only server admins can assign the admin server role");
  EXPECT_EQ(
      error_of([&] {
        invites::create_server_invite(db.conn(), user, {"a@example.org", {}, "server:guest"}, kNow);
      }).second,
      "Guest mode is not enabled on this server");
  EXPECT_EQ(error_of([&] {
              invites::create_server_invite(db.conn(), user, {"a@example.org", {}, "boss"}, kNow);
            }).second,
            "Invalid server role");
  EXPECT_EQ(error_of([&] {
              invites::create_server_invite(db.conn(), user,
                                            {"a@example.org", std::string(1024, 'x')}, kNow);
            }).second,
            "Personal message too long");
}

TEST(ServerInvites, ANewInviteReplacesTheOld) {
  IdentityDb db;
  const auto admin = admin_of(make_user(db, "admin@example.org"));
  const auto first = invites::create_server_invite(db.conn(), admin, {"bob@example.org"}, kNow);
  const auto second = invites::create_server_invite(db.conn(), admin, {"bob@example.org"}, kNow);
  EXPECT_FALSE(invites::find_server_invite_by_token(db.conn(), first.token));
  EXPECT_EQ(invites::list_server_invites(db.conn()).size(), 1u);
  EXPECT_EQ(invites::find_server_invite_by_token(db.conn(), second.token)->id, second.id);
}

}  // namespace
}  // namespace stipple::emails
