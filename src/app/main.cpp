// stipple <command>: one binary, one role per command (see `stipple --help`).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/admin_auth.h"
#include "app/admin_projects.h"
#include "app/app.h"
#include "base/config.h"
#include "base/error.h"
#include "base/log.h"
#include "modules/auth/strategies.h"

namespace {

using stipple::Config;
using stipple::ConfigError;

// Turns CLI11's "Could not convert: --port = abc" into a line naming the setting.
std::string describe_conversion_error(const CLI::App& cli, const CLI::ParseError& error) {
  const std::string text = error.what();
  for (const auto* sub : cli.get_subcommands({})) {
    for (const auto* option : sub->get_options()) {
      const std::string flag = option->get_name();
      if (flag.empty() || text.find(flag + " =") == std::string::npos) continue;
      const auto eq = text.find(" = ");
      const std::string value = eq == std::string::npos ? "" : text.substr(eq + 3);
      return "invalid setting " + option->get_envname() + " (" + flag + "): '" + value +
             "' is not a valid value";
    }
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Stipple: a Speckle-compatible AEC data hub"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", STIPPLE_VERSION);

  Config config;
  std::string log_level = "info";
  std::string log_format = "auto";

  auto* serve = cli.add_subcommand("serve", "Serve the API (and, embedded, every worker)");
  stipple::add_config_options(*serve, config, log_level, log_format);

  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations, then exit");
  stipple::add_config_options(*migrate, config, log_level, log_format);

  auto* admin = cli.add_subcommand("admin", "Operator commands");
  admin->require_subcommand(1);
  auto* check = admin->add_subcommand("check-config", "Validate the configuration and print it");
  stipple::add_config_options(*check, config, log_level, log_format);
  stipple::app::AdminAuthCommands admin_auth(*admin, config, log_level, log_format);
  stipple::app::AdminProjectCommands admin_projects(*admin, config, log_level, log_format);

  try {
    cli.parse(argc, argv);
  } catch (const ConfigError& e) {
    std::cerr << "stipple: " << e.what() << '\n';
    return 2;
  } catch (const CLI::ConversionError& e) {
    std::cerr << "stipple: " << describe_conversion_error(cli, e) << '\n';
    return 2;
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    stipple::finalize_config(config, log_level, log_format, /*needs_data_dir=*/true);
    stipple::log::init(config.log_level, config.log_format);

    if (serve->parsed()) return stipple::app::serve(config);

    if (migrate->parsed()) {
      auto database = stipple::app::open_configured_database(config);
      const auto applied = stipple::app::run_migrations(*database);
      stipple::log::info("db.migrated", {{"applied", applied}}, "migrations are up to date");
      return 0;
    }

    if (admin_auth.parsed()) return admin_auth.run(config);
    if (admin_projects.parsed()) return admin_projects.run(config);

    if (check->parsed()) {
      std::cout << "canonical_url: " << config.canonical_url << '\n'
                << "frontend_origin: " << config.frontend_origin << '\n'
                << "listen: " << config.bind_address << ':' << config.port << '\n'
                << "database: " << (config.uses_postgres() ? "postgres" : "sqlite") << '\n'
                << "data_dir: " << config.data_dir << '\n'
                << "redis: " << (config.redis_url.empty() ? "in process" : "configured") << '\n'
                << "email: "
                << (config.uses_smtp()
                        ? "smtp " + config.email_host + ":" + std::to_string(config.email_port)
                        : std::string("log"))
                << ", from " << config.email_from << '\n';
      std::string strategies;
      for (const auto& strategy : stipple::auth::enabled_strategies(config)) {
        strategies += (strategies.empty() ? "" : ", ") + strategy.id;
      }
      std::cout << "auth strategies: " << strategies << '\n';
      return 0;
    }
  } catch (const ConfigError& e) {
    std::cerr << "stipple: " << e.what() << '\n';
    return 2;
  } catch (const stipple::Error& e) {
    std::cerr << "stipple: " << e.code() << ": " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "stipple: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
