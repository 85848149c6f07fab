// The upstream modules Stipple serves switched off (schema/disabled/: workspaces, gatekeeper,
// automate, dashboards, ACC, Gendo, multi-region, saved views). Their types stay in the schema
// so that clients validating against upstream's full schema work; their fields answer as
// upstream answers with the module off: an empty value (null, false, [], {}), or the module's
// `*_MODULE_DISABLED` error. Fields with no such rule keep the default resolver (null, which
// is an error on a non-null field, as upstream). Their subscriptions are accepted and never
// deliver, except Gendo's, which upstream does not serve at all.
#pragma once

#include "modules/api/graphql_api.h"

namespace stipple::events {
class EventBus;
}
namespace stipple::graphql {
class SubscriptionSources;
}

namespace stipple::disabled_modules {

api::Binder binder();

void add_sources(graphql::SubscriptionSources& sources, events::EventBus& bus);

}  // namespace stipple::disabled_modules
