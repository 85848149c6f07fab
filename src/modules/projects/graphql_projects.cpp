// GraphQL resolvers of projects: serverInfo, project(id), projectMutations (with invites), the
// project's team and permissions, the caller's project lists, and the legacy stream API.
#include <algorithm>
#include <functional>
#include <unordered_map>

#include "base/error.h"
#include "graphql/loader.h"
#include "modules/auth/strategies.h"
#include "modules/live/live.h"
#include "modules/models/model_repository.h"
#include "modules/projects/graphql_support.h"
#include "modules/projects/project_repository.h"
#include "modules/projects/project_service.h"
#include "modules/users/users.h"
#include "modules/versions/version_repository.h"

namespace stipple::core_graphql {
namespace {

using graphql::ResolveContext;
using projects::ProjectWithRole;

constexpr int64_t kUploadLimitBytes = 104857600;

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  return s;
}

json::value opt_json(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

using UserLoader = graphql::Loader<std::string, json::value>;

UserLoader& user_loader(ResolveContext& ctx) {
  auto& req = request(ctx);
  db::Database* database = req.database;
  return req.get_or_make<UserLoader>("core.users", [database] {
    return new UserLoader(
        [database](std::vector<std::string> ids) -> asio::awaitable<std::vector<json::value>> {
          // Not handled yet: a single IN query; the users module offers look-ups by one id, so
          // the batch costs one pool round trip but one query per user.
          const auto load = [ids](db::Connection& conn) {
            std::vector<json::value> out;
            for (const auto& id : ids) {
              const auto user = users::find_user_by_id(conn, id);
              if (!user) {
                out.emplace_back(nullptr);
                continue;
              }
              out.push_back(json::object{{"id", user->id},
                                         {"name", user->name},
                                         {"bio", opt_json(user->bio)},
                                         {"company", opt_json(user->company)},
                                         {"avatar", opt_json(user->avatar)},
                                         {"verified", user->verified},
                                         {"role", user->role}});
            }
            return out;
          };
          co_return co_await database->run(std::ref(load));
        });
  });
}

// Team and invites of a project, loaded for every project of the request at once.
using TeamLoader = graphql::Loader<std::string, json::value>;

TeamLoader& team_loader(ResolveContext& ctx) {
  auto& req = request(ctx);
  db::Database* database = req.database;
  return req.get_or_make<TeamLoader>("core.team", [database] {
    return new TeamLoader(
        [database](std::vector<std::string> ids) -> asio::awaitable<std::vector<json::value>> {
          const auto load = [ids](db::Connection& conn) {
            std::unordered_map<std::string, json::array> by_project;
            for (const auto& c : projects::list_collaborators(conn, ids)) {
              by_project[c.project_id].push_back(
                  json::object{{"id", c.user_id}, {"role", c.role}, {"_userId", c.user_id}});
            }
            std::vector<json::value> out;
            for (const auto& id : ids) out.emplace_back(std::move(by_project[id]));
            return out;
          };
          co_return co_await database->run(std::ref(load));
        });
  });
}

json::object invite_json(const projects::Invite& invite, const projects::Project& project) {
  return json::object{{"id", invite.id},
                      {"inviteId", invite.id},
                      {"projectId", project.id},
                      {"projectName", project.name},
                      {"streamId", project.id},
                      {"streamName", project.name},
                      {"role", invite.role},
                      {"token", invite.token},
                      {"_userId", opt_json(invite.user_id)},
                      {"_email", opt_json(invite.email)},
                      {"_inviterId", invite.inviter_id}};
}

// Runs a service call that returns a project and answers the project as the caller sees it.
// Not a coroutine itself: GCC 12 mishandles coroutines that take a lambda by value.
template <class F>
asio::awaitable<json::value> project_result(ResolveContext& ctx, F work) {
  auto& req = request(ctx);
  return req.database->run([caller = req.caller, work](db::Connection& conn) -> json::value {
    const projects::Project project = work(conn, caller);
    const auto role = projects::find_role(conn, project.id, caller.user_id);
    return project_json(project, role.value_or(""));
  });
}

// --- serverInfo -------------------------------------------------------------------------------

json::value server_info(const Config& config, db::Connection& conn) {
  const auto row = conn.query(
      "SELECT name, company, description, admin_contact, terms_of_service, invite_only, "
      "guest_mode_enabled FROM server_config WHERE id = 0")[0];
  const auto scope = [](const char* name, const char* description) {
    return json::object{{"name", name}, {"description", description}};
  };
  const auto role = [](const char* name, const char* description) {
    return json::object{
        {"name", name}, {"description", description}, {"resourceTarget", "streams"}};
  };
  return json::object{
      {"name", row.text(0)},
      {"company", row.text(1)},
      {"description", row.text(2)},
      {"adminContact", row.text(3)},
      {"termsOfService", row.text(4)},
      {"canonicalUrl", config.canonical_url},
      {"inviteOnly", row.boolean(5)},
      {"guestModeEnabled", row.boolean(6)},
      {"version", config.server_version.empty() ? "dev" : config.server_version},
      {"automateUrl", nullptr},
      {"migration", nullptr},
      {"enableNewWebUiMessaging", false},
      {"blobSizeLimitBytes", kUploadLimitBytes},
      {"configuration", json::object{{"objectSizeLimitBytes", kUploadLimitBytes},
                                     {"objectMultipartUploadSizeLimitBytes", kUploadLimitBytes},
                                     {"blobSizeLimitBytes", kUploadLimitBytes},
                                     {"isEmailEnabled", config.uses_smtp()},
                                     {"emailVerificationTimeoutMinutes", 5}}},
      {"workspaces", json::object{{"workspacesEnabled", false}}},
      {"authStrategies", auth::auth_strategies_json(config)},
      {"scopes", json::array{scope("streams:read",
                                   "Read your streams, and any associated information (branches, "
                                   "commits, objects)."),
                             scope("streams:write",
                                   "Create streams on your behalf, and any associated data "
                                   "(branches, commits, objects)."),
                             scope("profile:read", "Read your profile information."),
                             scope("profile:write", "Make actions on your profile."),
                             scope("profile:email", "Read the email address you registered with."),
                             scope("users:read", "Read other users' profiles."),
                             scope("server:stats",
                                   "Request server stats from the API. Only works in conjunction "
                                   "with a \"server:admin\" role.")}},
      {"roles",
       json::array{role("stream:owner",
                        "Can edit project, including settings, collaborators and all "
                        "models"),
                   role("stream:contributor",
                        "Can publish and load models from connectors and view and "
                        "comment in the web viewer"),
                   role("stream:reviewer", "Can view and comment on models in the web viewer")}},
      {"serverRoles",
       json::array{json::object{{"id", "server:admin"}, {"title", "Admin"}},
                   json::object{{"id", "server:user"}, {"title", "User"}},
                   json::object{{"id", "server:archived-user"}, {"title", "Archived"}}}},
  };
}

// serverInfoUpdate: writes the settings given and marks the server's setup completed. A setting
// left out keeps its value. Not handled: a setting given as null also keeps its value, where
// upstream stores the null (Stipple's columns hold no nulls).
void update_server_info(db::Connection& conn, const json::object& info) {
  static constexpr std::pair<const char*, const char*> kTexts[] = {
      {"name", "name"},
      {"company", "company"},
      {"description", "description"},
      {"adminContact", "admin_contact"},
      {"termsOfService", "terms_of_service"}};
  static constexpr std::pair<const char*, const char*> kFlags[] = {
      {"inviteOnly", "invite_only"}, {"guestModeEnabled", "guest_mode_enabled"}};

  std::vector<db::Param> params{true};
  std::string sql = "UPDATE server_config SET completed = $1";
  const auto set = [&](const char* column, db::Param value) {
    params.push_back(value);
    sql += std::string(", ") + column + " = $" + std::to_string(params.size());
  };
  for (const auto& [field, column] : kTexts) {
    const auto* value = info.if_contains(field);
    if (value && value->is_string()) set(column, std::string_view(value->get_string()));
  }
  for (const auto& [field, column] : kFlags) {
    const auto* value = info.if_contains(field);
    if (value && value->is_bool()) set(column, value->get_bool());
  }
  conn.query(sql + " WHERE id = 0", params);
}

// --- project permissions ----------------------------------------------------------------------

json::object refusal(std::string_view code, std::string_view message) {
  return json::object{{"authorized", false},
                      {"code", code},
                      {"message", message},
                      {"payload", nullptr},
                      {"errorMessage", nullptr}};
}

json::value project_permissions(const auth::AuthContext& caller, const ProjectWithRole& p,
                                int64_t owner_count) {
  using projects::Permission;
  const auto contributor = projects::has_role(caller, p, auth::kProjectContributor);
  const auto owner = projects::has_role(caller, p, auth::kProjectOwner);
  auto leave = projects::has_role(caller, p, auth::kProjectReviewer);
  json::object can_leave = permission_json(leave);
  if (leave == Permission::kOk && p.role == auth::kProjectOwner && owner_count <= 1) {
    can_leave = refusal("ProjectLastOwner", "You are the last owner of this project");
  }
  return json::object{{"canRead", permission_json(projects::can_read(caller, p))},
                      {"canCreateModel", permission_json(contributor)},
                      {"canUpdate", permission_json(owner)},
                      {"canDelete", permission_json(owner)},
                      {"canLoad", permission_json(contributor)},
                      {"canPublish", permission_json(contributor)},
                      {"canInvite", permission_json(owner)},
                      {"canLeave", can_leave},
                      {"canReadSettings", permission_json(owner)},
                      {"canReadWebhooks", permission_json(owner)},
                      {"canUpdateAllowPublicComments", permission_json(owner)},
                      {"canRequestRender", permission_json(contributor)},
                      {"canCreateComment", permission_json(projects::can_read(caller, p))},
                      {"canBroadcastActivity", permission_json(projects::can_read(caller, p))},
                      {"canCreateAutomation", permission_json(owner)},
                      // Switched-off modules (modules/disabled) answer as upstream's do.
                      {"canCreateSavedView",
                       refusal("SAVED_VIEWS_DISABLED", "Saved views are disabled on this server")},
                      {"canReadAccIntegrationSettings",
                       refusal("AccIntegrationNotEnabled",
                               "The ACC Integration is not enabled on this server or project")}};
}

// The project of a parent Project/Stream value as the caller sees it.
ProjectWithRole parent_project(ResolveContext& ctx) {
  const auto& o = ctx.parent.as_object();
  projects::Project p;
  p.id = std::string(o.at("id").as_string());
  p.visibility = std::string(o.at("_visibility").as_string());
  return ProjectWithRole{p, o.at("role").is_string() ? std::string(o.at("role").as_string()) : ""};
}

// --- bindings ---------------------------------------------------------------------------------

void bind_queries(graphql::Schema& schema) {
  schema.resolve("Query", "serverInfo", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    auto& req = request(ctx);
    const Config* config = req.config;
    const auto work1 = [config](db::Connection& conn) { return server_info(*config, conn); };
    co_return co_await req.database->run(std::ref(work1));
  });

  // The directives let only server admins with the server:setup scope through.
  schema.resolve(
      "Mutation", "serverInfoUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& info = object_arg(ctx, "info");
        const auto update = [&info](db::Connection& conn) { update_server_info(conn, info); };
        co_await request(ctx).database->run(std::ref(update));
        co_return true;
      });

  schema.resolve("Query", "project", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto p = co_await readable_project(ctx, std::string(ctx.args.at("id").as_string()));
    co_return project_json(p.project, p.role);
  });

  // Legacy stream(id): the same project, with the legacy error message for no access.
  schema.resolve("Query", "stream", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const std::string id(ctx.args.at("id").as_string());
    auto& req = request(ctx);
    const auto caller = req.caller;
    const auto work2 = [caller, id](db::Connection& conn) {
      return projects::load_project(conn, caller, id);
    };
    const auto p = co_await req.database->run(std::ref(work2));
    if (projects::can_read(caller, p) != projects::Permission::kOk) {
      throw forbidden("You are not authorized to access this resource.");
    }
    co_return project_json(p.project, p.role);
  });

  schema.resolve("Query", "streams", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    auto& req = request(ctx);
    if (!req.caller.authenticated) co_return nullptr;
    projects::UserProjectsQuery query;
    query.user_id = req.caller.user_id;
    query.limit = opt_int(ctx.args, "limit").value_or(25);
    if (auto cursor = opt_string(ctx.args, "cursor"))
      query.after = projects::decode_cursor(*cursor);
    if (auto search = opt_string(ctx.args, "query")) query.search = search;
    const auto work3 = [query](db::Connection& conn) -> json::value {
      return page_json(projects::list_user_projects(conn, query),
                       [](const ProjectWithRole& p) { return project_json(p.project, p.role); });
    };
    co_return co_await req.database->run(std::ref(work3));
  });
}

void bind_project_fields(graphql::Schema& schema) {
  schema.resolve("Project", "team", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return co_await team_loader(ctx).load(parent_string(ctx, "id"));
  });
  schema.resolve("ProjectCollaborator", "user",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   co_return co_await load_limited_user(ctx, parent_string(ctx, "_userId"));
                 });

  schema.resolve("Project", "invitedTeam", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    auto& req = request(ctx);
    const auto id = parent_string(ctx, "id");
    const auto work4 = [id](db::Connection& conn) -> json::value {
      const auto project = projects::find_project(conn, id);
      json::array out;
      if (!project) return out;
      for (const auto& i : projects::list_project_invites(conn, {id})) {
        out.push_back(invite_json(i, *project));
      }
      return out;
    };
    co_return co_await req.database->run(std::ref(work4));
  });
  const auto invite_title = [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto& o = ctx.parent.as_object();
    if (o.at("_userId").is_string()) {
      const auto user = co_await load_limited_user(ctx, std::string(o.at("_userId").as_string()));
      if (user.is_object()) co_return user.as_object().at("name");
    }
    co_return o.at("_email");
  };
  schema.resolve("PendingStreamCollaborator", "title", invite_title);
  schema.resolve("PendingStreamCollaborator", "user",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& id = ctx.parent.as_object().at("_userId");
                   if (!id.is_string()) co_return nullptr;
                   co_return co_await load_limited_user(ctx, std::string(id.as_string()));
                 });
  schema.resolve("PendingStreamCollaborator", "invitedBy",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   co_return co_await load_limited_user(ctx, parent_string(ctx, "_inviterId"));
                 });
  // The token is only shown to the invitee.
  schema.resolve(
      "PendingStreamCollaborator", "token",
      [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& o = ctx.parent.as_object();
        const auto& caller = request(ctx).caller;
        if (o.at("_userId").is_string() && o.at("_userId").as_string() == caller.user_id) {
          co_return o.at("token");
        }
        co_return nullptr;
      });

  schema.resolve("Project", "sourceApps", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto id = parent_string(ctx, "id");
    const auto work5 = [id](db::Connection& conn) -> json::value {
      json::array out;
      for (auto& app : versions::project_source_apps(conn, id)) out.emplace_back(app);
      return out;
    };
    co_return co_await request(ctx).database->run(std::ref(work5));
  });

  schema.resolve("Project", "permissions", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto project = parent_project(ctx);
    const auto caller = request(ctx).caller;
    const auto work6 = [caller, project](db::Connection& conn) {
      const auto owners = projects::count_role(conn, project.project.id, auth::kProjectOwner);
      return project_permissions(caller, project, owners);
    };
    co_return co_await request(ctx).database->run(std::ref(work6));
  });

  // Legacy Stream fields over the same project value.
  schema.resolve_sync("Stream", "isPublic", [](ResolveContext& ctx) -> json::value {
    return ctx.parent.as_object().at("_visibility").as_string() == "public";
  });
  schema.resolve_sync("Stream", "isDiscoverable",
                      [](ResolveContext&) -> json::value { return false; });
  schema.resolve(
      "Stream", "collaborators", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto team = co_await team_loader(ctx).load(parent_string(ctx, "id"));
        json::array out;
        for (const auto& member : team.as_array()) {
          const auto& m = member.as_object();
          auto user = co_await load_limited_user(ctx, std::string(m.at("_userId").as_string()));
          json::object entry = user.is_object() ? user.as_object() : json::object{};
          entry["role"] = m.at("role");
          out.push_back(std::move(entry));
        }
        co_return out;
      });
}

std::string parent_string_of(const json::value& value, std::string_view key) {
  return std::string(value.as_object().at(key).as_string());
}

// Tells live subscribers that projects are gone, and every former member that they lost them.
void announce_deleted(ResolveContext& ctx, const std::vector<std::string>& ids,
                      const std::vector<projects::Collaborator>& members) {
  auto& req = request(ctx);
  for (const auto& id : ids) live::announce_project(req, "DELETED", id, nullptr);
  for (const auto& member : members) {
    live::announce_user_project(req, "REMOVED", member.user_id, member.project_id);
  }
}

// Stores the invites in order (stopping at the first refused one) and answers the project.
asio::awaitable<json::value> create_invites(ResolveContext& ctx, const std::string& project_id,
                                            const std::vector<projects::NewInvite>& inputs,
                                            const InviteListener& on_invite) {
  const auto now = now_ms();
  const auto work13 = [&project_id, &inputs, &on_invite, now](db::Connection& c,
                                                              const auto& caller) {
    for (const auto& input : inputs) {
      const auto invite = projects::create_invite(c, caller, project_id, input, now);
      if (on_invite) on_invite(c, invite);
    }
    return *projects::find_project(c, project_id);
  };
  co_return co_await project_result(ctx, std::ref(work13));
}

void bind_project_mutations(graphql::Schema& schema, const InviteListener& on_invite) {
  const auto empty = [](ResolveContext&) -> json::value { return json::object{}; };
  schema.resolve_sync("Mutation", "projectMutations", empty);
  schema.resolve_sync("ProjectMutations", "invites", empty);

  schema.resolve("ProjectMutations", "create",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   projects::NewProject input;
                   if (const auto* i = ctx.arg("input"); i && i->is_object()) {
                     input.name = opt_string(i->as_object(), "name");
                     input.description = opt_string(i->as_object(), "description");
                     input.visibility = opt_string(i->as_object(), "visibility");
                   }
                   const auto now = now_ms();
                   const auto work7 = [input, now](db::Connection& c, const auto& caller) {
                     return projects::create_project(c, caller, input, now);
                   };
                   auto project = co_await project_result(ctx, std::ref(work7));
                   auto& req = request(ctx);
                   live::announce_user_project(req, "ADDED", req.caller.user_id,
                                               parent_string_of(project, "id"));
                   co_return project;
                 });

  schema.resolve(
      "ProjectMutations", "update", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& u = object_arg(ctx, "update");
        projects::ProjectChanges changes{std::string(u.at("id").as_string()), opt_string(u, "name"),
                                         opt_string(u, "description"), opt_string(u, "visibility"),
                                         opt_bool(u, "allowPublicComments")};
        const auto now = now_ms();
        const auto work8 = [changes, now](db::Connection& c, const auto& caller) {
          return projects::update_project(c, caller, changes, now);
        };
        auto project = co_await project_result(ctx, std::ref(work8));
        live::announce_project(request(ctx), "UPDATED", changes.id, u);
        co_return project;
      });

  schema.resolve("ProjectMutations", "delete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string id(ctx.args.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work9 = [caller, id](db::Connection& c) {
                     auto members = projects::list_collaborators(c, std::vector<std::string>{id});
                     projects::delete_project(c, caller, id);
                     return members;
                   };
                   const auto members = co_await request(ctx).database->run(std::ref(work9));
                   announce_deleted(ctx, {id}, members);
                   co_return true;
                 });

  schema.resolve("ProjectMutations", "batchDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto ids = string_list(ctx.args, "ids");
                   const auto caller = request(ctx).caller;
                   const auto work10 = [caller, ids](db::Connection& c) {
                     auto members = projects::list_collaborators(c, ids);
                     projects::batch_delete_projects(c, caller, ids);
                     return members;
                   };
                   const auto members = co_await request(ctx).database->run(std::ref(work10));
                   announce_deleted(ctx, ids, members);
                   co_return true;
                 });

  schema.resolve(
      "ProjectMutations", "updateRole", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& i = object_arg(ctx, "input");
        const std::string project_id(i.at("projectId").as_string());
        const std::string user_id(i.at("userId").as_string());
        const auto role = opt_string(i, "role");
        const auto work11 = [project_id, user_id, role](db::Connection& c, const auto& caller) {
          return projects::update_role(c, caller, project_id, user_id, role);
        };
        auto project = co_await project_result(ctx, std::ref(work11));
        live::announce_user_project(request(ctx), role ? "ADDED" : "REMOVED", user_id, project_id);
        co_return project;
      });

  schema.resolve("ProjectMutations", "leave",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string id(ctx.args.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work12 = [caller, id](db::Connection& c) {
                     projects::leave_project(c, caller, id);
                   };
                   co_await request(ctx).database->run(std::ref(work12));
                   live::announce_user_project(request(ctx), "REMOVED", caller.user_id, id);
                   co_return true;
                 });

  // Invites: each one stored is handed to the listener (which mails it).
  const auto read_invite = [](const json::value& i) {
    const auto& input = i.as_object();
    return projects::NewInvite{opt_string(input, "userId"), opt_string(input, "email"),
                               opt_string(input, "role")};
  };
  schema.resolve("ProjectInviteMutations", "create",
                 [on_invite, read_invite](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string project_id(ctx.args.at("projectId").as_string());
                   const std::vector<projects::NewInvite> inputs{read_invite(ctx.args.at("input"))};
                   co_return co_await create_invites(ctx, project_id, inputs, on_invite);
                 });
  schema.resolve("ProjectInviteMutations", "batchCreate",
                 [on_invite, read_invite](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string project_id(ctx.args.at("projectId").as_string());
                   std::vector<projects::NewInvite> inputs;
                   for (const auto& i : ctx.args.at("input").as_array()) {
                     inputs.push_back(read_invite(i));
                   }
                   co_return co_await create_invites(ctx, project_id, inputs, on_invite);
                 });
  // The legacy forms: one project per input, answering true.
  schema.resolve("Mutation", "streamInviteCreate",
                 [on_invite, read_invite](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& input = ctx.args.at("input");
                   const std::string project_id(input.as_object().at("streamId").as_string());
                   const std::vector<projects::NewInvite> inputs{read_invite(input)};
                   co_await create_invites(ctx, project_id, inputs, on_invite);
                   co_return true;
                 });
  schema.resolve("Mutation", "streamInviteBatchCreate",
                 [on_invite, read_invite](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   for (const auto& input : ctx.args.at("input").as_array()) {
                     const std::string project_id(input.as_object().at("streamId").as_string());
                     const std::vector<projects::NewInvite> inputs{read_invite(input)};
                     co_await create_invites(ctx, project_id, inputs, on_invite);
                   }
                   co_return true;
                 });

  schema.resolve("ProjectInviteMutations", "use",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& i = object_arg(ctx, "input");
                   const std::string project_id(i.at("projectId").as_string());
                   const std::string token(i.at("token").as_string());
                   const bool accept = i.at("accept").as_bool();
                   const auto caller = request(ctx).caller;
                   const auto work14 = [=](db::Connection& c) {
                     projects::use_invite(c, caller, project_id, token, accept);
                   };
                   co_await request(ctx).database->run(std::ref(work14));
                   if (accept) {
                     live::announce_user_project(request(ctx), "ADDED", caller.user_id, project_id);
                   }
                   co_return true;
                 });

  schema.resolve(
      "ProjectInviteMutations", "cancel", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const std::string project_id(ctx.args.at("projectId").as_string());
        const std::string invite_id(ctx.args.at("inviteId").as_string());
        const auto work15 = [project_id, invite_id](db::Connection& c, const auto& caller) {
          projects::cancel_invite(c, caller, project_id, invite_id);
          return *projects::find_project(c, project_id);
        };
        co_return co_await project_result(ctx, std::ref(work15));
      });
}

void bind_legacy_mutations(graphql::Schema& schema) {
  // streamUpdatePermission and streamRevokePermission: projectMutations.updateRole with a role,
  // and without one, answering true.
  const auto legacy_update_role =
      [](ResolveContext& ctx, std::optional<std::string> role) -> asio::awaitable<json::value> {
    const auto& p = object_arg(ctx, "permissionParams");
    const std::string project_id(p.at("streamId").as_string());
    const std::string user_id(p.at("userId").as_string());
    const auto caller = request(ctx).caller;
    const auto work = [&caller, &project_id, &user_id, &role](db::Connection& c) {
      projects::update_role(c, caller, project_id, user_id, role);
    };
    co_await request(ctx).database->run(std::ref(work));
    live::announce_user_project(request(ctx), role ? "ADDED" : "REMOVED", user_id, project_id);
    co_return true;
  };
  schema.resolve("Mutation", "streamUpdatePermission",
                 [legacy_update_role](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& p = object_arg(ctx, "permissionParams");
                   return legacy_update_role(ctx, std::string(p.at("role").as_string()));
                 });
  schema.resolve("Mutation", "streamRevokePermission",
                 [legacy_update_role](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   return legacy_update_role(ctx, std::nullopt);
                 });

  schema.resolve("Mutation", "streamCreate",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto& s = object_arg(ctx, "stream");
                   projects::NewProject input{opt_string(s, "name"), opt_string(s, "description"),
                                              opt_bool(s, "isPublic").value_or(false)
                                                  ? std::optional<std::string>("PUBLIC")
                                                  : std::optional<std::string>("PRIVATE")};
                   const auto now = now_ms();
                   const auto caller = request(ctx).caller;
                   const auto work16 = [=](db::Connection& c) -> json::value {
                     return json::value(projects::create_project(c, caller, input, now).id);
                   };
                   auto id = co_await request(ctx).database->run(std::ref(work16));
                   live::announce_user_project(request(ctx), "ADDED", caller.user_id,
                                               std::string(id.as_string()));
                   co_return id;
                 });

  schema.resolve(
      "Mutation", "streamUpdate", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
        const auto& s = object_arg(ctx, "stream");
        projects::ProjectChanges changes{std::string(s.at("id").as_string()), opt_string(s, "name"),
                                         opt_string(s, "description"), std::nullopt,
                                         opt_bool(s, "allowPublicComments")};
        if (const auto is_public = opt_bool(s, "isPublic")) {
          changes.visibility = *is_public ? "PUBLIC" : "PRIVATE";
        }
        const auto now = now_ms();
        const auto caller = request(ctx).caller;
        const auto work17 = [=](db::Connection& c) {
          projects::update_project(c, caller, changes, now);
        };
        co_await request(ctx).database->run(std::ref(work17));
        live::announce_project(request(ctx), "UPDATED", changes.id, s);
        co_return true;
      });

  schema.resolve("Mutation", "streamDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string id(ctx.args.at("id").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work18 = [caller, id](db::Connection& c) {
                     auto members = projects::list_collaborators(c, std::vector<std::string>{id});
                     projects::delete_project(c, caller, id);
                     return members;
                   };
                   const auto members = co_await request(ctx).database->run(std::ref(work18));
                   announce_deleted(ctx, {id}, members);
                   co_return true;
                 });

  schema.resolve("Mutation", "streamsDelete",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const auto ids = string_list(ctx.args, "ids");
                   const auto caller = request(ctx).caller;
                   const auto work19 = [caller, ids](db::Connection& c) {
                     auto members = projects::list_collaborators(c, ids);
                     projects::batch_delete_projects(c, caller, ids);
                     return members;
                   };
                   const auto members = co_await request(ctx).database->run(std::ref(work19));
                   announce_deleted(ctx, ids, members);
                   co_return true;
                 });

  schema.resolve("Mutation", "streamLeave",
                 [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                   const std::string id(ctx.args.at("streamId").as_string());
                   const auto caller = request(ctx).caller;
                   const auto work20 = [caller, id](db::Connection& c) {
                     projects::leave_project(c, caller, id);
                   };
                   co_await request(ctx).database->run(std::ref(work20));
                   live::announce_user_project(request(ctx), "REMOVED", caller.user_id, id);
                   co_return true;
                 });
}

void bind_user_fields(graphql::Schema& schema) {
  const auto user_projects = [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    auto& req = request(ctx);
    projects::UserProjectsQuery query;
    query.user_id = parent_string(ctx, "id");
    query.limit = opt_int(ctx.args, "limit").value_or(25);
    if (auto cursor = opt_string(ctx.args, "cursor"))
      query.after = projects::decode_cursor(*cursor);
    if (const auto* f = ctx.arg("filter"); f && f->is_object()) {
      query.search = opt_string(f->as_object(), "search");
      query.roles = string_list(f->as_object(), "onlyWithRoles");
    }
    const auto work21 = [query](db::Connection& conn) -> json::value {
      auto page =
          page_json(projects::list_user_projects(conn, query),
                    [](const ProjectWithRole& p) { return project_json(p.project, p.role); });
      page["numberOfHidden"] = 0;
      return page;
    };
    co_return co_await req.database->run(std::ref(work21));
  };
  schema.resolve("User", "projects", user_projects);
  schema.resolve("User", "streams", user_projects);

  schema.resolve("User", "projectInvites", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    const auto user_id = parent_string(ctx, "id");
    const auto work22 = [user_id](db::Connection& conn) -> json::value {
      json::array out;
      for (const auto& i : projects::list_user_invites(conn, user_id)) {
        if (const auto project = projects::find_project(conn, i.project_id)) {
          out.push_back(invite_json(i, *project));
        }
      }
      return out;
    };
    co_return co_await request(ctx).database->run(std::ref(work22));
  });
}

}  // namespace

// --- shared helpers ---------------------------------------------------------------------------

std::string iso_time(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

std::optional<std::string> opt_string(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<int64_t> opt_int(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<int64_t>();
}

std::optional<bool> opt_bool(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::vector<std::string> string_list(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = object.if_contains(key);
  if (!v || !v->is_array()) return out;
  for (const auto& item : v->as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

const json::object& object_arg(graphql::ResolveContext& ctx, std::string_view name) {
  static const json::object kEmpty;
  const auto* v = ctx.arg(name);
  return v && v->is_object() ? v->as_object() : kEmpty;
}

std::string parent_string(graphql::ResolveContext& ctx, std::string_view key) {
  const auto* v = ctx.parent.as_object().if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object project_json(const projects::Project& p, const std::string& role) {
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"description", opt_json(p.description)},
                      {"visibility", upper(p.visibility)},
                      {"allowPublicComments", p.allow_public_comments},
                      {"role", role.empty() ? json::value(nullptr) : json::value(role)},
                      {"createdAt", iso_time(p.created_at)},
                      {"updatedAt", iso_time(p.updated_at)},
                      {"workspaceId", nullptr},
                      {"workspace", nullptr},
                      {"_visibility", p.visibility}};
}

json::object permission_json(projects::Permission permission) {
  const bool ok = permission == projects::Permission::kOk;
  return json::object{{"authorized", ok},
                      {"code", projects::permission_code(permission)},
                      {"message", ok ? "OK" : "You do not have the required permissions"},
                      {"payload", nullptr},
                      {"errorMessage", nullptr}};
}

asio::awaitable<json::value> load_limited_user(graphql::ResolveContext& ctx,
                                               const std::optional<std::string>& user_id) {
  if (!user_id || user_id->empty()) co_return nullptr;
  co_return co_await user_loader(ctx).load(*user_id);
}

asio::awaitable<ProjectWithRole> readable_project(graphql::ResolveContext& ctx,
                                                  const std::string& project_id) {
  auto& req = request(ctx);
  const auto caller = req.caller;
  const auto work23 = [caller, project_id](db::Connection& conn) {
    return projects::read_project(conn, caller, project_id);
  };
  co_return co_await req.database->run(std::ref(work23));
}

void bind_projects(graphql::Schema& schema, const InviteListener& on_invite) {
  bind_queries(schema);
  bind_project_fields(schema);
  bind_project_mutations(schema, on_invite);
  bind_legacy_mutations(schema);
  bind_user_fields(schema);
}

void bind_core(graphql::Schema& schema, const InviteListener& on_invite) {
  bind_projects(schema, on_invite);
  bind_models(schema);
  bind_versions(schema);
  bind_objects(schema);
  bind_viewer(schema);
}

}  // namespace stipple::core_graphql
