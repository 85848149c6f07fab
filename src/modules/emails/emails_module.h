// The e-mail module's wiring: the REST routes of address verification and password reset, and
// the GraphQL mutations that ask for a verification mail.
//   GET  /auth/verifyemail?t=<token>  302 to <frontend>/?emailverifiedstatus=true, or to
//                                     <frontend>/?emailverifiederror=<message>
//   POST /auth/pwdreset/request       {email} -> 200 "Password reset email sent."
//   POST /auth/pwdreset/finalize      {tokenId, password} -> 200 "Password reset. Please log in."
//   Mutation.requestVerification, Mutation.requestVerificationByEmail(email)
#pragma once

#include <memory>
#include <string>

#include "modules/api/graphql_api.h"
#include "modules/emails/emails.h"

namespace stipple::net {
class Server;
}
namespace stipple::auth {
class TokenValidator;
}

namespace stipple::emails {

struct EmailsDeps {
  net::Server& server;
  db::Database& database;
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<auth::TokenValidator> validator;  // forgets the tokens a reset revokes
  std::string frontend_origin;                      // without a trailing slash
};

void register_routes(const EmailsDeps& deps);

api::Binder binder(std::shared_ptr<Outbox> outbox);

}  // namespace stipple::emails
