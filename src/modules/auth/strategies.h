// The sign-in strategies a server offers, as serverInfo.authStrategies lists them, with
// upstream's ids, labels, icons and start routes:
//   google  /auth/goog    github  /auth/gh    azuread  /auth/azure    oidc  /auth/oidc
//   local   /auth/local (on unless STRATEGY_LOCAL=false and another strategy is enabled)
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "base/config.h"

namespace stipple::auth {

struct StrategyInfo {
  std::string id;
  std::string name;
  std::string icon;
  std::string color;
  std::string url;  // the start route, relative to the server
};

// The enabled strategies in upstream's order (google, github, azuread, oidc, then local).
std::vector<StrategyInfo> enabled_strategies(const Config& config);

bool local_strategy_enabled(const Config& config);

// serverInfo.authStrategies: {id, name, icon, url, color} of each enabled strategy.
boost::json::array auth_strategies_json(const Config& config);

}  // namespace stipple::auth
