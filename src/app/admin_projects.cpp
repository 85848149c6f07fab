#include "app/admin_projects.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/app.h"
#include "base/error.h"
#include "base/ids.h"
#include "db/database.h"
#include "modules/auth/context.h"
#include "modules/auth/token_validator.h"
#include "modules/users/users.h"

namespace stipple::app {

struct AdminProjectCommands::Options {
  CLI::App* create_project = nullptr;
  std::string owner;
  std::string name;
  bool is_public = false;

  CLI::App* add_collaborator = nullptr;
  std::string project;
  std::string user;
  std::string role;
};

namespace {

// Every project starts with this model, as upstream creates it.
constexpr std::string_view kDefaultModel = "main";

users::User resolve_user(db::Connection& conn, const std::string& key) {
  auto user = users::find_user_by_id(conn, key);
  if (!user) user = users::find_user_by_email(conn, key);
  if (!user) throw Error("USER_NOT_FOUND", "no user with id or e-mail '" + key + "'", 404);
  return *user;
}

int create_project(const Config& config, const AdminProjectCommands::Options& o) {
  auto database = open_configured_database(config);
  run_migrations(*database);
  auto lease = database->acquire();
  const auto owner = resolve_user(*lease, o.owner);

  // The project, its owner's role and its `main` model appear together or not at all.
  const std::string project_id = new_id();
  const int64_t now = auth::system_now_ms();
  lease->transaction([&] {
    lease->execute(
        "INSERT INTO projects (id, name, visibility, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $4)",
        {project_id, o.name, std::string_view(o.is_public ? "public" : "private"), now});
    lease->execute("INSERT INTO project_acl (user_id, project_id, role) VALUES ($1, $2, $3)",
                   {owner.id, project_id, auth::kProjectOwner});
    const std::string model_id = new_id();
    lease->execute(
        "INSERT INTO models (id, project_id, author_id, name, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $5)",
        {model_id, project_id, owner.id, kDefaultModel, now});
  });
  std::cout << project_id << '\n';
  return 0;
}

int add_collaborator(const Config& config, const AdminProjectCommands::Options& o) {
  if (auth::project_role_weight(o.role) == 0) {
    throw Error("USER_INPUT_ERROR", "unknown project role '" + o.role + "'", 400);
  }
  auto database = open_configured_database(config);
  run_migrations(*database);
  auto lease = database->acquire();
  const auto user = resolve_user(*lease, o.user);
  if (lease->query("SELECT id FROM projects WHERE id = $1", {o.project}).empty()) {
    throw Error("STREAM_NOT_FOUND", "no project with id '" + o.project + "'", 404);
  }

  // One role per user and project: a new role replaces the old one.
  lease->transaction([&] {
    lease->execute("DELETE FROM project_acl WHERE user_id = $1 AND project_id = $2",
                   {user.id, o.project});
    lease->execute("INSERT INTO project_acl (user_id, project_id, role) VALUES ($1, $2, $3)",
                   {user.id, o.project, o.role});
  });
  return 0;
}

}  // namespace

AdminProjectCommands::AdminProjectCommands(CLI::App& admin, Config& config, std::string& log_level,
                                           std::string& log_format)
    : options_(std::make_unique<Options>()) {
  auto& o = *options_;

  o.create_project =
      admin.add_subcommand("create-project", "Create a project with a main model (prints its id)");
  o.create_project->add_option("--owner", o.owner, "The owner: user id or e-mail")->required();
  o.create_project->add_option("--name", o.name, "Project name")->required();
  o.create_project->add_flag("--public", o.is_public, "Readable by anyone");
  add_config_options(*o.create_project, config, log_level, log_format);

  o.add_collaborator = admin.add_subcommand("add-collaborator", "Give a user a role in a project");
  o.add_collaborator->add_option("--project", o.project, "Project id")->required();
  o.add_collaborator->add_option("--user", o.user, "User id or e-mail")->required();
  o.add_collaborator
      ->add_option("--role", o.role, "stream:owner, stream:contributor or stream:reviewer")
      ->required();
  add_config_options(*o.add_collaborator, config, log_level, log_format);
}

AdminProjectCommands::~AdminProjectCommands() = default;

bool AdminProjectCommands::parsed() const {
  return options_->create_project->parsed() || options_->add_collaborator->parsed();
}

int AdminProjectCommands::run(const Config& config) {
  if (options_->create_project->parsed()) return create_project(config, *options_);
  return add_collaborator(config, *options_);
}

}  // namespace stipple::app
