-- Which notifications a user wants, per notification type and channel, as a JSON text such as
-- {"mentionedInComment":{"email":false}}. A missing row, type or channel means "on".
CREATE TABLE user_notification_preferences (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  preferences TEXT NOT NULL
);
