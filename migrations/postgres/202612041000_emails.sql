-- Pending e-mail verifications. The id is the SHA-256 (hex) of the token in the link, so the
-- table alone cannot verify an address.
CREATE TABLE email_verifications (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX email_verifications_email ON email_verifications (email);

-- Pending password resets, keyed like e-mail verifications by the SHA-256 of the mailed token.
CREATE TABLE pwdreset_tokens (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX pwdreset_tokens_email ON pwdreset_tokens (email);
