#include "app/admin_auth.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "base/error.h"
#include "db/database.h"
#include "modules/auth/scopes.h"
#include "modules/auth/token_validator.h"
#include "modules/tokens/tokens.h"
#include "modules/users/users.h"

namespace stipple::app {

struct AdminAuthCommands::Options {
  CLI::App* create_user = nullptr;
  std::string email;
  std::string name;
  std::string password;
  std::string role;
  std::string company;

  CLI::App* create_token = nullptr;
  std::string user;
  std::string scopes;
  std::string token_name = "admin-created";
  int64_t lifespan_days = 0;
};

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Opens the database, applies migrations and seeds the scopes. The built-in apps are left to
// `serve`: their redirect URLs depend on the serving process's canonical URL.
std::unique_ptr<db::Database> open_ready_database(const Config& config) {
  auto database = open_configured_database(config);
  run_migrations(*database);
  auto lease = database->acquire();
  auth::seed_scopes(*lease);
  return database;
}

int create_user(const Config& config, const AdminAuthCommands::Options& o) {
  auto database = open_ready_database(config);
  auto lease = database->acquire();
  users::NewUser input;
  input.email = o.email;
  input.name = o.name;
  input.password = o.password;
  input.role = o.role;
  if (!o.company.empty()) input.company = o.company;
  const auto user = users::create_user(*lease, input, auth::system_now_ms());
  std::cout << user.id << '\n';
  std::cerr << "created user " << user.id << " <" << user.email << "> with role " << user.role
            << '\n';
  return 0;
}

int create_token(const Config& config, const AdminAuthCommands::Options& o) {
  // Resolve the user by id, else by e-mail.
  auto database = open_ready_database(config);
  auto lease = database->acquire();
  auto user = users::find_user_by_id(*lease, o.user);
  if (!user) user = users::find_user_by_email(*lease, o.user);
  if (!user) throw Error("USER_NOT_FOUND", "no user with id or e-mail '" + o.user + "'", 404);

  // Scopes must be registered; an operator may grant any of them.
  tokens::TokenSpec spec;
  spec.owner_id = user->id;
  spec.name = o.token_name;
  spec.scopes = split_scopes(o.scopes);
  spec.personal = true;
  if (spec.scopes.empty()) throw Error("USER_INPUT_ERROR", "--scopes lists no scope", 400);
  for (const auto& scope : spec.scopes) {
    if (!auth::is_known_scope(scope)) {
      throw Error("USER_INPUT_ERROR", "unknown scope '" + scope + "'", 400);
    }
  }
  if (o.lifespan_days > 0) spec.lifespan_ms = o.lifespan_days * kDayMs;

  const auto created =
      lease->transaction([&] { return tokens::create_token(*lease, spec, auth::system_now_ms()); });
  std::cout << created.token << '\n';
  return 0;
}

}  // namespace

AdminAuthCommands::AdminAuthCommands(CLI::App& admin, Config& config, std::string& log_level,
                                     std::string& log_format)
    : options_(std::make_unique<Options>()) {
  auto& o = *options_;

  o.create_user = admin.add_subcommand("create-user", "Create an account (prints its id)");
  o.create_user->add_option("--email", o.email, "E-mail address")->required();
  o.create_user->add_option("--name", o.name, "Display name")->required();
  o.create_user->add_option("--password", o.password, "Password (8 characters or more)")
      ->required();
  o.create_user->add_option("--role", o.role,
                            "Server role (default: server:admin for the first account, "
                            "server:user otherwise)");
  o.create_user->add_option("--company", o.company, "Company");
  add_config_options(*o.create_user, config, log_level, log_format);

  o.create_token =
      admin.add_subcommand("create-token", "Create a personal access token (prints it)");
  o.create_token->add_option("--user", o.user, "The owner: user id or e-mail")->required();
  o.create_token->add_option("--scopes", o.scopes, "Comma-separated scopes")->required();
  o.create_token->add_option("--name", o.token_name, "Token name");
  o.create_token->add_option("--lifespan-days", o.lifespan_days,
                             "Lifespan in days (default: about 100 years)");
  add_config_options(*o.create_token, config, log_level, log_format);
}

AdminAuthCommands::~AdminAuthCommands() = default;

bool AdminAuthCommands::parsed() const {
  return options_->create_user->parsed() || options_->create_token->parsed();
}

int AdminAuthCommands::run(const Config& config) {
  if (options_->create_user->parsed()) return create_user(config, *options_);
  return create_token(config, *options_);
}

}  // namespace stipple::app
