// Accounts: creation with upstream's validation rules, look-ups, and password checks.
// Blocking functions taking a Connection, shared by the REST routes, GraphQL and the admin CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stipple::db {
class Connection;
}

namespace stipple::users {

inline constexpr std::size_t kMinPasswordLength = 8;

struct User {
  std::string id;
  std::string suuid;
  std::string name;
  std::string email;
  std::optional<std::string> company;
  std::optional<std::string> bio;
  std::optional<std::string> avatar;
  bool verified = false;
  int64_t created_at = 0;
  std::string role;  // server role
  std::optional<std::string> password_digest;
};

struct NewUser {
  std::string email;
  std::string name;
  std::optional<std::string> password;  // absent for accounts of external identity providers
  std::optional<std::string> company;
  // Server role; empty = server:admin for the server's first user, server:user otherwise.
  std::string role;
};

// E-mail addresses are compared and stored lower-cased and trimmed.
std::string normalize_email(std::string_view email);

// Validates and creates the account with its server role, in one transaction. Throws Error
// USER_INPUT_ERROR (400) with upstream's messages: "E-mail address is required", "User name is
// required", "Password too short; needs to be 8 characters or longer.", "Email taken. Try logging
// in?".
User create_user(db::Connection& conn, NewUser input, int64_t now_ms);

std::optional<User> find_user_by_id(db::Connection& conn, std::string_view id);
std::optional<User> find_user_by_email(db::Connection& conn, std::string_view email);

// The user whose e-mail and password match; nullopt otherwise (also for accounts without a
// password).
std::optional<User> check_credentials(db::Connection& conn, std::string_view email,
                                      std::string_view password);

}  // namespace stipple::users
