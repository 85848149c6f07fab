// Invitations to register on the server, and the invite check of registration. Blocking
// functions taking a Connection; errors are Error with upstream's codes and messages:
//   INVITE_CREATE_ERROR (400)  "This email is already associated with an account on this server",
//                              "Personal message too long", "Invalid server role", ...
//   INVITE_NOT_FOUND (400)     "Wrong e-mail address or invite token. Make sure you're using the
//                              same e-mail address that received the invite."
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stipple::db {
class Connection;
}
namespace stipple::auth {
struct AuthContext;
}

namespace stipple::invites {

inline constexpr std::size_t kInviteIdLength = 20;
inline constexpr std::size_t kInviteTokenLength = 50;
inline constexpr std::size_t kMaxMessageLength = 1023;
// Non-admins may send at most this many invites in one batch.
inline constexpr std::size_t kMaxBatchForNonAdmins = 10;

struct ServerInvite {
  std::string id;
  std::string email;
  std::string inviter_id;
  std::string role;  // the server role the new account gets
  std::string token;
  std::optional<std::string> message;
  int64_t created_at = 0;
};

struct NewServerInvite {
  std::string email;
  std::optional<std::string> message;
  std::optional<std::string> server_role;  // default server:user
};

// Creates the invite, replacing any earlier server invite to the same address.
ServerInvite create_server_invite(db::Connection& conn, const auth::AuthContext& inviter,
                                  const NewServerInvite& input, int64_t now_ms);

std::optional<ServerInvite> find_server_invite_by_token(db::Connection& conn,
                                                        std::string_view token);
std::optional<ServerInvite> find_server_invite_by_id(db::Connection& conn, std::string_view id);

// Pending server invites, newest first.
std::vector<ServerInvite> list_server_invites(db::Connection& conn);

bool delete_server_invite(db::Connection& conn, std::string_view id);

// What a valid invite token grants a registration.
struct RegistrationInvite {
  std::string server_role;  // empty = the default role of a new account
};

// Checks the invite token of a registration: a server invite, or a project invite, sent to this
// very address. Throws INVITE_NOT_FOUND otherwise.
RegistrationInvite validate_registration_invite(db::Connection& conn, std::string_view email,
                                                std::string_view token);

// After an account is created for `email`: its server invites are used up, and project invites
// sent to the address now name the account.
void finalize_registration(db::Connection& conn, std::string_view email, std::string_view user_id);

}  // namespace stipple::invites
