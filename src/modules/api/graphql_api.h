// The Speckle GraphQL API: the schema assembled from the embedded SDL (schema/*.graphql), the
// resolvers every module binds to it, the enforcement of the auth directives, and the HTTP
// transport on /graphql with Apollo Server's rules (batching, CSRF prevention, status codes), and
// the in-browser query IDE for browsers that open /graphql.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/config.h"
#include "db/database.h"
#include "graphql/graphql.h"
#include "graphql/subscription_source.h"
#include "modules/api/query_ide.h"
#include "modules/auth/context.h"

namespace stipple::net {
class Server;
class Exchange;
}  // namespace stipple::net

namespace stipple::events {
class EventBus;
}

namespace stipple::api {

// What every resolver can reach: who calls, and the shared services. Resolvers get it with
// `ctx.user<api::RequestContext>()`.
struct RequestContext {
  auth::AuthContext caller;
  db::Database* database = nullptr;
  const Config* config = nullptr;
  std::string request_id;
  events::EventBus* events = nullptr;  // where mutations announce what changed

  // Per-request state a module keeps between resolvers (loaders, caches), by key.
  std::map<std::string, std::shared_ptr<void>> state;

  template <typename T, typename Make>
  T& get_or_make(const std::string& key, Make make) {
    auto& slot = state[key];
    if (!slot) slot = std::shared_ptr<T>(make());
    return *static_cast<T*>(slot.get());
  }
};

// Binds a module's resolvers to the schema.
using Binder = std::function<void(graphql::Schema& schema)>;

class GraphqlApi {
 public:
  GraphqlApi(const Config& config, db::Database& database);

  // Registers a module's binder; call before install().
  void add(Binder binder) { binders_.push_back(std::move(binder)); }

  // Builds the schema, binds every module, installs the directive checks and the /graphql
  // routes. Throws graphql::SchemaError when the embedded SDL is broken.
  void install(net::Server& server);

  // The event sources of the Subscription fields, by field name; modules add theirs before
  // install(), transports read them.
  graphql::SubscriptionSources& subscription_sources() { return subscription_sources_; }
  const graphql::SubscriptionSources& subscription_sources() const { return subscription_sources_; }

  // The executor, for other transports (WebSocket subscriptions).
  const graphql::Executor& executor() const { return *executor_; }
  std::shared_ptr<graphql::Executor> shared_executor() const { return executor_; }

  // The bus mutations publish their events on; set before serving.
  void use_event_bus(events::EventBus& bus) { events_ = &bus; }

  // Builds the context of one request.
  RequestContext make_context(const auth::AuthContext& caller, std::string request_id) const;

 private:
  boost::asio::awaitable<void> handle_post(net::Exchange& ex);
  boost::asio::awaitable<void> handle_get(net::Exchange& ex);

  const Config& config_;
  db::Database& database_;
  std::vector<Binder> binders_;
  std::shared_ptr<graphql::Schema> schema_;
  std::shared_ptr<graphql::Executor> executor_;
  graphql::SubscriptionSources subscription_sources_;
  events::EventBus* events_ = nullptr;
  QueryIde ide_;
};

// The SDL texts compiled into the binary, base file first.
std::vector<std::string_view> embedded_sdl();

// Installs the checks of @hasScope, @hasScopes, @hasServerRole, @hasStreamRole and @isOwner,
// and the translation of stipple::Error into GraphQL errors, as resolver wrappers.
void install_directive_checks(graphql::Schema& schema);

// The checks of a field's @hasServerRole and @hasScope(s) for `caller` (those that need no parent
// object); throws graphql::Error UNAUTHORIZED or FORBIDDEN. Subscriptions run them when they open.
void check_field_access(const graphql::FieldDef& field, const auth::AuthContext& caller);

// Server role weights: admin 1000, user 100, guest 50, archived user 10; 0 for none.
int server_role_weight(std::string_view role);

}  // namespace stipple::api
