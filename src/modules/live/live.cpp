#include "modules/live/live.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "base/error.h"
#include "base/log.h"
#include "db/database.h"
#include "modules/api/graphql_api.h"
#include "modules/events/bus_stream.h"
#include "modules/events/event_bus.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_service.h"
#include "net/server.h"

namespace stipple::live {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// Channels, named after upstream's pub/sub triggers.
constexpr std::string_view kProjectUpdated = "PROJECT_UPDATED";
constexpr std::string_view kUserProjectsUpdated = "USER_PROJECTS_UPDATED";
constexpr std::string_view kProjectModelsUpdated = "PROJECT_MODELS_UPDATED";
constexpr std::string_view kProjectVersionsUpdated = "PROJECT_VERSIONS_UPDATED";
constexpr std::string_view kPreviewGenerated = "PROJECT_VERSIONS_PREVIEW_GENERATED";
constexpr std::string_view kPing = "PING";
constexpr std::string_view kUserStreamAdded = "USER_STREAM_ADDED";
constexpr std::string_view kUserStreamRemoved = "USER_STREAM_REMOVED";
constexpr std::string_view kStreamUpdated = "STREAM_UPDATED";
constexpr std::string_view kStreamDeleted = "STREAM_DELETED";
constexpr std::string_view kBranchCreated = "BRANCH_CREATED";
constexpr std::string_view kBranchUpdated = "BRANCH_UPDATED";
constexpr std::string_view kBranchDeleted = "BRANCH_DELETED";
constexpr std::string_view kCommitCreated = "COMMIT_CREATED";
constexpr std::string_view kCommitUpdated = "COMMIT_UPDATED";
constexpr std::string_view kCommitDeleted = "COMMIT_DELETED";

void publish(api::RequestContext& request, std::string_view channel, json::object event) {
  if (request.events) request.events->publish(channel, event);
}

json::object event(const std::string& project_id, json::value message) {
  return json::object{{"projectId", project_id}, {"message", std::move(message)}};
}

std::string string_member(const json::value& value, std::string_view key) {
  if (const auto* object = value.if_object()) {
    if (const auto* member = object->if_contains(key); member && member->is_string()) {
      return std::string(member->as_string());
    }
  }
  return {};
}

// The legacy JSON payloads carry the public members of the new forms ("_" members are internal).
json::object public_members(const json::value& value) {
  json::object out;
  if (const auto* object = value.if_object()) {
    for (const auto& [key, member] : *object) {
      if (!key.starts_with("_")) out[key] = member;
    }
  }
  return out;
}

// An optional extra condition on an event, given the subscription's arguments.
using Match = std::function<bool(const json::value& event, const json::object& arguments)>;

std::optional<json::value> message_of(const json::value& event) {
  const auto* message = event.as_object().if_contains("message");
  return message ? std::optional<json::value>(*message) : std::nullopt;
}

// A subscription to the events of one project, named by argument `id_argument`.
graphql::SubscriptionSource project_source(events::EventBus& bus, db::Database& database,
                                           std::string_view channel, std::string id_argument,
                                           Match match = {}) {
  return [&bus, &database, channel = std::string(channel), id_argument, match](
             const graphql::Subscription& subscription,
             const std::any& context) -> asio::awaitable<std::unique_ptr<graphql::EventStream>> {
    const auto& request = std::any_cast<const api::RequestContext&>(context);
    const auto* id = subscription.arguments.if_contains(id_argument);
    const std::string project_id = id && id->is_string() ? std::string(id->as_string()) : "";

    // Only callers who may read the project hear about it.
    if (!project_id.empty()) {
      const auth::AuthContext& caller = request.caller;
      auto check = [&caller, &project_id](db::Connection& conn) {
        projects::read_project(conn, caller, project_id);
      };
      try {
        co_await database.run(std::ref(check));
      } catch (const Error& e) {
        throw graphql::Error(e.what(), e.code());
      }
    }

    const json::object arguments = subscription.arguments;
    events::EventFilter filter = [project_id, match,
                                  arguments](const json::value& e) -> std::optional<json::value> {
      if (project_id.empty() || string_member(e, "projectId") != project_id) return std::nullopt;
      if (match && !match(e, arguments)) return std::nullopt;
      return message_of(e);
    };
    auto executor = co_await asio::this_coro::executor;
    co_return events::open_bus_stream(bus, executor, channel, std::move(filter));
  };
}

// A subscription to the events of the caller's own account.
graphql::SubscriptionSource user_source(events::EventBus& bus, std::string_view channel) {
  return [&bus, channel = std::string(channel)](
             const graphql::Subscription&,
             const std::any& context) -> asio::awaitable<std::unique_ptr<graphql::EventStream>> {
    const auto& request = std::any_cast<const api::RequestContext&>(context);
    const std::string user_id = request.caller.user_id;
    events::EventFilter filter = [user_id](const json::value& e) -> std::optional<json::value> {
      if (user_id.empty() || string_member(e, "userId") != user_id) return std::nullopt;
      return message_of(e);
    };
    auto executor = co_await asio::this_coro::executor;
    co_return events::open_bus_stream(bus, executor, channel, std::move(filter));
  };
}

// Matches when the argument `argument` is absent or null, or equals the event's `key`.
Match optional_equal(std::string argument, std::string key) {
  return [argument, key](const json::value& e, const json::object& arguments) {
    const auto* wanted = arguments.if_contains(argument);
    if (!wanted || wanted->is_null()) return true;
    return wanted->is_string() && string_member(e, key) == wanted->as_string();
  };
}

}  // namespace

// --- announcing ----------------------------------------------------------------------------------

void announce_project(api::RequestContext& request, std::string_view type,
                      const std::string& project_id, const json::value& legacy_update) {
  publish(
      request, kProjectUpdated,
      event(project_id, json::object{{"type", type}, {"id", project_id}, {"project", nullptr}}));
  if (type == "DELETED") {
    publish(request, kStreamDeleted, event(project_id, json::object{{"streamId", project_id}}));
  } else {
    publish(request, kStreamUpdated, event(project_id, legacy_update));
  }
}

void announce_user_project(api::RequestContext& request, std::string_view type,
                           const std::string& user_id, const std::string& project_id) {
  auto message = json::object{{"type", type}, {"id", project_id}, {"project", nullptr}};
  auto e = event(project_id, std::move(message));
  e["userId"] = user_id;
  publish(request, kUserProjectsUpdated, std::move(e));

  auto legacy = event(project_id, json::object{{"id", project_id}});
  legacy["userId"] = user_id;
  if (type == "ADDED" && request.caller.user_id != user_id) {
    legacy["message"].as_object()["sharedBy"] = request.caller.user_id;
  }
  publish(request, type == "ADDED" ? kUserStreamAdded : kUserStreamRemoved, std::move(legacy));
}

void announce_model(api::RequestContext& request, std::string_view type,
                    const std::string& project_id, const std::string& model_id,
                    const json::value& model) {
  auto e = event(project_id, json::object{{"type", type}, {"id", model_id}, {"model", model}});
  e["modelId"] = model_id;
  publish(request, kProjectModelsUpdated, std::move(e));

  json::object legacy = public_members(model);
  legacy["id"] = model_id;
  legacy["streamId"] = project_id;
  if (type == "CREATED") {
    legacy["authorId"] = request.caller.user_id;
    publish(request, kBranchCreated, event(project_id, std::move(legacy)));
  } else if (type == "UPDATED") {
    auto updated = event(project_id, std::move(legacy));
    updated["branchId"] = model_id;
    publish(request, kBranchUpdated, std::move(updated));
  } else {
    publish(request, kBranchDeleted, event(project_id, std::move(legacy)));
  }
}

void announce_version(api::RequestContext& request, std::string_view type,
                      const std::string& project_id, const std::string& model_id,
                      const std::string& version_id, const json::value& version) {
  auto e =
      event(project_id,
            json::object{
                {"type", type}, {"id", version_id}, {"version", version}, {"modelId", model_id}});
  publish(request, kProjectVersionsUpdated, std::move(e));

  json::object legacy = public_members(version);
  legacy["id"] = version_id;
  legacy["streamId"] = project_id;
  if (const auto* object = version.if_object()) {
    if (const auto* author = object->if_contains("_authorId")) legacy["authorId"] = *author;
    if (const auto* referenced = object->if_contains("referencedObject")) {
      legacy["objectId"] = *referenced;
    }
  }
  auto legacy_event = event(project_id, std::move(legacy));
  legacy_event["commitId"] = version_id;
  const auto channel = type == "CREATED"   ? kCommitCreated
                       : type == "UPDATED" ? kCommitUpdated
                                           : kCommitDeleted;
  publish(request, channel, std::move(legacy_event));
}

void publish_ping(events::EventBus& bus, std::string_view text) {
  bus.publish(kPing, json::object{{"message", text}});
}

void register_test_routes(net::Server& server, events::EventBus& bus) {
  server.post("/api/_test/ping", [&bus](net::Exchange& ex) -> asio::awaitable<void> {
    publish_ping(bus, ex.body());
    ex.respond_json(net::http::status::ok, json::object{{"listeners", bus.listener_count()}});
    co_return;
  });
  // How many event listeners this process holds: tests wait for their subscriptions to open.
  server.get("/api/_test/listeners", [&bus](net::Exchange& ex) -> asio::awaitable<void> {
    ex.respond_json(net::http::status::ok, json::object{{"listeners", bus.listener_count()}});
    co_return;
  });
}

// --- subscribing ---------------------------------------------------------------------------------

void add_sources(graphql::SubscriptionSources& sources, events::EventBus& bus,
                 db::Database& database) {
  sources.add("projectUpdated", project_source(bus, database, kProjectUpdated, "id"));
  sources.add("projectModelsUpdated",
              project_source(bus, database, kProjectModelsUpdated, "id",
                             [](const json::value& e, const json::object& arguments) {
                               const auto* ids = arguments.if_contains("modelIds");
                               if (!ids || !ids->is_array() || ids->as_array().empty()) {
                                 return true;
                               }
                               const std::string model_id = string_member(e, "modelId");
                               for (const auto& id : ids->as_array()) {
                                 if (id.is_string() && id.as_string() == model_id) return true;
                               }
                               return false;
                             }));
  sources.add("projectVersionsUpdated",
              project_source(bus, database, kProjectVersionsUpdated, "id"));
  sources.add("projectVersionsPreviewGenerated",
              project_source(bus, database, kPreviewGenerated, "id"));
  sources.add("userProjectsUpdated", user_source(bus, kUserProjectsUpdated));
  sources.add("userStreamAdded", user_source(bus, kUserStreamAdded));
  sources.add("userStreamRemoved", user_source(bus, kUserStreamRemoved));
  sources.add("streamUpdated", project_source(bus, database, kStreamUpdated, "streamId"));
  sources.add("streamDeleted", project_source(bus, database, kStreamDeleted, "streamId"));
  sources.add("branchCreated", project_source(bus, database, kBranchCreated, "streamId"));
  sources.add("branchUpdated", project_source(bus, database, kBranchUpdated, "streamId",
                                              optional_equal("branchId", "branchId")));
  sources.add("branchDeleted", project_source(bus, database, kBranchDeleted, "streamId"));
  sources.add("commitCreated", project_source(bus, database, kCommitCreated, "streamId"));
  sources.add("commitUpdated", project_source(bus, database, kCommitUpdated, "streamId",
                                              optional_equal("commitId", "commitId")));
  sources.add("commitDeleted", project_source(bus, database, kCommitDeleted, "streamId"));

  sources.add("ping",
              [&bus](const graphql::Subscription&,
                     const std::any&) -> asio::awaitable<std::unique_ptr<graphql::EventStream>> {
                events::EventFilter filter = [](const json::value& e) { return message_of(e); };
                auto executor = co_await asio::this_coro::executor;
                co_return events::open_bus_stream(bus, executor, std::string(kPing),
                                                  std::move(filter));
              });
}

void bind(graphql::Schema& schema) {
  // A message's project, as the subscriber sees it (its own role); null once deleted.
  const auto project = [](graphql::ResolveContext& ctx) -> asio::awaitable<json::value> {
    const std::string type = string_member(ctx.parent, "type");
    if (type == "DELETED" || type == "REMOVED") co_return nullptr;
    const std::string id = string_member(ctx.parent, "id");
    const auto p = co_await core_graphql::readable_project(ctx, id);
    co_return core_graphql::project_json(p.project, p.role);
  };
  schema.resolve("ProjectUpdatedMessage", "project", project);
  schema.resolve("UserProjectsUpdatedMessage", "project", project);
}

}  // namespace stipple::live
