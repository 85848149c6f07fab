-- Per-user flags kept by the web app (onboarding finished, dismissed banners), one row per flag.
CREATE TABLE user_meta (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
