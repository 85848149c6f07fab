// GraphQL of server invitations: serverInviteCreate and serverInviteBatchCreate (each invite is
// mailed), serverInviteByToken, the administrators' inviteResend and inviteDelete, and
// serverInfoUpdate, where an administrator makes the server invite-only.
#include "modules/invites/invites_module.h"

#include "base/error.h"
#include "base/log.h"
#include "db/database.h"
#include "modules/auth/token_validator.h"
#include "modules/emails/emails.h"
#include "modules/invites/server_invites.h"
#include "modules/projects/project_repository.h"
#include "modules/projects/projects.h"
#include "modules/users/identity_graphql.h"
#include "modules/users/users.h"

namespace stipple::invites {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;
using identity_graphql::request;

NewServerInvite read_input(const json::object& input) {
  NewServerInvite out;
  out.email = std::string(input.at("email").as_string());
  out.message = identity_graphql::opt_string(input, "message");
  out.server_role = identity_graphql::opt_string(input, "serverRole");
  return out;
}

// Mails the invitation. The inviter's name comes from the database at sending time.
void mail_invite(db::Connection& conn, emails::Outbox& outbox, const ServerInvite& invite) {
  const auto inviter = users::find_user_by_id(conn, invite.inviter_id);
  const emails::Sender sender = outbox.sender(conn);
  outbox.send(emails::server_invite_message(
      sender, invite.email, inviter ? inviter->name : std::string("Somebody"),
      invite.message.value_or(""), emails::server_invite_link(sender, invite.token)));
}

// Creates and mails each invite in order; stops at the first failure (the earlier ones stay).
asio::awaitable<void> create_all(ResolveContext& ctx, emails::Outbox& outbox,
                                 const std::vector<NewServerInvite>& inputs) {
  const auth::AuthContext caller = identity_graphql::signed_in(ctx);
  const int64_t now = auth::system_now_ms();
  co_await request(ctx).database->run([&](db::Connection& conn) {
    for (const auto& input : inputs) {
      const auto invite = create_server_invite(conn, caller, input, now);
      mail_invite(conn, outbox, invite);
      log::info("invites.server_invite_created",
                {{"invite_id", invite.id}, {"inviter_id", caller.user_id}, {"role", invite.role}},
                "server invite created and mailed");
    }
  });
}

// serverInfoUpdate: the given settings change, absent or null ones stay as they are.
void update_server_info(db::Connection& conn, const json::object& info) {
  static constexpr std::pair<std::string_view, std::string_view> kTexts[] = {
      {"name", "name"},
      {"company", "company"},
      {"description", "description"},
      {"adminContact", "admin_contact"},
      {"termsOfService", "terms_of_service"}};
  static constexpr std::pair<std::string_view, std::string_view> kFlags[] = {
      {"inviteOnly", "invite_only"}, {"guestModeEnabled", "guest_mode_enabled"}};
  conn.transaction([&] {
    for (const auto& [field, column] : kTexts) {
      if (const auto value = identity_graphql::opt_string(info, field)) {
        conn.execute("UPDATE server_config SET " + std::string(column) + " = $1 WHERE id = 0",
                     {*value});
      }
    }
    for (const auto& [field, column] : kFlags) {
      if (const auto* value = info.if_contains(field); value && value->is_bool()) {
        conn.execute("UPDATE server_config SET " + std::string(column) + " = $1 WHERE id = 0",
                     {value->as_bool()});
      }
    }
  });
}

json::value invite_json(const ServerInvite& invite) {
  return json::object{
      {"id", invite.id}, {"email", invite.email}, {"_inviterId", invite.inviter_id}};
}

}  // namespace

api::Binder binder(std::shared_ptr<emails::Outbox> outbox) {
  return [outbox](graphql::Schema& schema) {
    schema.resolve(
        "Mutation", "serverInviteCreate",
        [outbox](ResolveContext& ctx) -> asio::awaitable<json::value> {
          const std::vector<NewServerInvite> inputs{read_input(ctx.arg("input")->as_object())};
          co_await create_all(ctx, *outbox, inputs);
          co_return true;
        });

    schema.resolve(
        "Mutation", "serverInviteBatchCreate",
        [outbox](ResolveContext& ctx) -> asio::awaitable<json::value> {
          std::vector<NewServerInvite> inputs;
          for (const auto& item : ctx.arg("input")->as_array()) {
            inputs.push_back(read_input(item.as_object()));
          }
          const auto& caller = identity_graphql::signed_in(ctx);
          if (inputs.size() > kMaxBatchForNonAdmins && caller.server_role != auth::kServerAdmin) {
            throw Error("INVITE_CREATE_ERROR",
                        "Maximum 10 invites can be sent at once by non admins", 400);
          }
          co_await create_all(ctx, *outbox, inputs);
          co_return true;
        });

    schema.resolve("Query", "serverInviteByToken",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const auto* token = ctx.arg("token");
                     if (!token || !token->is_string()) co_return nullptr;
                     const std::string value(token->as_string());
                     const auto invite = co_await request(ctx).database->run(
                         [&](db::Connection& c) { return find_server_invite_by_token(c, value); });
                     co_return invite ? invite_json(*invite) : json::value(nullptr);
                   });

    schema.resolve("ServerInvite", "invitedBy",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string id(ctx.parent.as_object().at("_inviterId").as_string());
                     const auto user = co_await request(ctx).database->run(
                         [&](db::Connection& c) { return users::find_user_by_id(c, id); });
                     if (!user) co_return nullptr;
                     co_return identity_graphql::limited_user_json(*user);
                   });

    schema.resolve("Mutation", "inviteResend",
                   [outbox](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string id(ctx.arg("inviteId")->as_string());
                     emails::Outbox& box = *outbox;
                     co_await request(ctx).database->run([&](db::Connection& c) {
                       const auto invite = find_server_invite_by_id(c, id);
                       if (!invite) throw Error("INVITE_CREATE_ERROR", "Invite not found", 400);
                       mail_invite(c, box, *invite);
                     });
                     co_return true;
                   });

    schema.resolve(
        "Mutation", "serverInfoUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
          const json::object info = ctx.arg("info")->as_object();
          co_await request(ctx).database->run(
              [&](db::Connection& c) { update_server_info(c, info); });
          log::info("server.info_updated", {{"user_id", identity_graphql::signed_in(ctx).user_id}},
                    "server settings changed");
          co_return true;
        });

    schema.resolve("Mutation", "inviteDelete",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string id(ctx.arg("inviteId")->as_string());
                     co_await request(ctx).database->run(
                         [&](db::Connection& c) { delete_server_invite(c, id); });
                     co_return true;
                   });
  };
}

std::function<void(db::Connection&, const projects::Invite&)> project_invite_mailer(
    std::shared_ptr<emails::Outbox> outbox) {
  return [outbox](db::Connection& conn, const projects::Invite& invite) {
    // The address: the one invited, or the invited account's.
    std::optional<std::string> to = invite.email;
    if (!to && invite.user_id) {
      if (const auto user = users::find_user_by_id(conn, *invite.user_id)) to = user->email;
    }
    const auto project = projects::find_project(conn, invite.project_id);
    if (!to || !project) return;

    const auto inviter = users::find_user_by_id(conn, invite.inviter_id);
    const emails::Sender sender = outbox->sender(conn);
    outbox->send(emails::project_invite_message(
        sender, *to, inviter ? inviter->name : std::string("Somebody"), project->name, "",
        emails::project_invite_link(sender, project->id, invite.token)));
    log::info("invites.project_invite_mailed",
              {{"invite_id", invite.id}, {"project_id", invite.project_id}},
              "project invite mailed");
  };
}

}  // namespace stipple::invites
