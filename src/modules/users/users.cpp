#include "modules/users/users.h"

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "base/ids.h"
#include "db/database.h"
#include "modules/activity/activity.h"
#include "modules/auth/context.h"
#include "modules/auth/crypto.h"

namespace stipple::users {
namespace {

Error user_input(std::string message) {
  return Error("USER_INPUT_ERROR", std::move(message), 400);
}

constexpr std::string_view kUserColumns =
    "u.id, u.suuid, u.name, u.email, u.company, u.bio, u.avatar, u.verified, u.created_at, "
    "a.role, u.password_digest";

User read_user(const db::Result::Row& row) {
  User user;
  user.id = row.text(0);
  user.suuid = row.text(1);
  user.name = row.text(2);
  user.email = row.text(3);
  user.company = row.opt_text(4);
  user.bio = row.opt_text(5);
  user.avatar = row.opt_text(6);
  user.verified = row.boolean(7);
  user.created_at = row.integer(8);
  user.role = row.opt_text(9).value_or("");
  user.password_digest = row.opt_text(10);
  return user;
}

std::optional<User> find_one(db::Connection& conn, std::string_view where, std::string_view arg) {
  const std::string sql = "SELECT " + std::string(kUserColumns) +
                          " FROM users u LEFT JOIN server_acl a ON a.user_id = u.id WHERE " +
                          std::string(where);
  const auto result = conn.query(sql, {arg});
  if (result.empty()) return std::nullopt;
  return read_user(result[0]);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_server_role(std::string_view role) {
  return role == auth::kServerAdmin || role == auth::kServerUser || role == auth::kServerGuest ||
         role == auth::kServerArchivedUser;
}

}  // namespace

std::string normalize_email(std::string_view email) {
  std::string out(trim(email));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

User create_user(db::Connection& conn, NewUser input, int64_t now_ms) {
  // Validate before touching anything.
  input.email = normalize_email(input.email);
  if (input.email.empty()) throw user_input("E-mail address is required");
  if (trim(input.name).empty()) throw user_input("User name is required");
  if (input.password && input.password->size() < kMinPasswordLength) {
    throw user_input("Password too short; needs to be 8 characters or longer.");
  }
  if (!input.role.empty() && !is_server_role(input.role)) {
    throw user_input("Invalid server role: " + input.role);
  }

  // bcrypt is slow on purpose: hash outside the transaction.
  std::optional<std::string> digest;
  if (input.password) digest = auth::bcrypt_hash(*input.password);

  return conn.transaction([&] {
    if (!conn.query("SELECT 1 FROM users WHERE email = $1", {input.email}).empty()) {
      throw user_input("Email taken. Try logging in?");
    }

    // The first account of a server administers it.
    std::string role = input.role;
    if (role.empty()) {
      const bool first = conn.query("SELECT 1 FROM users LIMIT 1").empty();
      role = std::string(first ? auth::kServerAdmin : auth::kServerUser);
    }

    User user;
    user.id = new_id();
    user.suuid = new_uuid();
    user.name = std::string(trim(input.name));
    user.email = input.email;
    user.company = input.company;
    user.created_at = now_ms;
    user.role = role;
    user.password_digest = digest;

    const db::Param company =
        user.company ? db::Param(std::string_view(*user.company)) : db::Param(nullptr);
    const db::Param password = digest ? db::Param(std::string_view(*digest)) : db::Param(nullptr);
    conn.execute(
        "INSERT INTO users (id, suuid, created_at, name, email, company, password_digest) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {user.id, user.suuid, now_ms, user.name, user.email, company, password});
    conn.execute("INSERT INTO server_acl (user_id, role) VALUES ($1, $2)", {user.id, role});
    activity::record(conn, {std::nullopt,
                            activity::kUser,
                            user.id,
                            "user_create",
                            user.id,
                            {{"user", activity::user_info(user)}},
                            "User created"});
    return user;
  });
}

std::optional<User> find_user_by_id(db::Connection& conn, std::string_view id) {
  return find_one(conn, "u.id = $1", id);
}

std::optional<User> find_user_by_email(db::Connection& conn, std::string_view email) {
  const std::string normalized = normalize_email(email);
  return find_one(conn, "u.email = $1", normalized);
}

std::optional<User> check_credentials(db::Connection& conn, std::string_view email,
                                      std::string_view password) {
  auto user = find_user_by_email(conn, email);
  if (!user || !user->password_digest) return std::nullopt;
  if (!auth::bcrypt_verify(password, *user->password_digest)) return std::nullopt;
  return user;
}

}  // namespace stipple::users
