// The GraphQL side of identity: accounts (activeUser, otherUser, user, users, userSearch, the
// User fields, profile and role mutations), personal access tokens (apiTokenCreate,
// apiTokenRevoke, User.apiTokens) and apps (app, apps, app* mutations, User.authorizedApps and
// createdApps). Resolvers call the blocking identity services through Database::run.
//
// The work handed to Database::run captures by reference only: the awaiting coroutine's frame
// outlives the work, and GCC 12 copies a lambda passed into a coroutine parameter bitwise, which
// corrupts captured std::strings (short-string buffers) but leaves pointers intact. For the same
// reason helper coroutines take their string arguments by const reference.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "graphql/graphql.h"
#include "modules/api/graphql_api.h"
#include "modules/users/users.h"

namespace stipple::auth {
class TokenValidator;
}

namespace stipple::identity_graphql {

// The binder the composition root registers. The validator is told about every token a mutation
// revokes, so a revoked token stops working at once in this process.
api::Binder binder(std::shared_ptr<auth::TokenValidator> validator);

// --- shared by the three binders (graphql_users.cpp, graphql_tokens.cpp, graphql_apps.cpp) ---

void bind_users(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator);
void bind_tokens(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator);
void bind_apps(graphql::Schema& schema, std::shared_ptr<auth::TokenValidator> validator);

inline api::RequestContext& request(graphql::ResolveContext& ctx) {
  return ctx.user<api::RequestContext>();
}

// The signed-in caller; throws the UNAUTHORIZED GraphQL error for anonymous requests.
const auth::AuthContext& signed_in(graphql::ResolveContext& ctx);

// The parent object's "id" member; empty when absent.
std::string parent_id(const graphql::ResolveContext& ctx);

// Fails with FORBIDDEN unless the parent object is the caller's own user.
void require_own_user(graphql::ResolveContext& ctx, std::string_view message);

// ISO-8601 in UTC with milliseconds, as upstream's DateTime scalar serialises.
std::string iso_time(int64_t ms);
int64_t now_ms();

// A string member of an input object; nullopt when absent or null.
std::optional<std::string> opt_string(const boost::json::object& object, std::string_view key);

// The JSON forms read by the default resolvers of User and LimitedUser.
boost::json::object user_json(const users::User& user);
boost::json::object limited_user_json(const users::User& user);

}  // namespace stipple::identity_graphql
