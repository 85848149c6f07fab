#include "modules/invites/server_invites.h"

#include "base/error.h"
#include "base/ids.h"
#include "db/database.h"
#include "mail/message.h"
#include "modules/auth/context.h"
#include "modules/users/users.h"

namespace stipple::invites {
namespace {

Error create_error(std::string message) {
  return Error("INVITE_CREATE_ERROR", std::move(message), 400);
}

constexpr std::string_view kColumns =
    "id, email, inviter_id, role, token, message, created_at FROM server_invites";

ServerInvite read_invite(const db::Result::Row& row) {
  return ServerInvite{row.text(0), row.text(1),     row.text(2),   row.text(3),
                      row.text(4), row.opt_text(5), row.integer(6)};
}

std::optional<ServerInvite> find_one(db::Connection& conn, std::string_view where,
                                     std::string_view arg) {
  const auto rows =
      conn.query("SELECT " + std::string(kColumns) + " WHERE " + std::string(where), {arg});
  if (rows.empty()) return std::nullopt;
  return read_invite(rows[0]);
}

bool is_server_role(std::string_view role) {
  return role == auth::kServerAdmin || role == auth::kServerUser || role == auth::kServerGuest ||
         role == auth::kServerArchivedUser;
}

}  // namespace

ServerInvite create_server_invite(db::Connection& conn, const auth::AuthContext& inviter,
                                  const NewServerInvite& input, int64_t now_ms) {
  // Validate the address, the note and the role before touching anything.
  const std::string email = users::normalize_email(input.email);
  if (!mail::valid_address(email)) throw create_error("Invalid e-mail address");
  if (input.message && input.message->size() > kMaxMessageLength) {
    throw create_error("Personal message too long");
  }
  const std::string role = input.server_role.value_or(std::string(auth::kServerUser));
  if (!is_server_role(role)) throw create_error("Invalid server role");
  if (role == auth::kServerAdmin && inviter.server_role != auth::kServerAdmin) {
    throw create_error("Only server admins can assign the admin server role");
  }
  if (role == auth::kServerGuest) {
    const auto config = conn.query("SELECT guest_mode_enabled FROM server_config WHERE id = 0");
    if (config.empty() || !config[0].boolean(0)) {
      throw create_error("Guest mode is not enabled on this server");
    }
  }

  return conn.transaction([&] {
    if (users::find_user_by_email(conn, email)) {
      throw create_error("This email is already associated with an account on this server");
    }

    // A new invite to the same address replaces the old one.
    ServerInvite invite{random_hex(kInviteIdLength),    email,         inviter.user_id, role,
                        random_hex(kInviteTokenLength), input.message, now_ms};
    conn.execute("DELETE FROM server_invites WHERE email = $1", {email});
    const db::Param message =
        invite.message ? db::Param(std::string_view(*invite.message)) : db::Param(nullptr);
    conn.execute(
        "INSERT INTO server_invites (id, email, inviter_id, role, token, message, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {invite.id, invite.email, invite.inviter_id, invite.role, invite.token, message,
         invite.created_at});
    return invite;
  });
}

std::optional<ServerInvite> find_server_invite_by_token(db::Connection& conn,
                                                        std::string_view token) {
  return find_one(conn, "token = $1", token);
}

std::optional<ServerInvite> find_server_invite_by_id(db::Connection& conn, std::string_view id) {
  return find_one(conn, "id = $1", id);
}

std::vector<ServerInvite> list_server_invites(db::Connection& conn) {
  std::vector<ServerInvite> out;
  const auto rows = conn.query("SELECT " + std::string(kColumns) + " ORDER BY created_at DESC, id");
  for (const auto& row : rows.rows) out.push_back(read_invite(row));
  return out;
}

bool delete_server_invite(db::Connection& conn, std::string_view id) {
  return conn.execute("DELETE FROM server_invites WHERE id = $1", {id}) > 0;
}

RegistrationInvite validate_registration_invite(db::Connection& conn, std::string_view email,
                                                std::string_view token) {
  const std::string address = users::normalize_email(email);

  // A server invite gives its role; a project invite to the address lets the account in too.
  if (const auto invite = find_server_invite_by_token(conn, token);
      invite && invite->email == address) {
    return RegistrationInvite{invite->role};
  }
  if (!conn.query("SELECT 1 FROM project_invites WHERE token = $1 AND email = $2", {token, address})
           .empty()) {
    return RegistrationInvite{};
  }
  throw Error("INVITE_NOT_FOUND",
              "Wrong e-mail address or invite token. Make sure you're using the same e-mail "
              "address that received the invite.",
              400);
}

void finalize_registration(db::Connection& conn, std::string_view email, std::string_view user_id) {
  const std::string address = users::normalize_email(email);
  conn.transaction([&] {
    conn.execute("DELETE FROM server_invites WHERE email = $1", {address});
    conn.execute("UPDATE project_invites SET user_id = $1, email = NULL WHERE email = $2",
                 {user_id, address});
  });
}

}  // namespace stipple::invites
