// The server administrators' views and changes: Query.admin (userList, inviteList, projectList,
// serverStatistics), Mutation.admin (updateEmailVerification), and the legacy adminUsers and
// adminStreams lists. The schema's directives restrict all of them to server admins.
#pragma once

#include "modules/api/graphql_api.h"

namespace stipple::admin {

api::Binder binder();

}  // namespace stipple::admin
