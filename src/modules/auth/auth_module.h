// The identity module's wiring: seeds scopes and built-in apps, installs the rate-limit and
// token middleware, and registers the REST auth routes:
//   POST /auth/local/register?challenge=[&token=|&inviteId=]   POST /auth/local/login?challenge=
//   GET  /auth/accesscode                  POST /auth/token        POST /auth/logout
// and the routes of the enabled external sign-in strategies (sso.h).
// GET /oauth/token is deliberately left unregistered: its 404 tells the newest .NET SDK to use
// the access-code flow.
#pragma once

#include <memory>
#include <string>

#include "base/config.h"

namespace stipple::db {
class Database;
class Connection;
}  // namespace stipple::db
namespace stipple::net {
class Server;
}
namespace stipple::emails {
class Outbox;
}

namespace stipple::auth {

class TokenValidator;

struct AuthDeps {
  net::Server& server;
  db::Database& database;
  std::string canonical_url;    // the server's public origin
  std::string frontend_origin;  // where logins redirect to
  bool rate_limiter_enabled = true;
  // Mails the verification link to every account registered without an invite; none when null.
  std::shared_ptr<emails::Outbox> outbox;
  // The sign-in strategies; null = local accounts only (tests of the module).
  const Config* config = nullptr;
};

// What other modules (GraphQL resolvers) need from identity at run time.
struct AuthServices {
  std::shared_ptr<TokenValidator> validator;  // forget() a token after revoking it
};

// Seeds the scopes and the built-in apps; idempotent, run at every start and by admin commands.
void seed_identity(db::Connection& conn, const std::string& canonical_url);

// Seeds, then installs middleware and routes. Call before any other module registers routes,
// so the middleware runs first.
AuthServices register_module(const AuthDeps& deps);

}  // namespace stipple::auth
