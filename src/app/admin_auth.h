// Operator commands of the identity module:
//   stipple admin create-user --email E --name N --password P [--role server:user]
//   stipple admin create-token --user <id|email> --scopes a,b [--name N] [--lifespan-days D]
// create-token prints the token (and nothing else) on stdout, for scripts and tests.
#pragma once

#include <memory>
#include <string>

#include "base/config.h"

namespace CLI {
class App;
}

namespace stipple::app {

class AdminAuthCommands {
 public:
  // Declares the subcommands under `admin`, each with the usual configuration flags.
  AdminAuthCommands(CLI::App& admin, Config& config, std::string& log_level,
                    std::string& log_format);
  ~AdminAuthCommands();

  // Whether one of these commands was chosen on the command line.
  bool parsed() const;

  // Runs the chosen command; returns the exit status.
  int run(const Config& config);

  struct Options;  // the parsed flags (defined in admin_auth.cpp)

 private:
  std::unique_ptr<Options> options_;
};

}  // namespace stipple::app
