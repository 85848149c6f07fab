// Live updates of the core API: what projects, models and versions mutations announce on the
// event bus, and the GraphQL subscriptions that deliver it — projectUpdated,
// projectModelsUpdated, projectVersionsUpdated, userProjectsUpdated,
// projectVersionsPreviewGenerated, ping, and the legacy userStreamAdded/Removed,
// streamUpdated/Deleted, branchCreated/Updated/Deleted and commitCreated/Updated/Deleted.
//
// Every event travels as {"projectId", "userId"?, "message"}: the subscription's filter matches
// the ids, and `message` becomes the subscription field's value. Messages that name a project
// carry only its id: each subscriber's Project is read with its own role when delivered.
// A subscription opens only for a caller who may read the project it names (FORBIDDEN
// otherwise); the field's @hasServerRole/@hasScope checks run first.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "graphql/schema.h"
#include "graphql/subscription_source.h"

namespace stipple::api {
struct RequestContext;
}
namespace stipple::db {
class Database;
}
namespace stipple::events {
class EventBus;
}
namespace stipple::net {
class Server;
}

namespace stipple::live {

// A project's settings changed (UPDATED) or it is gone (DELETED).
void announce_project(api::RequestContext& request, std::string_view type,
                      const std::string& project_id, const boost::json::value& legacy_update);
// A user gained (ADDED) or lost (REMOVED) access to a project.
void announce_user_project(api::RequestContext& request, std::string_view type,
                           const std::string& user_id, const std::string& project_id);
// A model was CREATED, UPDATED or DELETED; `model` is its JSON form (model_json), null when
// deleted.
void announce_model(api::RequestContext& request, std::string_view type,
                    const std::string& project_id, const std::string& model_id,
                    const boost::json::value& model);
// A version was CREATED, UPDATED or DELETED; `version` is its JSON form (version_json), null
// when deleted.
void announce_version(api::RequestContext& request, std::string_view type,
                      const std::string& project_id, const std::string& model_id,
                      const std::string& version_id, const boost::json::value& version);

// Registers the subscriptions' sources.
void add_sources(graphql::SubscriptionSources& sources, events::EventBus& bus,
                 db::Database& database);

// Binds the message types' fields that read the database (the Project of a message).
void bind(graphql::Schema& schema);

// The test subscription `ping` emits what is published here.
void publish_ping(events::EventBus& bus, std::string_view text);

// STIPPLE_ENABLE_TEST_ROUTES: POST /api/_test/ping publishes its body as a `ping` event;
// GET /api/_test/listeners counts the event listeners of this process.
void register_test_routes(net::Server& server, events::EventBus& bus);

}  // namespace stipple::live
