#include "base/config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/error.h"

namespace stipple {
namespace {

// Settings the test environment may carry (scripts/test exports RATELIMITER_ENABLED=false); each
// test starts from none of them so that defaults are what is tested.
void clear_setting_environment() {
  for (const char* name : {"PORT",
                           "BIND_ADDRESS",
                           "CANONICAL_URL",
                           "FRONTEND_ORIGIN",
                           "RATELIMITER_ENABLED",
                           "MAX_REQUEST_BODY_SIZE_MB",
                           "SHUTDOWN_TIMEOUT_SECONDS",
                           "POSTGRES_URL",
                           "REDIS_URL",
                           "LOG_LEVEL",
                           "LOG_FORMAT",
                           "STIPPLE_DATA_DIR",
                           "SESSION_SECRET",
                           "EMAIL",
                           "EMAIL_HOST",
                           "EMAIL_PORT",
                           "EMAIL_FROM",
                           "EMAIL_SECURE",
                           "EMAIL_REQUIRE_TLS",
                           "STRATEGY_LOCAL",
                           "STRATEGY_OIDC",
                           "OIDC_NAME",
                           "OIDC_DISCOVERY_URL",
                           "OIDC_CLIENT_ID",
                           "OIDC_CLIENT_SECRET",
                           "STRATEGY_GOOGLE",
                           "GOOGLE_CLIENT_ID",
                           "GOOGLE_CLIENT_SECRET",
                           "STRATEGY_AZURE_AD",
                           "AZURE_AD_IDENTITY_METADATA",
                           "AZURE_AD_CLIENT_ID",
                           "AZURE_AD_CLIENT_SECRET",
                           "AZURE_AD_ORG_NAME",
                           "STRATEGY_GITHUB",
                           "GITHUB_CLIENT_ID",
                           "GITHUB_CLIENT_SECRET"}) {
    unsetenv(name);
  }
}

// Parses `args` as `stipple serve` would and finalises the result.
Config parse(std::vector<std::string> args, std::string level = "info",
             std::string format = "auto") {
  clear_setting_environment();
  CLI::App app;
  Config config;
  std::string level_text = level;
  std::string format_text = format;
  add_config_options(app, config, level_text, format_text);
  std::vector<const char*> argv{"serve"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  finalize_config(config, level_text, format_text, false);
  return config;
}

std::string error_of(std::vector<std::string> args, std::string level = "info") {
  try {
    parse(std::move(args), std::move(level));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsToTheEmbeddedSetup) {
  const auto c = parse({});
  EXPECT_EQ(c.port, 3000);
  EXPECT_EQ(c.bind_address, "127.0.0.1");
  EXPECT_EQ(c.canonical_url, "http://127.0.0.1:3000");
  EXPECT_EQ(c.frontend_origin, "http://127.0.0.1:3000");
  EXPECT_FALSE(c.uses_postgres());
  EXPECT_EQ(c.max_request_body_size_mb, 100);
  EXPECT_EQ(c.shutdown_timeout_seconds, 300);
  EXPECT_TRUE(c.ratelimiter_enabled);
}

TEST(Config, CanonicalUrlFollowsTheListeningAddress) {
  const auto c = parse({"--port", "4100", "--bind-address", "0.0.0.0"});
  EXPECT_EQ(c.canonical_url, "http://127.0.0.1:4100");
}

TEST(Config, TrailingSlashIsDroppedFromUrls) {
  const auto c = parse({"--canonical-url", "https://speckle.example.org/"});
  EXPECT_EQ(c.canonical_url, "https://speckle.example.org");
  EXPECT_EQ(c.frontend_origin, "https://speckle.example.org");
}

TEST(Config, RejectsAnInvalidCanonicalUrl) {
  EXPECT_EQ(error_of({"--canonical-url", "ftp://x"}),
            "invalid setting CANONICAL_URL: 'ftp://x' is not an http(s) URL");
}

TEST(Config, RejectsAnInvalidBindAddress) {
  EXPECT_EQ(error_of({"--bind-address", "localhost"}),
            "invalid setting BIND_ADDRESS: 'localhost' is not an IP address");
}

TEST(Config, RejectsANonPositiveLimit) {
  EXPECT_EQ(error_of({"--max-request-body-size-mb", "0"}),
            "invalid setting MAX_REQUEST_BODY_SIZE_MB: must be a positive number, got 0");
}

TEST(Config, RejectsAnUnknownLogLevel) {
  EXPECT_EQ(error_of({}, "loud"),
            "invalid setting LOG_LEVEL: 'loud' is not one of trace, debug, info, warn, error, "
            "fatal, silent");
}

TEST(Config, RejectsABooleanThatIsNot) {
  EXPECT_EQ(error_of({"--ratelimiter-enabled", "maybe"}),
            "invalid setting RATELIMITER_ENABLED: 'maybe' is not true or false");
}

TEST(Config, RejectsAPostgresHostWithoutCredentials) {
  EXPECT_NE(error_of({"--postgres-url", "db.internal:5432"}).find("invalid setting POSTGRES_URL"),
            std::string::npos);
}

TEST(Config, BuildsAConninfoFromHostAndParts) {
  const auto c = parse({"--postgres-url", "db.internal:5433", "--postgres-user", "speckle",
                        "--postgres-password", "p'w", "--postgres-db", "speckle"});
  EXPECT_EQ(c.postgres_conninfo(),
            "host='db.internal' port='5433' user='speckle' password='p\\'w' dbname='speckle'");
}

TEST(Config, KeepsAFullPostgresUri) {
  const auto c = parse({"--postgres-url", "postgres://u@127.0.0.1:5432/db"});
  EXPECT_TRUE(c.uses_postgres());
  EXPECT_EQ(c.postgres_conninfo(), "postgres://u@127.0.0.1:5432/db");
}

TEST(Config, RejectsANonRedisUrl) {
  EXPECT_EQ(error_of({"--redis-url", "http://x"}),
            "invalid setting REDIS_URL: 'http://x' is not a redis:// URL");
}

TEST(Config, GeneratesTheSessionSecretOnceAndKeepsIt) {
  const auto dir = std::filesystem::temp_directory_path() / "stipple-config-secret-test";
  std::filesystem::remove_all(dir);
  CLI::App app;
  Config first;
  std::string level = "info", format = "auto";
  add_config_options(app, first, level, format);
  first.data_dir = dir.string();
  finalize_config(first, level, format, true);
  EXPECT_EQ(first.session_secret.size(), 64u);

  Config second;
  second.data_dir = dir.string();
  finalize_config(second, level, format, true);
  EXPECT_EQ(second.session_secret, first.session_secret);
  std::filesystem::remove_all(dir);
}

TEST(Config, EmailIsOffAndSenderFollowsTheCanonicalHost) {
  const Config ip = parse({});
  EXPECT_FALSE(ip.uses_smtp());
  EXPECT_EQ(ip.email_from, "no-reply@[127.0.0.1]");
  EXPECT_TRUE(ip.email_require_tls);
  EXPECT_EQ(ip.email_port, 587);
  EXPECT_EQ(parse({"--canonical-url", "https://speckle.example.org/"}).email_from,
            "no-reply@speckle.example.org");
  EXPECT_EQ(parse({"--canonical-url", "http://[::1]:3000"}).email_from, "no-reply@[IPv6:::1]");
}

TEST(Config, EmailNeedsAHost) {
  EXPECT_EQ(error_of({"--email-enabled", "true"}),
            "invalid setting EMAIL_HOST: required when EMAIL is true");
  const Config smtp = parse({"--email-enabled", "true", "--email-host", "smtp.example.org",
                             "--email-from", "Team <team@example.org>"});
  EXPECT_TRUE(smtp.uses_smtp());
  EXPECT_EQ(smtp.email_from, "Team <team@example.org>");
}

TEST(Config, AnEnabledStrategyNeedsItsSettings) {
  EXPECT_EQ(error_of({"--strategy-oidc", "true"}),
            "invalid setting OIDC_NAME: required when STRATEGY_OIDC is true");
  EXPECT_EQ(error_of({"--strategy-oidc", "true", "--oidc-name", "SSO", "--oidc-discovery-url",
                      "not a url", "--oidc-client-id", "id", "--oidc-client-secret", "s"}),
            "invalid setting OIDC_DISCOVERY_URL: 'not a url' is not an http(s) URL");
  EXPECT_EQ(error_of({"--strategy-google", "true", "--google-client-id", "id"}),
            "invalid setting GOOGLE_CLIENT_SECRET: required when STRATEGY_GOOGLE is true");
  EXPECT_EQ(error_of({"--strategy-azure-ad", "true"}),
            "invalid setting AZURE_AD_IDENTITY_METADATA: required when STRATEGY_AZURE_AD is true");
  EXPECT_EQ(error_of({"--strategy-github", "true", "--github-client-secret", "s"}),
            "invalid setting GITHUB_CLIENT_ID: required when STRATEGY_GITHUB is true");
}

TEST(Config, StrategiesAreOffAndAzureIsLabelledMicrosoftByDefault) {
  const Config config = parse({});
  EXPECT_TRUE(config.strategy_local);
  EXPECT_FALSE(config.strategy_oidc || config.strategy_google || config.strategy_azure_ad ||
               config.strategy_github);
  EXPECT_EQ(config.azure_ad_org_name, "Microsoft");
  EXPECT_EQ(config.google_discovery_url,
            "https://accounts.google.com/.well-known/openid-configuration");
}

}  // namespace
}  // namespace stipple
