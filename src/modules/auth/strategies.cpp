#include "modules/auth/strategies.h"

#include <boost/json.hpp>

namespace stipple::auth {

bool local_strategy_enabled(const Config& c) {
  const bool others =
      c.strategy_google || c.strategy_github || c.strategy_azure_ad || c.strategy_oidc;
  return c.strategy_local || !others;
}

std::vector<StrategyInfo> enabled_strategies(const Config& c) {
  std::vector<StrategyInfo> list;
  if (c.strategy_google) {
    list.push_back({"google", "Google", "mdi-google", "red darken-3", "/auth/goog"});
  }
  if (c.strategy_github) {
    list.push_back({"github", "Github", "mdi-github", "grey darken-3", "/auth/gh"});
  }
  if (c.strategy_azure_ad) {
    list.push_back(
        {"azuread", c.azure_ad_org_name, "mdi-microsoft", "blue darken-3", "/auth/azure"});
  }
  if (c.strategy_oidc) {
    list.push_back({"oidc", c.oidc_name, "mdi-badge-account-horizontal-outline", "blue darken-3",
                    "/auth/oidc"});
  }
  if (local_strategy_enabled(c)) {
    list.push_back({"local", "Local", "TODO", "accent", "/auth/local"});
  }
  return list;
}

boost::json::array auth_strategies_json(const Config& config) {
  boost::json::array out;
  for (const auto& s : enabled_strategies(config)) {
    out.push_back(boost::json::object{
        {"id", s.id}, {"name", s.name}, {"icon", s.icon}, {"url", s.url}, {"color", s.color}});
  }
  return out;
}

}  // namespace stipple::auth
