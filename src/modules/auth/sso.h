// Sign-in through external identity providers, with upstream's routes:
//   GET /auth/oidc?challenge=[&token=|&inviteId=]   GET  /auth/oidc/callback    (OpenID Connect)
//   GET /auth/goog?challenge=...                     GET  /auth/goog/callback    (Google, OIDC)
//   GET /auth/azure?challenge=...                    POST /auth/azure/callback   (Entra ID, OIDC)
//   GET /auth/gh?challenge=...                       GET  /auth/gh/callback      (GitHub, OAuth2)
// The start route sends the browser to the provider; the callback checks what comes back, finds
// or creates the account by e-mail and ends like a local login: a 302 to FRONTEND_ORIGIN with
// the web app's access code for the challenge given at the start.
#pragma once

#include "base/config.h"

namespace stipple::db {
class Database;
}
namespace stipple::net {
class Server;
}

namespace stipple::auth {

struct SsoDeps {
  net::Server& server;
  db::Database& database;
  const Config& config;
};

// Registers the routes of every enabled external strategy; none when none is enabled.
void register_sso_routes(const SsoDeps& deps);

}  // namespace stipple::auth
