#include "modules/notifications/notification_preferences.h"

#include <algorithm>

#include "base/error.h"
#include "db/database.h"
#include "modules/users/identity_graphql.h"

namespace stipple::notifications {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;
using identity_graphql::request;

namespace {

template <std::size_t N>
bool known(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Error invalid(std::string message) {
  return Error("INVALID_ARGUMENT_ERROR", std::move(message), 400);
}

}  // namespace

json::object parse_preferences(const json::object& input) {
  json::object parsed;
  for (const auto& [type, settings] : input) {
    if (!known(kNotificationTypes, type)) {
      throw invalid("Notification preferences input contains an unknown setting: " +
                    std::string(type));
    }
    json::object channels;
    if (!settings.is_object()) {
      throw invalid("Notification preferences input contains an invalid value: " +
                    json::serialize(settings));
    }
    for (const auto& [channel, value] : settings.as_object()) {
      if (!known(kNotificationChannels, channel)) {
        throw invalid("Notification preferences input contains an unknown setting: " +
                      std::string(channel));
      }
      if (!value.is_bool()) {
        throw invalid("Notification preferences input contains an invalid value: " +
                      json::serialize(value));
      }
      channels[channel] = value;
    }
    parsed[type] = std::move(channels);
  }
  return parsed;
}

json::object with_defaults(const json::object& saved) {
  json::object out = saved;
  for (const auto type : kNotificationTypes) {
    auto& entry = out[type];
    if (!entry.is_object()) entry = json::object{};
    auto& channels = entry.as_object();
    for (const auto channel : kNotificationChannels) {
      if (!channels.contains(channel)) channels[channel] = true;
    }
  }
  return out;
}

json::object load_preferences(db::Connection& conn, std::string_view user_id) {
  const auto result = conn.query(
      "SELECT preferences FROM user_notification_preferences WHERE user_id = $1", {user_id});
  if (result.empty()) return {};
  boost::system::error_code error;
  auto value = json::parse(result[0].text(0), error);
  if (error || !value.is_object()) return {};
  return std::move(value.as_object());
}

void save_preferences(db::Connection& conn, std::string_view user_id,
                      const json::object& preferences) {
  const std::string text = json::serialize(preferences);
  conn.execute(
      "INSERT INTO user_notification_preferences (user_id, preferences) VALUES ($1, $2) "
      "ON CONFLICT (user_id) DO UPDATE SET preferences = excluded.preferences",
      {user_id, text});
}

api::Binder binder() {
  return [](graphql::Schema& schema) {
    schema.resolve("User", "notificationPreferences",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string user_id = identity_graphql::parent_id(ctx);
                     const auto saved = co_await request(ctx).database->run(
                         [&](db::Connection& conn) { return load_preferences(conn, user_id); });
                     co_return with_defaults(saved);
                   });
    schema.resolve("Mutation", "userNotificationPreferencesUpdate",
                   [](ResolveContext& ctx) -> asio::awaitable<json::value> {
                     const std::string user_id = identity_graphql::signed_in(ctx).user_id;
                     const auto* input = ctx.arg("preferences");
                     if (!input || !input->is_object()) {
                       throw Error("INVALID_ARGUMENT_ERROR",
                                   "Notification preferences must be an object", 400);
                     }
                     const auto parsed = parse_preferences(input->as_object());
                     co_await request(ctx).database->run(
                         [&](db::Connection& conn) { save_preferences(conn, user_id, parsed); });
                     co_return true;
                   });
  };
}

}  // namespace stipple::notifications
