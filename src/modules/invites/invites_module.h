// The server-invite module's GraphQL wiring (see graphql_invites.cpp), and the mail sent for a
// project invite. Registration with an invite token is checked by the identity module's register
// route through server_invites.h.
#pragma once

#include <functional>
#include <memory>

#include "modules/api/graphql_api.h"

namespace stipple::emails {
class Outbox;
}
namespace stipple::projects {
struct Invite;
}

namespace stipple::invites {

api::Binder binder(std::shared_ptr<emails::Outbox> outbox);

// Mails a new project invite to the invited address (or the invited account's address), with a
// link that opens the project and accepts the invite. Runs inside the invite's database work.
std::function<void(db::Connection&, const projects::Invite&)> project_invite_mailer(
    std::shared_ptr<emails::Outbox> outbox);

}  // namespace stipple::invites
