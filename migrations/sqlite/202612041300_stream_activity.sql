-- The legacy activity feed: one row per change to a project, model, version or account, as
-- upstream records stream activity. Rows outlive what they describe (no foreign keys), so a
-- deleted project keeps its history. time is milliseconds since the epoch; id orders rows
-- written in the same millisecond.
CREATE TABLE stream_activity (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT,
  time BIGINT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  action_type TEXT NOT NULL,
  user_id TEXT NOT NULL,
  info TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX stream_activity_stream ON stream_activity (stream_id, time);
CREATE INDEX stream_activity_user ON stream_activity (user_id, time);
CREATE INDEX stream_activity_resource ON stream_activity (resource_id, time);
