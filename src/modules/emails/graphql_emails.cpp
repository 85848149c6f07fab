// GraphQL mutations that mail a verification link: requestVerification for the caller (the
// schema requires a guest role and profile:write), requestVerificationByEmail for anyone who
// knows an address (false when no unverified account has it).
#include "base/error.h"
#include "db/database.h"
#include "modules/auth/token_validator.h"
#include "modules/emails/emails_module.h"
#include "modules/users/identity_graphql.h"
#include "modules/users/users.h"

namespace stipple::emails {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;
using identity_graphql::request;

api::Binder binder(std::shared_ptr<Outbox> outbox) {
  return [outbox](graphql::Schema& schema) {
    schema.resolve("Mutation", "requestVerification",
                   [outbox](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string user_id = identity_graphql::signed_in(ctx).user_id;
                     const int64_t now = auth::system_now_ms();
                     Outbox& box = *outbox;
                     co_await request(ctx).database->run([&](db::Connection& conn) {
                       const auto user = users::find_user_by_id(conn, user_id);
                       if (!user) {
                         throw Error("EMAIL_VERIFICATION_REQUEST_ERROR",
                                     "Unable to resolve verification target user", 400);
                       }
                       box.send_verification(conn, *user, now);
                     });
                     co_return true;
                   });

    schema.resolve("Mutation", "requestVerificationByEmail",
                   [outbox](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string email(ctx.arg("email")->as_string());
                     const int64_t now = auth::system_now_ms();
                     Outbox& box = *outbox;
                     co_return co_await request(ctx).database->run([&](db::Connection& conn) {
                       const auto user = users::find_user_by_email(conn, email);
                       if (!user || user->verified) return false;
                       box.send_verification(conn, *user, now);
                       return true;
                     });
                   });

    // Whether a verification link was mailed and still works.
    schema.resolve(
        "User", "hasPendingVerification", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
          const auto* email = ctx.parent.as_object().if_contains("email");
          if (!email || !email->is_string()) co_return false;
          const std::string address(email->as_string());
          const int64_t now = auth::system_now_ms();
          co_return co_await request(ctx).database->run(
              [&](db::Connection& conn) { return has_pending_verification(conn, address, now); });
        });
  };
}

}  // namespace stipple::emails
