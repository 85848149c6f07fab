// Operator commands for projects, so tests and scripts can set up a project without GraphQL:
//   stipple admin create-project --owner <id|email> --name N [--public]
//   stipple admin add-collaborator --project P --user <id|email> --role stream:reviewer
// create-project prints the new project's id (and nothing else) on stdout.
#pragma once

#include <memory>
#include <string>

#include "base/config.h"

namespace CLI {
class App;
}

namespace stipple::app {

class AdminProjectCommands {
 public:
  // Declares the subcommands under `admin`, each with the usual configuration flags.
  AdminProjectCommands(CLI::App& admin, Config& config, std::string& log_level,
                       std::string& log_format);
  ~AdminProjectCommands();

  // Whether one of these commands was chosen on the command line.
  bool parsed() const;

  // Runs the chosen command; returns the exit status.
  int run(const Config& config);

  struct Options;  // the parsed flags (defined in admin_projects.cpp)

 private:
  std::unique_ptr<Options> options_;
};

}  // namespace stipple::app
