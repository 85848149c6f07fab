#include "base/config.h"

#include <CLI/CLI.hpp>
#include <boost/url/parse.hpp>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "base/ids.h"

namespace stipple {
namespace {

// Declares one setting: flag `--name`, environment variable `env`.
template <typename T>
CLI::Option* setting(CLI::App& app, const std::string& flag, const std::string& env, T& target,
                     const std::string& help) {
  return app.add_option(flag, target, help + " [" + env + "]")
      ->envname(env)
      ->capture_default_str()
      ->group("Settings");
}

// Accepts the boolean spellings environment variables use.
CLI::Option* bool_setting(CLI::App& app, const std::string& flag, const std::string& env,
                          bool& target, const std::string& help) {
  return app
      .add_option_function<std::string>(
          flag,
          [&target, env](const std::string& text) {
            if (text == "true" || text == "1" || text == "yes" || text == "on") {
              target = true;
            } else if (text == "false" || text == "0" || text == "no" || text == "off") {
              target = false;
            } else {
              throw ConfigError("invalid setting " + env + ": '" + text + "' is not true or false");
            }
          },
          help + " [" + env + "] (default: " + (target ? "true" : "false") + ")")
      ->envname(env)
      ->group("Settings");
}

void require_positive(int value, const char* env) {
  if (value <= 0) {
    throw ConfigError(std::string("invalid setting ") + env + ": must be a positive number, got " +
                      std::to_string(value));
  }
}

void require_http_url(const std::string& value, const char* env) {
  const auto parsed = boost::urls::parse_absolute_uri(value);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->host().empty()) {
    throw ConfigError(std::string("invalid setting ") + env + ": '" + value +
                      "' is not an http(s) URL");
  }
}

std::string strip_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Reads the session secret from the data dir, creating it on first start.
std::string load_or_create_session_secret(const std::filesystem::path& data_dir) {
  const auto path = data_dir / "session-secret";
  if (std::ifstream in(path); in) {
    std::string secret;
    std::getline(in, secret);
    if (!secret.empty()) return secret;
  }
  const std::string secret = random_hex(64);
  {
    std::ofstream out(path, std::ios::trunc);
    out << secret << '\n';
    if (!out) throw ConfigError("cannot write " + path.string() + " (SESSION_SECRET)");
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return secret;
}

}  // namespace

std::string Config::postgres_conninfo() const {
  // A full URI is used as is; otherwise POSTGRES_URL is host[:port] and the parts come from
  // POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB, as upstream reads them.
  if (postgres_url.starts_with("postgres://") || postgres_url.starts_with("postgresql://")) {
    return postgres_url;
  }
  std::string host = postgres_url;
  std::string port;
  if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host.resize(colon);
  }
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string info = "host=" + quote(host);
  if (!port.empty()) info += " port=" + quote(port);
  if (!postgres_user.empty()) info += " user=" + quote(postgres_user);
  if (!postgres_password.empty()) info += " password=" + quote(postgres_password);
  if (!postgres_db.empty()) info += " dbname=" + quote(postgres_db);
  return info;
}

void add_config_options(CLI::App& app, Config& c, std::string& log_level_text,
                        std::string& log_format_text) {
  setting(app, "--bind-address", "BIND_ADDRESS", c.bind_address, "Address to listen on");
  setting(app, "--port", "PORT", c.port, "TCP port to listen on");
  setting(app, "--canonical-url", "CANONICAL_URL", c.canonical_url,
          "Public URL of this server (default: the URL it listens on)");
  setting(app, "--frontend-origin", "FRONTEND_ORIGIN", c.frontend_origin,
          "Origin of the web frontend; login redirects go there (default: CANONICAL_URL)");
  setting(app, "--threads", "STIPPLE_THREADS", c.threads, "HTTP threads, 0 = one per core");
  bool_setting(app, "--compression", "COMPRESSION", c.compression,
               "gzip responses for clients that accept it");
  setting(app, "--shutdown-timeout-seconds", "SHUTDOWN_TIMEOUT_SECONDS", c.shutdown_timeout_seconds,
          "How long in-flight requests may finish after SIGTERM");

  setting(app, "--data-dir", "STIPPLE_DATA_DIR", c.data_dir,
          "Directory of the embedded database, blobs and generated secrets");
  setting(app, "--postgres-url", "POSTGRES_URL", c.postgres_url,
          "PostgreSQL URI, or host[:port] with POSTGRES_USER/PASSWORD/DB; empty = SQLite");
  setting(app, "--postgres-user", "POSTGRES_USER", c.postgres_user, "PostgreSQL user");
  setting(app, "--postgres-password", "POSTGRES_PASSWORD", c.postgres_password,
          "PostgreSQL password");
  setting(app, "--postgres-db", "POSTGRES_DB", c.postgres_db, "PostgreSQL database");
  setting(app, "--postgres-max-connections", "POSTGRES_MAX_CONNECTIONS_SERVER",
          c.postgres_max_connections, "Database connection pool size");
  setting(app, "--postgres-acquire-timeout-ms", "POSTGRES_CONNECTION_ACQUIRE_TIMEOUT_MILLIS",
          c.postgres_acquire_timeout_ms, "How long a request waits for a pooled connection");
  setting(app, "--redis-url", "REDIS_URL", c.redis_url,
          "Redis URL for pub/sub, locks and rate limits across processes; empty = in process");
  setting(app, "--session-secret", "SESSION_SECRET", c.session_secret,
          "Secret for session cookies (default: generated once into the data dir)");

  setting(app, "--max-request-body-size-mb", "MAX_REQUEST_BODY_SIZE_MB", c.max_request_body_size_mb,
          "Largest JSON or form request body");
  setting(app, "--max-object-size-mb", "MAX_OBJECT_SIZE_MB", c.max_object_size_mb,
          "Largest single object");
  setting(app, "--max-object-upload-file-size-mb", "MAX_OBJECT_UPLOAD_FILE_SIZE_MB",
          c.max_object_upload_file_size_mb, "Largest multipart part of an object upload");
  setting(app, "--file-size-limit-mb", "FILE_SIZE_LIMIT_MB", c.file_size_limit_mb,
          "Largest blob or file upload");
  setting(app, "--max-project-models-per-page", "MAX_PROJECT_MODELS_PER_PAGE",
          c.max_project_models_per_page, "Clamp on project.models(limit)");
  setting(app, "--max-batch-size", "MAX_BATCH_SIZE", c.max_batch_size,
          "Largest batch of the legacy objectCreate mutation");

  bool_setting(app, "--email-enabled", "EMAIL", c.email_enabled,
               "Send e-mail through SMTP (otherwise messages are written to the log)");
  setting(app, "--email-host", "EMAIL_HOST", c.email_host, "SMTP server host name");
  setting(app, "--email-port", "EMAIL_PORT", c.email_port, "SMTP server port");
  setting(app, "--email-username", "EMAIL_USERNAME", c.email_username,
          "SMTP user name; empty = no authentication");
  setting(app, "--email-password", "EMAIL_PASSWORD", c.email_password, "SMTP password");
  setting(app, "--email-from", "EMAIL_FROM", c.email_from,
          "Sender address (default: no-reply@<host of CANONICAL_URL>)");
  bool_setting(app, "--email-secure", "EMAIL_SECURE", c.email_secure,
               "Speak TLS from the first byte (SMTPS, usually port 465)");
  bool_setting(app, "--email-require-tls", "EMAIL_REQUIRE_TLS", c.email_require_tls,
               "Send only after STARTTLS succeeds; false = use STARTTLS when offered");
  setting(app, "--email-ca-file", "EMAIL_CA_FILE", c.email_ca_file,
          "PEM file of the certificate authorities trusted for the SMTP server (default: the "
          "system's)");

  bool_setting(app, "--strategy-local", "STRATEGY_LOCAL", c.strategy_local,
               "Sign-in with local accounts (always on when no other strategy is)");
  bool_setting(app, "--strategy-oidc", "STRATEGY_OIDC", c.strategy_oidc,
               "Sign-in through a generic OpenID Connect provider");
  setting(app, "--oidc-name", "OIDC_NAME", c.oidc_name, "Label of the OpenID Connect sign-in");
  setting(app, "--oidc-discovery-url", "OIDC_DISCOVERY_URL", c.oidc_discovery_url,
          "The provider's .well-known/openid-configuration URL");
  setting(app, "--oidc-client-id", "OIDC_CLIENT_ID", c.oidc_client_id,
          "Client id registered at the OpenID provider");
  setting(app, "--oidc-client-secret", "OIDC_CLIENT_SECRET", c.oidc_client_secret,
          "Client secret registered at the OpenID provider");
  bool_setting(app, "--strategy-google", "STRATEGY_GOOGLE", c.strategy_google,
               "Sign-in with Google");
  setting(app, "--google-client-id", "GOOGLE_CLIENT_ID", c.google_client_id, "Google client id");
  setting(app, "--google-client-secret", "GOOGLE_CLIENT_SECRET", c.google_client_secret,
          "Google client secret");
  setting(app, "--google-discovery-url", "STIPPLE_GOOGLE_DISCOVERY_URL", c.google_discovery_url,
          "Google's OpenID configuration URL (tests point it at a local provider)");
  bool_setting(app, "--strategy-azure-ad", "STRATEGY_AZURE_AD", c.strategy_azure_ad,
               "Sign-in with Microsoft Entra ID (Azure AD)");
  setting(app, "--azure-ad-org-name", "AZURE_AD_ORG_NAME", c.azure_ad_org_name,
          "Label of the Azure AD sign-in (default: Microsoft)");
  setting(app, "--azure-ad-identity-metadata", "AZURE_AD_IDENTITY_METADATA",
          c.azure_ad_identity_metadata, "The tenant's .well-known/openid-configuration URL");
  setting(app, "--azure-ad-issuer", "AZURE_AD_ISSUER", c.azure_ad_issuer,
          "Expected issuer of ID tokens (default: the discovered issuer)");
  setting(app, "--azure-ad-client-id", "AZURE_AD_CLIENT_ID", c.azure_ad_client_id,
          "Azure AD application (client) id");
  setting(app, "--azure-ad-client-secret", "AZURE_AD_CLIENT_SECRET", c.azure_ad_client_secret,
          "Azure AD client secret");
  bool_setting(app, "--strategy-github", "STRATEGY_GITHUB", c.strategy_github,
               "Sign-in with GitHub");
  setting(app, "--github-client-id", "GITHUB_CLIENT_ID", c.github_client_id, "GitHub client id");
  setting(app, "--github-client-secret", "GITHUB_CLIENT_SECRET", c.github_client_secret,
          "GitHub client secret");
  setting(app, "--github-url", "STIPPLE_GITHUB_URL", c.github_url,
          "GitHub's web origin, for authorisation and tokens (tests point it elsewhere)");
  setting(app, "--github-api-url", "STIPPLE_GITHUB_API_URL", c.github_api_url,
          "GitHub's REST API origin (tests point it elsewhere)");

  setting(app, "--ws-keepalive-ms", "STIPPLE_WS_KEEPALIVE_MS", c.ws_keepalive_ms,
          "Interval of keep-alive messages on GraphQL subscription sockets");
  setting(app, "--ws-init-timeout-ms", "STIPPLE_WS_INIT_TIMEOUT_MS", c.ws_init_timeout_ms,
          "How long a graphql-transport-ws socket may wait before connection_init");
  bool_setting(app, "--ratelimiter-enabled", "RATELIMITER_ENABLED", c.ratelimiter_enabled,
               "Enforce request rate limits");
  setting(app, "--server-version", "SPECKLE_SERVER_VERSION", c.server_version,
          "Version reported in serverInfo.version");
  bool_setting(app, "--enable-test-routes", "STIPPLE_ENABLE_TEST_ROUTES", c.test_routes,
               "Serve /api/_test/* routes for the black-box tests; never in production");
  setting(app, "--log-level", "LOG_LEVEL", log_level_text,
          "trace, debug, info, warn, error, fatal or silent");
  setting(app, "--log-format", "LOG_FORMAT", log_format_text,
          "auto (JSON lines unless stdout is a terminal), json or text");
}

void finalize_config(Config& c, const std::string& log_level_text,
                     const std::string& log_format_text, bool needs_data_dir) {
  if (!log::parse_level(log_level_text, c.log_level)) {
    throw ConfigError("invalid setting LOG_LEVEL: '" + log_level_text +
                      "' is not one of trace, debug, info, warn, error, fatal, silent");
  }
  if (log_format_text == "auto") {
    c.log_format = log::Format::automatic;
  } else if (log_format_text == "json") {
    c.log_format = log::Format::json;
  } else if (log_format_text == "text") {
    c.log_format = log::Format::text;
  } else {
    throw ConfigError("invalid setting LOG_FORMAT: '" + log_format_text +
                      "' is not one of auto, json, text");
  }

  if (c.port == 0) throw ConfigError("invalid setting PORT: must be between 1 and 65535");
  boost::system::error_code ec;
  boost::asio::ip::make_address(c.bind_address, ec);
  if (ec) {
    throw ConfigError("invalid setting BIND_ADDRESS: '" + c.bind_address +
                      "' is not an IP address");
  }
  require_positive(c.shutdown_timeout_seconds, "SHUTDOWN_TIMEOUT_SECONDS");
  require_positive(c.postgres_max_connections, "POSTGRES_MAX_CONNECTIONS_SERVER");
  require_positive(c.postgres_acquire_timeout_ms, "POSTGRES_CONNECTION_ACQUIRE_TIMEOUT_MILLIS");
  require_positive(c.max_request_body_size_mb, "MAX_REQUEST_BODY_SIZE_MB");
  require_positive(c.max_object_size_mb, "MAX_OBJECT_SIZE_MB");
  require_positive(c.max_object_upload_file_size_mb, "MAX_OBJECT_UPLOAD_FILE_SIZE_MB");
  require_positive(c.file_size_limit_mb, "FILE_SIZE_LIMIT_MB");
  require_positive(c.max_project_models_per_page, "MAX_PROJECT_MODELS_PER_PAGE");
  require_positive(c.max_batch_size, "MAX_BATCH_SIZE");

  if (!c.postgres_url.empty() && !c.postgres_url.starts_with("postgres://") &&
      !c.postgres_url.starts_with("postgresql://") &&
      (c.postgres_user.empty() || c.postgres_db.empty())) {
    throw ConfigError(
        "invalid setting POSTGRES_URL: not a postgres:// URI, and POSTGRES_USER or POSTGRES_DB "
        "is missing to build one from host[:port]");
  }
  if (!c.redis_url.empty() && !c.redis_url.starts_with("redis://") &&
      !c.redis_url.starts_with("rediss://")) {
    throw ConfigError("invalid setting REDIS_URL: '" + c.redis_url + "' is not a redis:// URL");
  }

  // The public URL defaults to the address we listen on; a wildcard address is reached through
  // the loopback interface.
  if (c.canonical_url.empty()) {
    std::string host = c.bind_address;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    c.canonical_url = "http://" + host + ":" + std::to_string(c.port);
  }
  require_http_url(c.canonical_url, "CANONICAL_URL");
  c.canonical_url = strip_trailing_slash(c.canonical_url);
  if (c.frontend_origin.empty()) c.frontend_origin = c.canonical_url;
  require_http_url(c.frontend_origin, "FRONTEND_ORIGIN");
  c.frontend_origin = strip_trailing_slash(c.frontend_origin);
  if (c.server_version.empty()) c.server_version = STIPPLE_VERSION;

  // E-mail: SMTP needs a host; the sender defaults to an address at the server's own host name
  // (an address literal for an IP host, as RFC 5321 writes it).
  if (c.email_enabled && c.email_host.empty()) {
    throw ConfigError("invalid setting EMAIL_HOST: required when EMAIL is true");
  }
  if (c.email_port == 0) {
    throw ConfigError("invalid setting EMAIL_PORT: must be between 1 and 65535");
  }
  if (c.email_from.empty()) {
    const auto url = boost::urls::parse_absolute_uri(c.canonical_url);
    std::string host = url->host_address();
    if (url->host_type() == boost::urls::host_type::ipv4) host = "[" + host + "]";
    if (url->host_type() == boost::urls::host_type::ipv6) host = "[IPv6:" + host + "]";
    c.email_from = "no-reply@" + host;
  }

  // Sign-in strategies: an enabled one needs every setting upstream requires for it.
  const auto require_set = [](bool enabled, const std::string& value, const char* env,
                              const char* strategy) {
    if (enabled && value.empty()) {
      throw ConfigError(std::string("invalid setting ") + env + ": required when " + strategy +
                        " is true");
    }
  };
  require_set(c.strategy_oidc, c.oidc_name, "OIDC_NAME", "STRATEGY_OIDC");
  require_set(c.strategy_oidc, c.oidc_discovery_url, "OIDC_DISCOVERY_URL", "STRATEGY_OIDC");
  require_set(c.strategy_oidc, c.oidc_client_id, "OIDC_CLIENT_ID", "STRATEGY_OIDC");
  require_set(c.strategy_oidc, c.oidc_client_secret, "OIDC_CLIENT_SECRET", "STRATEGY_OIDC");
  require_set(c.strategy_google, c.google_client_id, "GOOGLE_CLIENT_ID", "STRATEGY_GOOGLE");
  require_set(c.strategy_google, c.google_client_secret, "GOOGLE_CLIENT_SECRET", "STRATEGY_GOOGLE");
  require_set(c.strategy_azure_ad, c.azure_ad_identity_metadata, "AZURE_AD_IDENTITY_METADATA",
              "STRATEGY_AZURE_AD");
  require_set(c.strategy_azure_ad, c.azure_ad_client_id, "AZURE_AD_CLIENT_ID", "STRATEGY_AZURE_AD");
  require_set(c.strategy_azure_ad, c.azure_ad_client_secret, "AZURE_AD_CLIENT_SECRET",
              "STRATEGY_AZURE_AD");
  require_set(c.strategy_github, c.github_client_id, "GITHUB_CLIENT_ID", "STRATEGY_GITHUB");
  require_set(c.strategy_github, c.github_client_secret, "GITHUB_CLIENT_SECRET", "STRATEGY_GITHUB");
  if (c.strategy_oidc) require_http_url(c.oidc_discovery_url, "OIDC_DISCOVERY_URL");
  if (c.strategy_google) require_http_url(c.google_discovery_url, "STIPPLE_GOOGLE_DISCOVERY_URL");
  if (c.strategy_azure_ad) {
    require_http_url(c.azure_ad_identity_metadata, "AZURE_AD_IDENTITY_METADATA");
  }
  if (c.strategy_github) {
    require_http_url(c.github_url, "STIPPLE_GITHUB_URL");
    require_http_url(c.github_api_url, "STIPPLE_GITHUB_API_URL");
    c.github_url = strip_trailing_slash(c.github_url);
    c.github_api_url = strip_trailing_slash(c.github_api_url);
  }
  if (c.azure_ad_org_name.empty()) c.azure_ad_org_name = "Microsoft";

  if (!needs_data_dir) return;
  std::error_code fs_error;
  std::filesystem::create_directories(c.data_dir, fs_error);
  if (fs_error) {
    throw ConfigError("invalid setting STIPPLE_DATA_DIR (--data-dir): cannot create '" +
                      c.data_dir + "': " + fs_error.message());
  }
  if (c.session_secret.empty()) c.session_secret = load_or_create_session_secret(c.data_dir);
}

}  // namespace stipple
