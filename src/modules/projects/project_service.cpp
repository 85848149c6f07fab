#include "modules/projects/project_service.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>

#include "base/error.h"
#include "base/ids.h"
#include "modules/activity/activity.h"
#include "modules/models/model_repository.h"
#include "modules/projects/project_repository.h"
#include "modules/users/users.h"

namespace stipple::projects {
namespace {

constexpr std::size_t kInviteIdLength = 20;

boost::json::value optional_json(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

void record_deleted(db::Connection& conn, const auth::AuthContext& caller,
                    std::string_view project_id) {
  const std::string id(project_id);
  activity::record(
      conn, {id, activity::kStream, id, "stream_delete", caller.user_id, {}, "Stream deleted"});
}
constexpr std::size_t kInviteTokenLength = 50;

constexpr std::array<std::string_view, 16> kNameAdjectives = {
    "Speckled", "Purple",  "Spherical", "Golden", "Quiet",   "Bright",  "Curved",  "Hidden",
    "Lofty",    "Crimson", "Floating",  "Silent", "Angular", "Glowing", "Ancient", "Woven"};
constexpr std::array<std::string_view, 16> kNameNouns = {
    "Palace", "Villa",    "Pyramid", "Edifice", "Tower", "Bridge", "Pavilion", "Atrium",
    "Vault",  "Cloister", "Arcade",  "Citadel", "Dome",  "Loggia", "Terrace",  "Spire"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Error not_found_project() {
  return Error("STREAM_NOT_FOUND", "Project not found", 404);
}

bool is_admin(const auth::AuthContext& caller) {
  return caller.authenticated && caller.server_role == auth::kServerAdmin;
}

// Server users and admins may own projects; guests and archived users may not create them.
void require_server_user(const auth::AuthContext& caller) {
  if (!caller.authenticated) throw unauthorized("Must provide an auth token");
  if (caller.server_role != auth::kServerAdmin && caller.server_role != auth::kServerUser) {
    throw forbidden("You do not have the required server role");
  }
}

}  // namespace

ProjectWithRole load_project(db::Connection& conn, const auth::AuthContext& caller,
                             std::string_view project_id) {
  auto found = find_project_with_role(conn, project_id,
                                      caller.authenticated ? caller.user_id : std::string());
  if (!found) throw not_found_project();
  return std::move(*found);
}

ProjectWithRole read_project(db::Connection& conn, const auth::AuthContext& caller,
                             std::string_view project_id) {
  auto project = load_project(conn, caller, project_id);
  require_read(caller, project);
  return project;
}

std::string parse_visibility(std::string_view value) {
  const auto v = upper(value);
  if (v == "PRIVATE") return std::string(kVisibilityPrivate);
  if (v == "PUBLIC" || v == "UNLISTED") return std::string(kVisibilityPublic);
  if (v == "WORKSPACE") return std::string(kVisibilityWorkspace);
  throw bad_request("Unknown project visibility: " + std::string(value));
}

std::string random_project_name() {
  const auto pick = std::stoul(random_hex(4), nullptr, 16);
  return std::string(kNameAdjectives[pick % kNameAdjectives.size()]) + " " +
         std::string(kNameNouns[(pick / kNameAdjectives.size()) % kNameNouns.size()]);
}

Project create_project(db::Connection& conn, const auth::AuthContext& caller,
                       const NewProject& input, int64_t now_ms) {
  require_server_user(caller);

  // The project row, with upstream's defaults.
  Project project;
  project.id = new_id();
  project.name = input.name && !input.name->empty() ? *input.name : random_project_name();
  project.description = input.description.value_or("");
  project.visibility =
      input.visibility ? parse_visibility(*input.visibility) : std::string(kVisibilityPrivate);
  project.created_at = now_ms;
  project.updated_at = now_ms;

  // Project, owner role and `main` model appear together or not at all.
  conn.transaction([&] {
    insert_project(conn, project);
    set_role(conn, project.id, caller.user_id, auth::kProjectOwner);
    models::Model main;
    main.id = new_id();
    main.project_id = project.id;
    main.author_id = caller.user_id;
    main.name = std::string(models::kMainModelName);
    main.description = std::string(models::kMainModelDescription);
    main.created_at = now_ms;
    main.updated_at = now_ms;
    models::insert_model(conn, main);
    activity::record(conn, {project.id,
                            activity::kStream,
                            project.id,
                            "stream_create",
                            caller.user_id,
                            {{"input", activity::project_info(project)}},
                            "Stream " + project.name + " created"});
  });
  return project;
}

Project update_project(db::Connection& conn, const auth::AuthContext& caller,
                       const ProjectChanges& changes, int64_t now_ms) {
  auto current = load_project(conn, caller, changes.id);
  require_role(caller, current, auth::kProjectOwner);

  boost::json::object old = activity::project_info(current.project);
  old["role"] =
      current.role.empty() ? boost::json::value(nullptr) : boost::json::value(current.role);
  Project& p = current.project;
  if (changes.name && !changes.name->empty()) p.name = *changes.name;
  if (changes.description) p.description = *changes.description;
  if (changes.allow_public_comments) p.allow_public_comments = *changes.allow_public_comments;
  if (changes.visibility) p.visibility = parse_visibility(*changes.visibility);
  // Comments from outsiders only make sense on a project outsiders can read.
  if (p.visibility == kVisibilityPrivate) p.allow_public_comments = false;
  p.updated_at = now_ms;

  // What the caller asked for, as upstream records it.
  boost::json::object asked{{"id", changes.id}};
  if (changes.name) asked["name"] = *changes.name;
  if (changes.description) asked["description"] = *changes.description;
  if (changes.visibility) asked["visibility"] = *changes.visibility;
  if (changes.allow_public_comments) asked["allowPublicComments"] = *changes.allow_public_comments;
  conn.transaction([&] {
    save_project(conn, p);
    activity::record(conn, {p.id,
                            activity::kStream,
                            p.id,
                            "stream_update",
                            caller.user_id,
                            {{"old", std::move(old)}, {"new", std::move(asked)}},
                            "Stream metadata changed"});
  });
  return p;
}

void delete_project(db::Connection& conn, const auth::AuthContext& caller,
                    std::string_view project_id) {
  const auto project = load_project(conn, caller, project_id);
  require_role(caller, project, auth::kProjectOwner);
  conn.transaction([&] {
    projects::delete_project(conn, project_id);
    record_deleted(conn, caller, project_id);
  });
}

void batch_delete_projects(db::Connection& conn, const auth::AuthContext& caller,
                           const std::vector<std::string>& project_ids) {
  if (!is_admin(caller)) throw forbidden("You do not have the required server role");
  conn.transaction([&] {
    for (const auto& id : project_ids) {
      projects::delete_project(conn, id);
      record_deleted(conn, caller, id);
    }
  });
}

Project update_role(db::Connection& conn, const auth::AuthContext& caller,
                    std::string_view project_id, std::string_view user_id,
                    const std::optional<std::string>& role) {
  const auto project = load_project(conn, caller, project_id);
  if (has_role(caller, project, auth::kProjectOwner) != Permission::kOk) {
    throw forbidden("You are not authorized.");
  }
  if (role && !is_project_role(*role)) {
    throw Error("STREAM_UPDATE_ERROR", "Invalid role specified", 400);
  }
  if (user_id == caller.user_id) {
    throw Error("STREAM_INVALID_ACCESS_ERROR", "User cannot change their own stream access level",
                403);
  }

  // Only existing collaborators change role; newcomers arrive through invites.
  const auto current = find_role(conn, project_id, user_id);
  if (!current) {
    if (!role) return project.project;
    throw Error("STREAM_UPDATE_ERROR",
                "Cannot grant permissions to users who aren't collaborators already - invite the "
                "user to the stream first",
                400);
  }
  if (role) {
    set_role(conn, project_id, user_id, *role);
  } else {
    remove_role(conn, project_id, user_id);
  }
  return project.project;
}

void leave_project(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id) {
  const auto project = load_project(conn, caller, project_id);
  if (!caller.authenticated || project.role.empty()) {
    throw forbidden("You must be a project member to leave");
  }
  if (project.role == auth::kProjectOwner &&
      count_role(conn, project_id, auth::kProjectOwner) <= 1) {
    throw bad_request("As the last owner of the project, you cannot leave");
  }
  remove_role(conn, project_id, caller.user_id);
}

Invite create_invite(db::Connection& conn, const auth::AuthContext& caller,
                     std::string_view project_id, const NewInvite& input, int64_t now_ms) {
  const auto project = load_project(conn, caller, project_id);
  require_role(caller, project, auth::kProjectOwner);

  // Whom: an account by id, or by e-mail when one exists, else the bare address.
  const std::string role = input.role.value_or(std::string(auth::kProjectContributor));
  if (!is_project_role(role)) throw Error("INVITE_CREATE_ERROR", "Unexpected project role", 400);
  std::optional<users::User> invitee;
  if (input.user_id) {
    invitee = users::find_user_by_id(conn, *input.user_id);
    if (!invitee) throw Error("INVITE_CREATE_ERROR", "Attempted to invite a nonexistant user", 400);
  } else if (input.email && !input.email->empty()) {
    invitee = users::find_user_by_email(conn, *input.email);
  } else {
    throw Error("INVITE_CREATE_ERROR", "Either an e-mail address or a user id is required", 400);
  }
  if (invitee && find_role(conn, project_id, invitee->id)) {
    throw Error("INVITE_CREATE_ERROR", "The target user is already a collaborator", 400);
  }

  // A second invite to the same account replaces the first.
  Invite invite;
  if (invitee) {
    if (auto existing = find_invite_for_user(conn, project_id, invitee->id)) {
      delete_invite(conn, existing->id);
    }
    invite.user_id = invitee->id;
  } else {
    invite.email = users::normalize_email(*input.email);
  }
  invite.id = random_hex(kInviteIdLength);
  invite.project_id = std::string(project_id);
  invite.inviter_id = caller.user_id;
  invite.role = role;
  invite.token = random_hex(kInviteTokenLength);
  invite.created_at = now_ms;
  conn.transaction([&] {
    insert_invite(conn, invite);
    const std::string target = invite.user_id ? *invite.user_id : invite.email.value_or("");
    activity::record(conn, {invite.project_id,
                            activity::kStream,
                            invite.project_id,
                            "stream_invite_sent",
                            caller.user_id,
                            {{"targetId", optional_json(invite.user_id)},
                             {"targetEmail", optional_json(invite.email)}},
                            "User " + caller.user_id + " has invited " + target + " to stream " +
                                invite.project_id});
  });
  return invite;
}

void use_invite(db::Connection& conn, const auth::AuthContext& caller, std::string_view project_id,
                std::string_view token, bool accept) {
  const auto invite = find_invite_by_token(conn, project_id, token);
  const bool addressed_to_caller = invite && caller.authenticated &&
                                   (invite->user_id ? *invite->user_id == caller.user_id : [&] {
                                     const auto me = users::find_user_by_id(conn, caller.user_id);
                                     return me && invite->email && me->email == *invite->email;
                                   }());
  if (!addressed_to_caller) {
    throw Error("INVITE_NOT_FOUND", "Attempted to finalize nonexistant invite", 400);
  }

  const std::string project(project_id);
  conn.transaction([&] {
    delete_invite(conn, invite->id);
    if (accept) {
      set_role(conn, project_id, caller.user_id, invite->role);
      activity::record(conn, {project,
                              activity::kStream,
                              project,
                              "stream_permissions_invite_accepted",
                              caller.user_id,
                              {{"inviterUser", invite->inviter_id},
                               {"role", invite->role},
                               {"targetUserId", caller.user_id}},
                              "User " + caller.user_id +
                                  " has accepted an invitation to become a " + invite->role});
    } else {
      activity::record(conn,
                       {project,
                        activity::kStream,
                        project,
                        "stream_invite_declined",
                        caller.user_id,
                        {{"targetId", caller.user_id}, {"inviterId", invite->inviter_id}},
                        "User " + caller.user_id + " declined to join the stream " + project});
    }
  });
}

void cancel_invite(db::Connection& conn, const auth::AuthContext& caller,
                   std::string_view project_id, std::string_view invite_id) {
  const auto project = load_project(conn, caller, project_id);
  require_role(caller, project, auth::kProjectOwner);
  if (!find_invite(conn, project_id, invite_id)) {
    throw Error("INVITE_NOT_FOUND", "Invite not found", 404);
  }
  delete_invite(conn, invite_id);
}

}  // namespace stipple::projects
