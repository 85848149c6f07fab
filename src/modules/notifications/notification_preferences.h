// Notification preferences: per user, whether each kind of notification may reach each channel.
// Stored as given (one JSON text per user) and read back with every known kind and channel
// filled in, "on" by default, as upstream answers User.notificationPreferences.
//   User.notificationPreferences                       (the caller's own user only)
//   Mutation.userNotificationPreferencesUpdate(preferences) replaces the stored settings
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "modules/api/graphql_api.h"

namespace stipple::db {
class Connection;
}

namespace stipple::notifications {

// The kinds and channels a preference may name, in upstream's spelling.
inline constexpr std::string_view kNotificationTypes[] = {"activityDigest", "mentionedInComment",
                                                          "newStreamAccessRequest",
                                                          "streamAccessRequestApproved"};
inline constexpr std::string_view kNotificationChannels[] = {"email"};

// Checks a client's settings and returns them in stored form. Throws Error
// INVALID_ARGUMENT_ERROR (400) naming the first unknown kind or channel, or a non-boolean value.
boost::json::object parse_preferences(const boost::json::object& input);

// The stored settings with every kind and channel present (missing ones true).
boost::json::object with_defaults(const boost::json::object& saved);

boost::json::object load_preferences(db::Connection& conn, std::string_view user_id);
void save_preferences(db::Connection& conn, std::string_view user_id,
                      const boost::json::object& preferences);

api::Binder binder();

}  // namespace stipple::notifications
