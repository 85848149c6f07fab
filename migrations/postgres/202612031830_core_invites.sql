-- Pending invitations to join a project. The invitee is an existing user (user_id) or an e-mail
-- address without an account yet (email). The token is the secret the invitee presents.
CREATE TABLE project_invites (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  email TEXT,
  inviter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  message TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX project_invites_project ON project_invites (project_id);
CREATE INDEX project_invites_user ON project_invites (user_id);

-- Server identity defaults as an unconfigured upstream server reports them.
UPDATE server_config SET name = 'My new Speckle Server',
  description = 'This a community deployment of a Speckle Server.'
  WHERE id = 0 AND name = 'Stipple';

CREATE INDEX models_project ON models (project_id, updated_at);
CREATE INDEX project_acl_user ON project_acl (user_id);
