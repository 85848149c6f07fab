#include "modules/disabled/disabled_modules.h"

#include <boost/asio/this_coro.hpp>
#include <string_view>

#include "base/error.h"
#include "graphql/subscription_source.h"
#include "modules/events/bus_stream.h"

namespace stipple::disabled_modules {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;

namespace {

// The errors of upstream's switched-off modules: code, message, HTTP status.
struct Refusal {
  std::string_view code;
  std::string_view message;
  int status;
};
constexpr Refusal kWorkspaces{"WORKSPACES_MODULE_DISABLED_ERROR",
                              "Workspaces are not enabled on this server", 403};
constexpr Refusal kGatekeeper{"GATEKEEPER_MODULE_DISABLED_ERROR",
                              "Gatekeeper module is not enabled on this server", 403};
constexpr Refusal kAutomate{"AUTOMATE_API_DISABLED", "Automate module is disabled", 423};
constexpr Refusal kDashboards{"DASHBOARDS_MODULE_DISABLED", "Dashboards module is disabled", 423};
constexpr Refusal kAcc{"ACC_MODULE_DISABLED", "ACC integration module is disabled", 423};
constexpr Refusal kSavedViews{"NOT_IMPLEMENTED_ERROR", "Saved views are disabled on this server",
                              501};

struct Refused {
  std::string_view type;
  std::string_view field;
  const Refusal* refusal;
};
constexpr Refused kRefused[] = {
    {"Query", "workspace", &kWorkspaces},
    {"Query", "workspaceBySlug", &kWorkspaces},
    {"Query", "workspaceInvite", &kWorkspaces},
    {"Mutation", "workspaceJoinRequestMutations", &kWorkspaces},
    {"WorkspaceMutations", "create", &kWorkspaces},
    {"WorkspaceMutations", "delete", &kWorkspaces},
    {"WorkspaceMutations", "update", &kWorkspaces},
    {"WorkspaceMutations", "updateRole", &kWorkspaces},
    {"WorkspaceMutations", "addDomain", &kWorkspaces},
    {"WorkspaceMutations", "deleteDomain", &kWorkspaces},
    {"WorkspaceMutations", "leave", &kWorkspaces},
    {"WorkspaceMutations", "setDefaultRegion", &kWorkspaces},
    {"WorkspaceMutations", "billing", &kGatekeeper},
    {"WorkspaceMutations", "updateSeatType", &kGatekeeper},
    {"WorkspaceInviteMutations", "create", &kWorkspaces},
    {"WorkspaceInviteMutations", "batchCreate", &kWorkspaces},
    {"WorkspaceInviteMutations", "use", &kWorkspaces},
    {"WorkspaceInviteMutations", "resend", &kWorkspaces},
    {"WorkspaceInviteMutations", "cancel", &kWorkspaces},
    {"User", "workspaces", &kWorkspaces},
    {"User", "discoverableWorkspaces", &kWorkspaces},
    {"User", "workspaceInvites", &kWorkspaces},
    {"User", "workspaceJoinRequests", &kWorkspaces},
    {"AdminQueries", "workspaceList", &kWorkspaces},
    {"ProjectCollaborator", "workspaceRole", &kWorkspaces},
    {"ActiveUserMutations", "setActiveWorkspace", &kWorkspaces},
    {"Query", "automateFunction", &kAutomate},
    {"Query", "automateValidateAuthCode", &kAutomate},
    {"Mutation", "automateFunctionRunStatusReport", &kAutomate},
    {"AutomateMutations", "createFunction", &kAutomate},
    {"AutomateMutations", "updateFunction", &kAutomate},
    {"Project", "automation", &kAutomate},
    {"User", "automateInfo", &kAutomate},
    {"Query", "dashboard", &kDashboards},
    {"Mutation", "dashboardMutations", &kDashboards},
    {"AccSyncItemMutations", "create", &kAcc},
    {"AccSyncItemMutations", "update", &kAcc},
    {"AccSyncItemMutations", "delete", &kAcc},
    {"Project", "accSyncItems", &kAcc},
    {"Project", "accSyncItem", &kAcc},
    {"Project", "savedViewGroups", &kSavedViews},
    {"Project", "savedViewGroup", &kSavedViews},
    {"Project", "ungroupedViewGroup", &kSavedViews},
    {"Project", "savedView", &kSavedViews},
    {"ProjectMutations", "savedViewMutations", &kSavedViews},
};

// Fields that answer a fixed value: namespaces ({}), "none" (null, []) and fixed settings.
struct Fixed {
  std::string_view type;
  std::string_view field;
  std::string_view json;
};
constexpr Fixed kFixed[] = {
    {"Mutation", "workspaceMutations", "{}"},
    {"WorkspaceMutations", "invites", "{}"},
    {"Project", "workspace", "null"},
    {"Project", "embedOptions", R"({"hideSpeckleBranding":false})"},
    {"User", "expiredSsoSessions", "[]"},
    {"LimitedUser", "workspaceDomainPolicyCompliant", "null"},
    {"LimitedUser", "workspaceRole", "null"},
    {"ServerInfo", "workspaces", R"({"workspacesEnabled":false})"},
    {"ServerWorkspacesInfo", "workspacesEnabled", "false"},
    {"Mutation", "automateMutations", "{}"},
    {"ServerInfo", "automate", R"({"availableFunctionTemplates":[]})"},
    {"Mutation", "accSyncItemMutations", "{}"},
    {"Model", "accSyncItem", "null"},
    {"Project", "savedViewIfExists", "null"},
    {"Model", "homeView", "null"},
    {"Mutation", "serverInfoMutations", "{}"},
    {"ServerInfoMutations", "multiRegion", "{}"},
    {"ServerInfo", "multiRegion", "{}"},
    {"ServerMultiRegionConfiguration", "availableKeys", "[]"},
    {"ServerMultiRegionConfiguration", "regions", "[]"},
};

// Subscriptions upstream accepts with the module off and never feeds.
constexpr std::string_view kSilentSubscriptions[] = {
    "workspaceProjectsUpdated",
    "workspaceUpdated",
    "projectTriggeredAutomationsStatusUpdated",
    "projectAutomationsUpdated",
    "projectSavedViewsUpdated",
    "projectSavedViewGroupsUpdated",
    "projectAccSyncItemsUpdated",
};

}  // namespace

api::Binder binder() {
  return [](graphql::Schema& schema) {
    for (const auto& entry : kRefused) {
      const Refusal refusal = *entry.refusal;
      schema.resolve_sync(entry.type, entry.field, [refusal](ResolveContext&) -> json::value {
        throw Error(std::string(refusal.code), std::string(refusal.message), refusal.status);
      });
    }
    for (const auto& entry : kFixed) {
      json::value value = json::parse(entry.json);
      schema.resolve_sync(entry.type, entry.field,
                          [value](ResolveContext&) -> json::value { return value; });
    }
  };
}

void add_sources(graphql::SubscriptionSources& sources, events::EventBus& bus) {
  for (const auto name : kSilentSubscriptions) {
    // A channel nobody publishes on, and a filter that drops anything that still arrives.
    const std::string channel = "disabled." + std::string(name);
    sources.add(
        std::string(name),
        [&bus, channel](const graphql::Subscription&,
                        const std::any&) -> asio::awaitable<std::unique_ptr<graphql::EventStream>> {
          events::EventFilter none = [](const json::value&) -> std::optional<json::value> {
            return std::nullopt;
          };
          auto executor = co_await asio::this_coro::executor;
          co_return events::open_bus_stream(bus, executor, channel, std::move(none));
        });
  }
}

}  // namespace stipple::disabled_modules
