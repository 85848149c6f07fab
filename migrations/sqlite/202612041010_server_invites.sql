-- Invitations to register on the server, sent to an address that has no account yet. The role
-- is the server role the new account gets; the token is the invitee's proof.
CREATE TABLE server_invites (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  inviter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  message TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX server_invites_email ON server_invites (email);
