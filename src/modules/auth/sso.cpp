// External sign-in: the OpenID Connect authorization code flow (generic, Google, Entra ID) and
// GitHub's OAuth2 flow, sharing one ending that finds or creates the account.
//
// Failures answer in three ways, as upstream's strategies do: what the person can act on (an
// invite-only server, an unverified address, a refusal at the provider) is a 302 to the web
// app's /error page; a callback that does not belong to a sign-in begun in this browser is a
// 400; an answer of the provider that does not hold up (token exchange, signature, claims) is a
// 401 {"err": message}, like upstream's failed finalisation.
#include "modules/auth/sso.h"

#include <boost/json.hpp>
#include <mutex>

#include "base/base64.h"
#include "base/error.h"
#include "base/ids.h"
#include "base/log.h"
#include "db/database.h"
#include "modules/apps/apps.h"
#include "modules/auth/crypto.h"
#include "modules/auth/form.h"
#include "modules/auth/jwt.h"
#include "modules/auth/middleware.h"
#include "modules/auth/oidc.h"
#include "modules/auth/token_validator.h"
#include "modules/invites/server_invites.h"
#include "modules/users/users.h"
#include "net/http_client.h"
#include "net/server.h"

namespace stipple::auth {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using net::Exchange;
using net::http::status;

// ---------------------------------------------------------------------------------------------
// Helpers

constexpr std::string_view kStateCookie = "stipple_signin";
constexpr std::string_view kTextHtml = "text/html; charset=utf-8";
constexpr std::string_view kScope = "openid profile email";
// Random strings of the round trip: state, nonce and PKCE verifier (hex, 256 bits each).
constexpr std::size_t kRandomLength = 64;

// What an OpenID sign-in strategy is configured with.
struct OidcSettings {
  std::string id;  // the strategy id, as serverInfo.authStrategies lists it
  std::string start_path;
  std::string callback_path;
  std::string discovery_url;
  std::string client_id;
  std::string client_secret;
  std::string issuer;      // expected `iss`; empty = the discovered issuer
  bool form_post = false;  // the provider POSTs the callback (response_mode=form_post)
};

std::string with_query(const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& fields) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + net::form_encode(fields);
}

json::object parse_object_or_empty(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.as_object());
}

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The discovered metadata and keys of one OpenID provider, fetched on first use and kept; the
// keys are fetched again when a token names a key the cached set lacks (key rotation).
class OidcProvider {
 public:
  struct Discovered {
    OidcMetadata metadata;
    JwkSet keys;
  };

  OidcProvider(OidcSettings settings, net::HttpClient& http)
      : settings_(std::move(settings)), http_(http) {}

  const OidcSettings& settings() const { return settings_; }

  // Throws JwtError or net::HttpError when the provider cannot be reached or read.
  asio::awaitable<std::shared_ptr<const Discovered>> discovered(bool refresh_keys) {
    if (!refresh_keys) {
      std::lock_guard lock(mutex_);
      if (cached_) co_return cached_;
    }

    // The metadata once; the keys each time they are asked for.
    std::shared_ptr<const Discovered> current;
    {
      std::lock_guard lock(mutex_);
      current = cached_;
    }
    auto fresh = std::make_shared<Discovered>();
    if (current) {
      fresh->metadata = current->metadata;
    } else {
      const std::string document = co_await get_json_text(settings_.discovery_url);
      fresh->metadata = OidcMetadata::parse(document);
    }
    const std::string keys = co_await get_json_text(fresh->metadata.jwks_uri);
    fresh->keys = JwkSet::parse(keys);

    std::lock_guard lock(mutex_);
    cached_ = fresh;
    co_return cached_;
  }

 private:
  asio::awaitable<std::string> get_json_text(const std::string& url) {
    net::HttpRequest request;
    request.url = url;
    request.headers = {{"Accept", "application/json"}};
    const net::HttpResponse response = co_await http_.fetch(request);
    if (response.status != 200) {
      throw JwtError(url + " answered HTTP " + std::to_string(response.status));
    }
    co_return response.body;
  }

  OidcSettings settings_;
  net::HttpClient& http_;
  std::mutex mutex_;
  std::shared_ptr<const Discovered> cached_;
};

// A failure of the provider's answers (token exchange, ID token, user API).
class ProviderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a finished sign-in sends the browser.
struct Outcome {
  std::string location;
  std::string user_id;  // empty when refused
  std::string refusal;  // why, for the log (never the address)
  bool registered = false;
};

// Shared state of the routes.
struct Sso {
  db::Database& database;
  std::string canonical_url;
  std::string frontend_origin;
  std::string secret;
  bool secure_cookie = false;
  std::string github_url;
  std::string github_api_url;
  std::string github_client_id;
  std::string github_client_secret;
  std::unique_ptr<net::HttpClient> http = std::make_unique<net::HttpClient>();

  Sso(db::Database& db, const Config& c)
      : database(db),
        canonical_url(c.canonical_url),
        frontend_origin(c.frontend_origin),
        secret(c.session_secret),
        secure_cookie(c.canonical_url.starts_with("https://")),
        github_url(c.github_url),
        github_api_url(c.github_api_url),
        github_client_id(c.github_client_id),
        github_client_secret(c.github_client_secret) {}

  std::string error_page(std::string_view message) const {
    return frontend_origin + "/error?message=" + net::percent_encode(message);
  }

  // The sign-in state cookie: only the auth routes see it; a form_post callback is a
  // cross-site POST, which a browser only sends SameSite=None cookies with (HTTPS only).
  void set_state_cookie(Exchange& ex, const std::string& value, int64_t max_age_s) const {
    std::string cookie = std::string(kStateCookie) + "=" + value +
                         "; Path=/auth; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly";
    if (secure_cookie) cookie += "; Secure; SameSite=None";
    ex.set_header(net::http::field::set_cookie, cookie);
  }

  // Starts a sign-in: the challenge and invite go into the state cookie. Answers 400 and
  // returns nullopt when there is no challenge.
  std::optional<LoginState> begin(Exchange& ex, std::string_view strategy) const {
    const auto challenge = ex.query("challenge");
    if (!challenge || challenge->empty()) {
      ex.respond(status::bad_request, "Invalid request: no challenge detected.", kTextHtml);
      return std::nullopt;
    }
    auto invite = ex.query("token");
    if (!invite || invite->empty()) invite = ex.query("inviteId");

    LoginState state;
    state.strategy = std::string(strategy);
    state.state = random_hex(kRandomLength);
    state.nonce = random_hex(kRandomLength);
    state.code_verifier = random_hex(kRandomLength);
    state.challenge = *challenge;
    state.invite_token = invite.value_or("");
    state.expires_at_ms = system_now_ms() + kLoginStateLifetimeMs;
    return state;
  }

  // The state of the sign-in this callback finishes; answers 400 and returns nullopt when the
  // callback does not belong to a sign-in of this strategy begun in this browser, or its state
  // parameter was altered.
  std::optional<LoginState> resume(Exchange& ex, std::string_view strategy,
                                   const std::optional<std::string>& returned_state) const {
    const std::string_view cookie = cookie_value(ex.header(net::http::field::cookie), kStateCookie);
    auto state = open_login_state(cookie, secret, system_now_ms());
    set_state_cookie(ex, "", 0);  // one callback per sign-in
    if (!state || state->strategy != strategy) {
      ex.respond(status::bad_request,
                 "Authentication failed: no sign-in is in progress in this browser, or it took "
                 "longer than 3 minutes. Please sign in again.",
                 kTextHtml);
      return std::nullopt;
    }
    if (!returned_state || !constant_time_equals(*returned_state, state->state)) {
      ex.respond(status::bad_request,
                 "Authentication failed: the state returned by the identity provider does not "
                 "match this sign-in.",
                 kTextHtml);
      return std::nullopt;
    }
    return state;
  }

  // The common ending: the account of the address the provider vouches for, or a new one.
  asio::awaitable<void> finish(Exchange& ex, const std::string& strategy,
                               const ExternalIdentity& identity, const LoginState& state) const {
    if (identity.email.empty()) {
      co_return redirect(ex, error_page("No email provided by the identity provider."));
    }
    if (identity.email_unverified) {
      co_return redirect(ex,
                         error_page("The identity provider has not verified this email address."));
    }

    const int64_t now = system_now_ms();
    const auto outcome = co_await database.run(
        [&](db::Connection& conn) { return find_or_create(conn, identity, state, now); });
    if (!outcome.user_id.empty()) {
      log::info("auth.sso_signed_in",
                {{"strategy", strategy},
                 {"user_id", outcome.user_id},
                 {"registered", outcome.registered}},
                "signed in through an external identity provider");
    } else {
      log::info("auth.sso_refused", {{"strategy", strategy}, {"reason", outcome.refusal}},
                "external sign-in refused");
    }
    redirect(ex, outcome.location);
  }

  // Upstream's rules: an existing account signs in if its address is verified (an account made
  // by local registration is thereby linked); a new one needs an invite on an invite-only
  // server, must match its invite when it has one, and is verified (the provider vouched for
  // the address). The server's first account is its admin.
  Outcome find_or_create(db::Connection& conn, const ExternalIdentity& identity,
                         const LoginState& state, int64_t now) const {
    Outcome outcome;
    std::optional<users::User> user = users::find_user_by_email(conn, identity.email);
    if (user && !user->verified) {
      outcome.refusal = "the account's address is not verified";
      outcome.location =
          frontend_origin + "/error-email-verify?email=" + net::percent_encode(user->email);
      return outcome;
    }
    if (!user) {
      const auto config = conn.query("SELECT invite_only FROM server_config WHERE id = 0");
      const bool invite_only = !config.empty() && config[0].boolean(0);
      if (invite_only && state.invite_token.empty()) {
        outcome.refusal = "invite-only server, no invite";
        outcome.location = error_page(
            "This server is invite only. Please authenticate yourself through a valid invite "
            "link.");
        return outcome;
      }
      try {
        user = create_account(conn, identity, state, now);
      } catch (const Error& e) {
        if (e.code() != "INVITE_NOT_FOUND" && e.code() != "USER_INPUT_ERROR") throw;
        outcome.refusal = e.code();
        outcome.location = error_page(e.what());
        return outcome;
      }
      outcome.registered = true;
    }

    const std::string code =
        apps::create_access_code(conn, apps::kWebAppId, user->id, state.challenge, now);
    outcome.user_id = user->id;
    outcome.location = frontend_origin + "/?access_code=" + code;
    if (outcome.registered) outcome.location += "&register=true";
    return outcome;
  }

  static users::User create_account(db::Connection& conn, const ExternalIdentity& identity,
                                    const LoginState& state, int64_t now) {
    users::NewUser input;
    input.email = identity.email;
    // A provider that gives no name: the address's local part stands in.
    input.name =
        identity.name.empty() ? identity.email.substr(0, identity.email.find('@')) : identity.name;
    if (!state.invite_token.empty()) {
      input.role = invites::validate_registration_invite(conn, identity.email, state.invite_token)
                       .server_role;
    }
    users::User created = users::create_user(conn, input, now);
    conn.execute("UPDATE users SET verified = TRUE WHERE id = $1", {created.id});
    created.verified = true;
    if (identity.avatar) {
      conn.execute("UPDATE users SET avatar = $1 WHERE id = $2", {*identity.avatar, created.id});
    }
    invites::finalize_registration(conn, created.email, created.id);
    return created;
  }
};

// ---------------------------------------------------------------------------------------------
// OpenID Connect

asio::awaitable<void> oidc_start(const Sso& sso, OidcProvider& provider, Exchange& ex) {
  const OidcSettings& settings = provider.settings();
  auto state = sso.begin(ex, settings.id);
  if (!state) co_return;

  const auto discovered = co_await provider.discovered(/*refresh_keys=*/false);
  const OidcMetadata& metadata = discovered->metadata;
  std::vector<std::pair<std::string, std::string>> fields{
      {"response_type", "code"},
      {"client_id", settings.client_id},
      {"redirect_uri", sso.canonical_url + settings.callback_path},
      {"scope", std::string(kScope)},
      {"state", state->state},
      {"nonce", state->nonce}};
  if (metadata.supports_pkce_s256) {
    fields.emplace_back("code_challenge", pkce_s256(state->code_verifier));
    fields.emplace_back("code_challenge_method", "S256");
  } else {
    state->code_verifier.clear();
  }
  if (settings.form_post) fields.emplace_back("response_mode", "form_post");

  sso.set_state_cookie(ex, seal_login_state(*state, sso.secret), kLoginStateLifetimeMs / 1000);
  redirect(ex, with_query(metadata.authorization_endpoint, fields));
}

// Exchanges the code for tokens at the token endpoint; returns the token response.
asio::awaitable<json::object> redeem_code(const Sso& sso, const OidcSettings& settings,
                                          const OidcMetadata& metadata, const std::string& code,
                                          const LoginState& state) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"grant_type", "authorization_code"},
      {"code", code},
      {"redirect_uri", sso.canonical_url + settings.callback_path}};
  if (!state.code_verifier.empty()) fields.emplace_back("code_verifier", state.code_verifier);

  // Client authentication: client_secret_basic (OAuth's default) unless only _post is offered.
  net::HttpRequest request;
  request.method = "POST";
  request.url = metadata.token_endpoint;
  request.headers = {{"Accept", "application/json"},
                     {"Content-Type", "application/x-www-form-urlencoded"}};
  if (metadata.prefers_client_secret_post) {
    fields.emplace_back("client_id", settings.client_id);
    fields.emplace_back("client_secret", settings.client_secret);
  } else {
    const std::string credentials =
        net::percent_encode(settings.client_id) + ":" + net::percent_encode(settings.client_secret);
    request.headers.emplace_back("Authorization", "Basic " + base64_encode(credentials));
  }
  request.body = net::form_encode(fields);

  const net::HttpResponse response = co_await sso.http->fetch(request);
  json::object tokens = parse_object_or_empty(response.body);
  if (response.status != 200 || text_of(tokens, "id_token").empty()) {
    const std::string error = text_of(tokens, "error");
    throw ProviderError("the identity provider refused the authorization code" +
                        (error.empty() ? "" : " (" + error + ")"));
  }
  co_return tokens;
}

// The verified claims of the ID token, completed by the userinfo endpoint when there is one.
asio::awaitable<json::object> verified_claims(const Sso& sso, OidcProvider& provider,
                                              const json::object& tokens, const LoginState& state) {
  const OidcSettings& settings = provider.settings();
  Jwt id_token;
  try {
    id_token = decode_jwt(text_of(tokens, "id_token"));
  } catch (const JwtError& e) {
    throw ProviderError(std::string("the ID token is malformed: ") + e.what());
  }

  // The signature, against the provider's current keys.
  auto discovered = co_await provider.discovered(/*refresh_keys=*/false);
  if (!discovered->keys.has_key_for(id_token)) {
    discovered = co_await provider.discovered(/*refresh_keys=*/true);
  }
  IdTokenExpectations expected;
  expected.issuer = settings.issuer.empty() ? discovered->metadata.issuer : settings.issuer;
  expected.client_id = settings.client_id;
  expected.nonce = state.nonce;
  expected.now_s = system_now_ms() / 1000;
  try {
    discovered->keys.verify(id_token);
    check_id_token_claims(id_token.claims, expected);
  } catch (const JwtError& e) {
    throw ProviderError(e.what());
  }

  // The userinfo endpoint may know more (many providers keep profile claims out of the ID
  // token); its answer counts only when it is about the same subject.
  json::object claims = id_token.claims;
  const std::string access_token = text_of(tokens, "access_token");
  const std::string& userinfo_url = discovered->metadata.userinfo_endpoint;
  if (!userinfo_url.empty() && !access_token.empty()) {
    net::HttpRequest request;
    request.url = userinfo_url;
    request.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer " + access_token}};
    const net::HttpResponse response = co_await sso.http->fetch(request);
    const json::object info = parse_object_or_empty(response.body);
    if (response.status == 200 && text_of(info, "sub") == text_of(claims, "sub")) {
      for (const auto& [key, value] : info) {
        if (key != "sub") claims[key] = value;
      }
    }
  }
  co_return claims;
}

asio::awaitable<void> oidc_callback(const Sso& sso, OidcProvider& provider, Exchange& ex) {
  const OidcSettings& settings = provider.settings();

  // The provider's answer: the query string, or a form body (response_mode=form_post).
  json::object params;
  if (settings.form_post && ex.method() == net::http::verb::post) {
    params = body_fields(ex);
  } else {
    for (const char* key : {"state", "code", "error", "error_description"}) {
      if (auto value = ex.query(key)) params[key] = *value;
    }
  }
  const auto returned_state = text_field(params, "state");
  const auto state = sso.resume(ex, settings.id, returned_state);
  if (!state) co_return;

  // A refusal at the provider (the person declined, for instance).
  if (const std::string error = text_of(params, "error"); !error.empty()) {
    const std::string description = text_of(params, "error_description");
    co_return redirect(ex, sso.error_page("Failed to authenticate: " +
                                          (description.empty() ? error : description)));
  }
  const std::string code = text_of(params, "code");
  if (code.empty()) {
    co_return ex.respond(status::bad_request,
                         "Authentication failed: the identity provider returned no code.",
                         kTextHtml);
  }

  // The code for tokens, then the ID token's checks.
  json::object claims;
  try {
    const auto discovered = co_await provider.discovered(/*refresh_keys=*/false);
    const json::object tokens =
        co_await redeem_code(sso, settings, discovered->metadata, code, *state);
    claims = co_await verified_claims(sso, provider, tokens, *state);
  } catch (const ProviderError& e) {
    log::warn("auth.sso_failed", {{"strategy", settings.id}, {"reason", e.what()}},
              "an identity provider's answer did not hold up");
    ex.respond_json(status::unauthorized,
                    json::object{{"err", std::string("Authentication failed: ") + e.what()}});
    co_return;
  }

  const ExternalIdentity identity = identity_from_claims(claims);
  co_await sso.finish(ex, settings.id, identity, *state);
}

// ---------------------------------------------------------------------------------------------
// GitHub (OAuth2 and its REST API; GitHub issues no ID tokens)

constexpr std::string_view kGithubId = "github";
constexpr std::string_view kGithubCallback = "/auth/gh/callback";

asio::awaitable<void> github_start(const Sso& sso, Exchange& ex) {
  const auto state = sso.begin(ex, kGithubId);
  if (!state) co_return;
  // "user:email" is GitHub's scope for the account's addresses, not one of Stipple's scopes.
  const std::vector<std::pair<std::string, std::string>> fields{
      {"client_id", sso.github_client_id},
      {"redirect_uri", sso.canonical_url + std::string(kGithubCallback)},
      {"scope", "read:user user:email"},
      {"state", state->state}};
  sso.set_state_cookie(ex, seal_login_state(*state, sso.secret), kLoginStateLifetimeMs / 1000);
  redirect(ex, with_query(sso.github_url + "/login/oauth/authorize", fields));
}

asio::awaitable<net::HttpResponse> github_api(const Sso& sso, const std::string& path,
                                              const std::string& access_token) {
  net::HttpRequest request;
  request.url = sso.github_api_url + path;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"Authorization", "Bearer " + access_token},
                     {"User-Agent", "Stipple"}};
  const net::HttpResponse response = co_await sso.http->fetch(request);
  if (response.status != 200) {
    throw ProviderError("GitHub's " + path + " answered HTTP " + std::to_string(response.status));
  }
  co_return response;
}

// The person behind a GitHub access token: the primary address when it is verified, else the
// first verified one; unverified when GitHub has verified none.
asio::awaitable<ExternalIdentity> github_identity(const Sso& sso, const std::string& token) {
  const std::string user_path = "/user";
  const std::string emails_path = "/user/emails";
  const net::HttpResponse user_response = co_await github_api(sso, user_path, token);
  const net::HttpResponse emails_response = co_await github_api(sso, emails_path, token);

  const json::object user = parse_object_or_empty(user_response.body);
  ExternalIdentity identity;
  if (const auto* id = user.if_contains("id")) identity.subject = json::serialize(*id);
  identity.name = text_of(user, "name");
  if (identity.name.empty()) identity.name = text_of(user, "login");
  if (const std::string avatar = text_of(user, "avatar_url"); !avatar.empty()) {
    identity.avatar = avatar;
  }

  boost::system::error_code ec;
  const json::value emails = json::parse(emails_response.body, ec);
  std::string first_verified;
  std::string any;
  if (!ec && emails.is_array()) {
    for (const auto& entry : emails.as_array()) {
      if (!entry.is_object()) continue;
      const auto& object = entry.as_object();
      const std::string address = text_of(object, "email");
      const auto* verified = object.if_contains("verified");
      const auto* primary = object.if_contains("primary");
      const bool is_verified = verified && verified->is_bool() && verified->as_bool();
      const bool is_primary = primary && primary->is_bool() && primary->as_bool();
      if (any.empty()) any = address;
      if (is_verified && is_primary) first_verified = address;
      if (is_verified && first_verified.empty()) first_verified = address;
    }
  }
  identity.email = first_verified.empty() ? any : first_verified;
  identity.email_unverified = first_verified.empty() && !any.empty();
  co_return identity;
}

asio::awaitable<void> github_callback(const Sso& sso, Exchange& ex) {
  const auto returned_state = ex.query("state");
  const auto state = sso.resume(ex, kGithubId, returned_state);
  if (!state) co_return;
  if (const auto error = ex.query("error"); error && !error->empty()) {
    const auto description = ex.query("error_description");
    co_return redirect(ex,
                       sso.error_page("Failed to authenticate: " + description.value_or(*error)));
  }
  const auto code = ex.query("code");
  if (!code || code->empty()) {
    co_return ex.respond(status::bad_request,
                         "Authentication failed: the identity provider returned no code.",
                         kTextHtml);
  }

  ExternalIdentity identity;
  try {
    // The code for an access token; GitHub answers errors with 200 and an `error` member.
    net::HttpRequest request;
    request.method = "POST";
    request.url = sso.github_url + "/login/oauth/access_token";
    request.headers = {{"Accept", "application/json"},
                       {"Content-Type", "application/x-www-form-urlencoded"}};
    request.body =
        net::form_encode({{"client_id", sso.github_client_id},
                          {"client_secret", sso.github_client_secret},
                          {"code", *code},
                          {"redirect_uri", sso.canonical_url + std::string(kGithubCallback)}});
    const net::HttpResponse response = co_await sso.http->fetch(request);
    const json::object answer = parse_object_or_empty(response.body);
    const std::string access_token = text_of(answer, "access_token");
    if (response.status != 200 || access_token.empty()) {
      const std::string error = text_of(answer, "error");
      throw ProviderError("GitHub refused the authorization code" +
                          (error.empty() ? "" : " (" + error + ")"));
    }
    identity = co_await github_identity(sso, access_token);
  } catch (const ProviderError& e) {
    log::warn("auth.sso_failed", {{"strategy", kGithubId}, {"reason", e.what()}},
              "an identity provider's answer did not hold up");
    ex.respond_json(status::unauthorized,
                    json::object{{"err", std::string("Authentication failed: ") + e.what()}});
    co_return;
  }
  const std::string strategy(kGithubId);
  co_await sso.finish(ex, strategy, identity, *state);
}

// ---------------------------------------------------------------------------------------------
// Wiring

std::vector<OidcSettings> openid_strategies(const Config& c) {
  std::vector<OidcSettings> list;
  if (c.strategy_google) {
    list.push_back({"google", "/auth/goog", "/auth/goog/callback", c.google_discovery_url,
                    c.google_client_id, c.google_client_secret, "", false});
  }
  if (c.strategy_azure_ad) {
    list.push_back({"azuread", "/auth/azure", "/auth/azure/callback", c.azure_ad_identity_metadata,
                    c.azure_ad_client_id, c.azure_ad_client_secret, c.azure_ad_issuer, true});
  }
  if (c.strategy_oidc) {
    list.push_back({"oidc", "/auth/oidc", "/auth/oidc/callback", c.oidc_discovery_url,
                    c.oidc_client_id, c.oidc_client_secret, "", false});
  }
  return list;
}

// A provider that cannot be reached answers 502 with the reason, and the operator gets a log.
template <typename Step>
net::Handler guarded(std::string strategy, Step step) {
  return [strategy, step](Exchange& ex) -> asio::awaitable<void> {
    try {
      co_await step(ex);
    } catch (const net::HttpError& e) {
      log::error("auth.sso_unreachable", {{"strategy", strategy}, {"reason", e.what()}},
                 "cannot reach the identity provider");
      ex.respond(status::bad_gateway, "Authentication failed: cannot reach the identity provider.",
                 kTextHtml);
    } catch (const JwtError& e) {
      log::error("auth.sso_misconfigured", {{"strategy", strategy}, {"reason", e.what()}},
                 "the identity provider's configuration cannot be used");
      ex.respond(status::bad_gateway,
                 "Authentication failed: the identity provider's configuration cannot be read.",
                 kTextHtml);
    }
  };
}

}  // namespace

void register_sso_routes(const SsoDeps& deps) {
  const auto openid = openid_strategies(deps.config);
  if (openid.empty() && !deps.config.strategy_github) return;
  // The state cookie's signature is only as good as its key; finalize_config always sets one.
  if (deps.config.session_secret.empty()) {
    throw internal_error("external sign-in needs SESSION_SECRET to sign its state cookie");
  }

  auto sso = std::make_shared<Sso>(deps.database, deps.config);
  for (const auto& settings : openid) {
    auto provider = std::make_shared<OidcProvider>(settings, *sso->http);
    deps.server.get(settings.start_path,
                    guarded(settings.id, [sso, provider](Exchange& ex) -> asio::awaitable<void> {
                      co_await oidc_start(*sso, *provider, ex);
                    }));
    auto callback = guarded(settings.id, [sso, provider](Exchange& ex) -> asio::awaitable<void> {
      co_await oidc_callback(*sso, *provider, ex);
    });
    if (settings.form_post) {
      deps.server.post(settings.callback_path, callback);
    } else {
      deps.server.get(settings.callback_path, callback);
    }
  }
  if (deps.config.strategy_github) {
    const std::string id(kGithubId);
    deps.server.get("/auth/gh", guarded(id, [sso](Exchange& ex) -> asio::awaitable<void> {
                      co_await github_start(*sso, ex);
                    }));
    deps.server.get(std::string(kGithubCallback),
                    guarded(id, [sso](Exchange& ex) -> asio::awaitable<void> {
                      co_await github_callback(*sso, ex);
                    }));
  }
  for (const auto& settings : openid) {
    log::info("auth.strategy_enabled", {{"strategy", settings.id}, {"start", settings.start_path}},
              "external sign-in enabled");
  }
  if (deps.config.strategy_github) {
    log::info("auth.strategy_enabled", {{"strategy", kGithubId}, {"start", "/auth/gh"}},
              "external sign-in enabled");
  }
}

}  // namespace stipple::auth
