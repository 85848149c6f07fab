#include <gtest/gtest.h>

#include "auth_test_db.h"
#include "base/error.h"
#include "modules/users/users.h"

namespace stipple::users {
namespace {

using testing::IdentityDb;

NewUser person(std::string email, std::string name = "Someone") {
  NewUser input;
  input.email = std::move(email);
  input.name = std::move(name);
  input.password = "Stipple-Passw0rd!42";
  return input;
}

std::string error_of(IdentityDb& db, const NewUser& input) {
  try {
    create_user(db.conn(), input, 1);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "USER_INPUT_ERROR");
    EXPECT_EQ(e.http_status(), 400);
    return e.what();
  }
  return "";
}

TEST(Users, FirstUserIsAdminThenUsers) {
  IdentityDb db;
  EXPECT_EQ(create_user(db.conn(), person("a@example.org"), 1).role, "server:admin");
  EXPECT_EQ(create_user(db.conn(), person("b@example.org"), 2).role, "server:user");
}

TEST(Users, EmailIsLowerCasedAndTrimmed) {
  IdentityDb db;
  EXPECT_EQ(create_user(db.conn(), person("  Ann@Example.ORG "), 1).email, "ann@example.org");
  EXPECT_TRUE(find_user_by_email(db.conn(), "ANN@example.org"));
}

TEST(Users, EmailIsUniqueWhateverItsCase) {
  IdentityDb db;
  create_user(db.conn(), person("bob@example.org"), 1);
  EXPECT_EQ(error_of(db, person("BOB@EXAMPLE.ORG")), "Email taken. Try logging in?");
}

TEST(Users, ValidationMessagesAreUpstreams) {
  IdentityDb db;
  EXPECT_EQ(error_of(db, person("")), "E-mail address is required");
  EXPECT_EQ(error_of(db, person("x@example.org", "")), "User name is required");
  auto short_password = person("y@example.org");
  short_password.password = "short1";
  EXPECT_EQ(error_of(db, short_password),
            "Password too short; needs to be 8 characters or longer.");
}

TEST(Users, FailedCreationChangesNothing) {
  IdentityDb db;
  error_of(db, person("x@example.org", ""));
  EXPECT_EQ(db.conn().query("SELECT COUNT(*) FROM users")[0].integer(0), 0);
}

TEST(Users, ExplicitRoleIsKept) {
  IdentityDb db;
  auto input = person("g@example.org");
  input.role = "server:guest";
  EXPECT_EQ(create_user(db.conn(), input, 1).role, "server:guest");
}

TEST(Users, CredentialsAreCheckedWithBcrypt) {
  IdentityDb db;
  const auto user = create_user(db.conn(), person("cat@example.org"), 1);
  ASSERT_TRUE(user.password_digest);
  EXPECT_EQ(user.password_digest->substr(0, 7), "$2b$10$");
  EXPECT_TRUE(check_credentials(db.conn(), "Cat@Example.org", "Stipple-Passw0rd!42"));
  EXPECT_FALSE(check_credentials(db.conn(), "cat@example.org", "wrong password"));
  EXPECT_FALSE(check_credentials(db.conn(), "nobody@example.org", "Stipple-Passw0rd!42"));
}

}  // namespace
}  // namespace stipple::users
