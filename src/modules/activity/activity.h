// The legacy activity feed (upstream's stream activity): what happened to a project, its models
// and versions, and to accounts, one row per change, written by the services in the same
// transaction as the change. Read through the deprecated GraphQL fields Stream.activity,
// Branch.activity, Commit.activity, User/LimitedUser.activity and .timeline; the webhooks of a
// later feature fire from these rows.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/api/graphql_api.h"

namespace stipple::db {
class Connection;
}
namespace stipple::projects {
struct Project;
}
namespace stipple::models {
struct Model;
}
namespace stipple::versions {
struct Version;
}
namespace stipple::users {
struct User;
}

namespace stipple::activity {

// Resource types and action types, in upstream's spelling.
inline constexpr std::string_view kStream = "stream";
inline constexpr std::string_view kBranch = "branch";
inline constexpr std::string_view kCommit = "commit";
inline constexpr std::string_view kUser = "user";

struct Entry {
  std::optional<std::string> stream_id;  // absent for account changes
  std::string_view resource_type;
  std::string resource_id;
  std::string_view action_type;
  std::string user_id;  // who acted
  boost::json::object info;
  std::string message;  // cut to 255 characters when stored
};

// Appends the entry, stamped with the current time. Call it inside the change's transaction.
void record(db::Connection& conn, const Entry& entry);

// The records upstream puts into `info`, as JSON.
boost::json::object project_info(const projects::Project& project);
boost::json::object model_info(const models::Model& model);
boost::json::object version_info(const versions::Version& version);
boost::json::object user_info(const users::User& user);  // never the e-mail or password

// Which rows a feed shows.
enum class Feed { kStream, kUser, kTimeline, kResource };
struct FeedQuery {
  Feed feed = Feed::kStream;
  std::string id;                  // the project, user or resource
  std::string_view resource_type;  // kResource only
  std::optional<std::string> action_type;
  std::optional<int64_t> after_ms;   // time > after
  std::optional<int64_t> before_ms;  // time < before (and < cursor)
  std::optional<int64_t> cursor_ms;
  int limit = 25;
};
struct FeedPage {
  int64_t total_count = 0;           // the filtered set, regardless of cursor and limit
  std::optional<int64_t> cursor_ms;  // the last item's time; absent when the page is empty
  boost::json::array items;          // Activity objects
};
FeedPage read_feed(db::Connection& conn, const FeedQuery& query);

// Milliseconds since the epoch of an ISO-8601 date-time ("2026-12-04T10:20:30.123Z", offsets
// allowed); nullopt when the text is not one.
std::optional<int64_t> parse_iso_time(std::string_view text);

api::Binder binder();

}  // namespace stipple::activity
