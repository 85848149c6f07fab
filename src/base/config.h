// Process configuration: every setting comes from an environment variable (upstream's name where
// upstream has one) or the matching command-line flag; the flag wins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/log.h"

namespace CLI {
class App;
}

namespace stipple {

struct Config {
  // Network
  std::string bind_address = "127.0.0.1";
  uint16_t port = 3000;
  std::string canonical_url;    // public origin; defaults to the listening URL
  std::string frontend_origin;  // where login redirects go; defaults to canonical_url
  unsigned threads = 0;         // HTTP threads; 0 = one per core
  bool compression = true;      // gzip responses to clients that accept it
  int shutdown_timeout_seconds = 300;

  // Storage
  std::string data_dir = "./stipple-data";
  std::string postgres_url;  // empty = embedded SQLite in data_dir
  std::string postgres_user;
  std::string postgres_password;
  std::string postgres_db;
  int postgres_max_connections = 8;
  int postgres_acquire_timeout_ms = 16000;
  std::string redis_url;  // empty = in-process pub/sub, locks and rate limits

  // Secrets
  std::string session_secret;  // generated once and kept in data_dir when not set

  // Limits (MB unless stated)
  int max_request_body_size_mb = 100;
  int max_object_size_mb = 100;
  int max_object_upload_file_size_mb = 100;
  int file_size_limit_mb = 100;
  int max_project_models_per_page = 500;
  int max_batch_size = 250;

  // E-mail. Without EMAIL=true and an EMAIL_HOST, messages are written to the log instead.
  bool email_enabled = false;     // EMAIL
  std::string email_host;         // EMAIL_HOST
  uint16_t email_port = 587;      // EMAIL_PORT
  std::string email_username;     // EMAIL_USERNAME; empty = no SMTP authentication
  std::string email_password;     // EMAIL_PASSWORD
  std::string email_from;         // EMAIL_FROM; defaults to no-reply@<canonical host>
  bool email_secure = false;      // EMAIL_SECURE: TLS from the first byte (smtps, port 465)
  bool email_require_tls = true;  // EMAIL_REQUIRE_TLS: refuse to send unless STARTTLS succeeds
  std::string email_ca_file;      // EMAIL_CA_FILE: certificates trusted for the SMTP server

  // Sign-in strategies (upstream's names). Local accounts stay on unless STRATEGY_LOCAL=false
  // and another strategy is enabled.
  bool strategy_local = true;         // STRATEGY_LOCAL
  bool strategy_oidc = false;         // STRATEGY_OIDC
  std::string oidc_name;              // OIDC_NAME: the button's label
  std::string oidc_discovery_url;     // OIDC_DISCOVERY_URL
  std::string oidc_client_id;         // OIDC_CLIENT_ID
  std::string oidc_client_secret;     // OIDC_CLIENT_SECRET
  bool strategy_google = false;       // STRATEGY_GOOGLE
  std::string google_client_id;       // GOOGLE_CLIENT_ID
  std::string google_client_secret;   // GOOGLE_CLIENT_SECRET
  std::string google_discovery_url =  // STIPPLE_GOOGLE_DISCOVERY_URL (tests point it elsewhere)
      "https://accounts.google.com/.well-known/openid-configuration";
  bool strategy_azure_ad = false;          // STRATEGY_AZURE_AD
  std::string azure_ad_org_name;           // AZURE_AD_ORG_NAME: the button's label
  std::string azure_ad_identity_metadata;  // AZURE_AD_IDENTITY_METADATA: the discovery URL
  std::string azure_ad_issuer;             // AZURE_AD_ISSUER: expected `iss` (default: discovered)
  std::string azure_ad_client_id;          // AZURE_AD_CLIENT_ID
  std::string azure_ad_client_secret;      // AZURE_AD_CLIENT_SECRET
  bool strategy_github = false;            // STRATEGY_GITHUB
  std::string github_client_id;            // GITHUB_CLIENT_ID
  std::string github_client_secret;        // GITHUB_CLIENT_SECRET
  std::string github_url = "https://github.com";          // STIPPLE_GITHUB_URL
  std::string github_api_url = "https://api.github.com";  // STIPPLE_GITHUB_API_URL

  // Behaviour
  bool ratelimiter_enabled = true;
  int ws_keepalive_ms = 30000;    // legacy graphql-ws `ka` interval
  int ws_init_timeout_ms = 3000;  // graphql-transport-ws: connection_init must arrive by then
  std::string server_version;     // SPECKLE_SERVER_VERSION; defaults to Stipple's version
  bool test_routes = false;       // STIPPLE_ENABLE_TEST_ROUTES: routes the black-box tests use
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::automatic;

  bool uses_postgres() const { return !postgres_url.empty(); }
  bool uses_smtp() const { return email_enabled && !email_host.empty(); }

  // The libpq connection string built from POSTGRES_URL (+ USER/PASSWORD/DB when set).
  std::string postgres_conninfo() const;
};

// Declares every setting on `app` as a flag with its environment variable.
void add_config_options(CLI::App& app, Config& config, std::string& log_level_text,
                        std::string& log_format_text);

// Checks and completes a parsed configuration: derives defaults (canonical URL, session secret
// file in the data dir, ...). Throws ConfigError with one line naming the bad setting.
void finalize_config(Config& config, const std::string& log_level_text,
                     const std::string& log_format_text, bool needs_data_dir);

}  // namespace stipple
