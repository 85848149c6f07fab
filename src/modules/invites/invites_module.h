// The server-invite module's GraphQL wiring (see graphql_invites.cpp). Registration with an
// invite token is checked by the identity module's register route through server_invites.h.
#pragma once

#include <memory>

#include "modules/api/graphql_api.h"

namespace stipple::emails {
class Outbox;
}

namespace stipple::invites {

api::Binder binder(std::shared_ptr<emails::Outbox> outbox);

}  // namespace stipple::invites
