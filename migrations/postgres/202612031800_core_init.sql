-- Core tables: server configuration, users, projects (streams), models (branches),
-- versions (commits) and objects. Timestamps are milliseconds since the Unix epoch.

CREATE TABLE server_config (
  id INTEGER PRIMARY KEY DEFAULT 0,
  name TEXT NOT NULL DEFAULT 'Stipple',
  company TEXT NOT NULL DEFAULT 'Unknown Company',
  description TEXT NOT NULL DEFAULT 'A Speckle server powered by Stipple',
  admin_contact TEXT NOT NULL DEFAULT 'n/a',
  terms_of_service TEXT NOT NULL DEFAULT 'n/a',
  completed BOOLEAN NOT NULL DEFAULT FALSE,
  invite_only BOOLEAN NOT NULL DEFAULT FALSE,
  guest_mode_enabled BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO server_config (id) VALUES (0);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  suuid TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  name TEXT NOT NULL,
  bio TEXT,
  company TEXT,
  email TEXT NOT NULL UNIQUE,
  verified BOOLEAN NOT NULL DEFAULT FALSE,
  avatar TEXT,
  profiles TEXT,
  password_digest TEXT,
  ip TEXT
);

-- Exactly one server role per user: server:admin, server:user, server:guest, server:archived-user.
CREATE TABLE server_acl (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL
);

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  visibility TEXT NOT NULL DEFAULT 'private',
  allow_public_comments BOOLEAN NOT NULL DEFAULT FALSE,
  cloned_from TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Project roles: stream:owner, stream:contributor, stream:reviewer.
CREATE TABLE project_acl (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, project_id)
);
CREATE INDEX project_acl_project ON project_acl (project_id);

CREATE TABLE models (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  description TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE versions (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  model_id TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  referenced_object TEXT NOT NULL,
  author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  message TEXT,
  source_application TEXT,
  total_children_count INTEGER,
  parents TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX versions_model ON versions (model_id, created_at);
CREATE INDEX versions_project ON versions (project_id, created_at);

-- Objects keep the JSON exactly as it was received, so downloads never re-serialise it.
CREATE TABLE objects (
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  speckle_type TEXT NOT NULL DEFAULT 'Base',
  total_children_count INTEGER,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
