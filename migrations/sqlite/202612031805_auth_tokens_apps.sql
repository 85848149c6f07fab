-- Identity: scopes, server apps, API tokens, app authorisation codes and refresh tokens.
-- Timestamps and lifespans are milliseconds. Token secrets are never stored: `token_digest` is the
-- lower-case hex SHA-256 of the 32-character secret (a 128-bit random value, so a fast digest is
-- as safe as bcrypt here and lets every request check its token without bcrypt's cost).

CREATE TABLE scopes (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  public INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE server_apps (
  id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  terms_and_conditions_link TEXT,
  logo TEXT,
  public INTEGER NOT NULL DEFAULT 0,
  trust_by_default INTEGER NOT NULL DEFAULT 0,
  author_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  redirect_url TEXT NOT NULL
);

CREATE TABLE server_apps_scopes (
  app_id TEXT NOT NULL REFERENCES server_apps(id) ON DELETE CASCADE,
  scope_name TEXT NOT NULL REFERENCES scopes(name) ON DELETE CASCADE,
  PRIMARY KEY (app_id, scope_name)
);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  token_digest TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  last_chars TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  lifespan BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used BIGINT NOT NULL
);
CREATE INDEX api_tokens_owner ON api_tokens (owner_id);

CREATE TABLE token_scopes (
  token_id TEXT NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  scope_name TEXT NOT NULL REFERENCES scopes(name) ON DELETE CASCADE,
  PRIMARY KEY (token_id, scope_name)
);

-- Marks a token as a personal access token (listed in User.apiTokens).
CREATE TABLE personal_api_tokens (
  token_id TEXT PRIMARY KEY REFERENCES api_tokens(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE
);

-- Marks a token as issued to an app for a user.
CREATE TABLE user_server_app_tokens (
  token_id TEXT PRIMARY KEY REFERENCES api_tokens(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL REFERENCES server_apps(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX user_server_app_tokens_app_user ON user_server_app_tokens (app_id, user_id);

-- Optional allow-list of resources a token may touch; no rows = no restriction.
CREATE TABLE token_resource_access (
  token_id TEXT NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  resource_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  PRIMARY KEY (token_id, resource_type, resource_id)
);

CREATE TABLE authorization_codes (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES server_apps(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  challenge TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  lifespan BIGINT NOT NULL
);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  token_digest TEXT NOT NULL,
  app_id TEXT NOT NULL REFERENCES server_apps(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  lifespan BIGINT NOT NULL
);
