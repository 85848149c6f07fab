#include "modules/activity/activity.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "base/error.h"
#include "db/database.h"
#include "modules/auth/token_validator.h"
#include "modules/models/models.h"
#include "modules/objects/object_json.h"
#include "modules/projects/projects.h"
#include "modules/users/identity_graphql.h"
#include "modules/users/users.h"
#include "modules/versions/versions.h"

namespace stipple::activity {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::ResolveContext;
using identity_graphql::iso_time;

namespace {

json::value optional(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// At most 255 bytes, cut at a UTF-8 character boundary.
std::string cut_message(const std::string& message) {
  if (message.size() <= 255) return message;
  std::size_t end = 255;
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  return message.substr(0, end);
}

// Upstream derives an entry's id from where, who and when; rows alike in all four share it.
std::string entry_id(const json::value& stream_id, std::string_view resource_id,
                     std::string_view user_id, std::string_view time) {
  const std::string text = "{\"streamId\":" + json::serialize(stream_id) +
                           ",\"resourceId\":" + json::serialize(json::string(resource_id)) +
                           ",\"userId\":" + json::serialize(json::string(user_id)) +
                           ",\"time\":" + json::serialize(json::string(time)) + "}";
  return objects::md5_hex(text);
}

// The action types a project's own feed may be filtered by.
constexpr std::string_view kStreamActions[] = {"stream_update",
                                               "stream_permissions_remove",
                                               "stream_permissions_add",
                                               "stream_permissions_invite_accepted",
                                               "stream_delete",
                                               "stream_create",
                                               "stream_clone",
                                               "stream_invite_sent",
                                               "stream_invite_declined",
                                               "stream_access_request_sent",
                                               "stream_access_request_declined"};

}  // namespace

void record(db::Connection& conn, const Entry& entry) {
  const std::string info = json::serialize(entry.info);
  const std::string message = cut_message(entry.message);
  const db::Param stream_id =
      entry.stream_id ? db::Param(std::string_view(*entry.stream_id)) : db::Param(nullptr);
  conn.execute(
      "INSERT INTO stream_activity (stream_id, time, resource_type, resource_id, action_type, "
      "user_id, info, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {stream_id, auth::system_now_ms(), entry.resource_type, std::string_view(entry.resource_id),
       entry.action_type, std::string_view(entry.user_id), std::string_view(info),
       std::string_view(message)});
}

json::object project_info(const projects::Project& p) {
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"description", p.description.value_or("")},
                      {"visibility", p.visibility},
                      {"createdAt", iso_time(p.created_at)},
                      {"updatedAt", iso_time(p.updated_at)},
                      {"clonedFrom", nullptr},
                      {"workspaceId", nullptr},
                      {"regionKey", nullptr},
                      {"allowPublicComments", p.allow_public_comments}};
}

json::object model_info(const models::Model& m) {
  return json::object{{"id", m.id},
                      {"streamId", m.project_id},
                      {"authorId", optional(m.author_id)},
                      {"name", m.name},
                      {"description", optional(m.description)},
                      {"createdAt", iso_time(m.created_at)},
                      {"updatedAt", iso_time(m.updated_at)}};
}

json::object version_info(const versions::Version& v) {
  json::value parents = nullptr;
  if (v.parents) {
    json::array list;
    for (const auto& parent : *v.parents) list.emplace_back(parent);
    parents = std::move(list);
  }
  return json::object{
      {"id", v.id},
      {"referencedObject", v.referenced_object},
      {"author", optional(v.author_id)},
      {"message", optional(v.message)},
      {"createdAt", iso_time(v.created_at)},
      {"sourceApplication", optional(v.source_application)},
      {"totalChildrenCount",
       v.total_children_count ? json::value(*v.total_children_count) : json::value(nullptr)},
      {"parents", std::move(parents)}};
}

json::object user_info(const users::User& u) {
  return json::object{{"id", u.id},
                      {"suuid", u.suuid},
                      {"name", u.name},
                      {"bio", optional(u.bio)},
                      {"company", optional(u.company)},
                      {"avatar", optional(u.avatar)},
                      {"verified", u.verified},
                      {"createdAt", iso_time(u.created_at)}};
}

FeedPage read_feed(db::Connection& conn, const FeedQuery& q) {
  // Filters shared by the page and the count; the cursor only narrows the page.
  std::string from = "FROM stream_activity a";
  std::string where;
  std::vector<db::Param> params{std::string_view(q.id)};
  switch (q.feed) {
    case Feed::kStream:
      where = "a.stream_id = $1";
      break;
    case Feed::kUser:
      where = "a.user_id = $1";
      break;
    case Feed::kTimeline:
      from += " JOIN project_acl acl ON acl.project_id = a.stream_id";
      where = "acl.user_id = $1";
      break;
    case Feed::kResource:
      params.emplace_back(q.resource_type);
      where = "a.resource_id = $1 AND a.resource_type = $2";
      break;
  }
  const auto add = [&](std::string_view condition, db::Param value) {
    params.push_back(value);
    where += " AND " + std::string(condition) + " $" + std::to_string(params.size());
  };
  if (q.action_type && !q.action_type->empty()) {
    add("a.action_type =", std::string_view(*q.action_type));
  }
  if (q.after_ms) add("a.time >", *q.after_ms);
  if (q.before_ms) add("a.time <", *q.before_ms);

  FeedPage page;
  page.total_count =
      conn.query("SELECT COUNT(*) " + from + " WHERE " + where, params)[0].integer(0);

  auto page_params = params;
  std::string page_where = where;
  if (q.cursor_ms) {
    page_params.emplace_back(*q.cursor_ms);
    page_where += " AND a.time < $" + std::to_string(page_params.size());
  }
  page_params.emplace_back(static_cast<int64_t>(q.limit));
  const auto rows = conn.query(
      "SELECT a.stream_id, a.time, a.resource_type, a.resource_id, a.action_type, a.user_id, "
      "a.info, a.message " +
          from + " WHERE " + page_where + " ORDER BY a.time DESC, a.id DESC LIMIT $" +
          std::to_string(page_params.size()),
      page_params);
  for (const auto& row : rows.rows) {
    const json::value stream_id = optional(row.opt_text(0));
    const std::string time = iso_time(row.integer(1));
    boost::system::error_code error;
    json::value info = json::parse(row.text(6), error);
    if (error || !info.is_object()) info = json::object{};
    page.items.push_back(json::object{{"id", entry_id(stream_id, row.text(3), row.text(5), time)},
                                      {"streamId", stream_id},
                                      {"time", time},
                                      {"resourceType", row.text(2)},
                                      {"resourceId", row.text(3)},
                                      {"actionType", row.text(4)},
                                      {"userId", row.text(5)},
                                      {"info", std::move(info)},
                                      {"message", row.text(7)}});
    page.cursor_ms = row.integer(1);
  }
  return page;
}

std::optional<int64_t> parse_iso_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  const auto number = [&](std::size_t at, std::size_t width) -> std::optional<int> {
    if (at + width > text.size()) return std::nullopt;
    int value = 0;
    const auto* begin = text.data() + at;
    const auto [end, error] = std::from_chars(begin, begin + width, value);
    if (error != std::errc() || end != begin + width) return std::nullopt;
    return value;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    int digits = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at < text.size() && text[at] == 'Z') {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at] == '-' ? -1 : 1;
    const auto oh = number(at + 1, 2), om = number(at + 4, 2);
    if (!oh || !om || text[at + 3] != ':') return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  const int64_t seconds = static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60;
  return seconds * 1000 + millis;
}

namespace {

std::optional<int64_t> time_arg(ResolveContext& ctx, std::string_view name) {
  const auto* value = ctx.arg(name);
  if (!value || value->is_null()) return std::nullopt;
  const auto parsed = value->is_string() ? parse_iso_time(value->as_string()) : std::nullopt;
  if (!parsed) throw bad_request("Invalid date-time for " + std::string(name));
  return parsed;
}

// A feed field: reads the arguments, checks them, and answers the ActivityCollection.
graphql::Resolver feed_resolver(Feed feed, std::string_view resource_type = {}) {
  return [feed, resource_type](ResolveContext& ctx) -> asio::awaitable<json::value> {
    FeedQuery query;
    query.feed = feed;
    query.resource_type = resource_type;
    query.id = identity_graphql::parent_id(ctx);
    if (const auto* type = ctx.arg("actionType"); type && type->is_string()) {
      query.action_type = std::string(type->as_string());
    }
    if (feed == Feed::kStream && query.action_type && !query.action_type->empty() &&
        std::find(std::begin(kStreamActions), std::end(kStreamActions), *query.action_type) ==
            std::end(kStreamActions)) {
      throw Error("INVALID_ACTION_TYPE", "Invalid action type", 400);
    }
    query.after_ms = time_arg(ctx, "after");
    query.before_ms = time_arg(ctx, "before");
    query.cursor_ms = time_arg(ctx, "cursor");
    // The timeline's only upper bound is `before`, else the cursor, as upstream reads it.
    if (feed == Feed::kTimeline && query.before_ms) query.cursor_ms.reset();
    const auto* limit = ctx.arg("limit");
    const int64_t wanted = limit && limit->is_int64() ? limit->as_int64() : 25;
    if (wanted < 0) throw bad_request("The limit must not be negative");
    // 0 asks for upstream's "no limit" page of 200; beyond 1000 a page is cut there.
    query.limit = wanted == 0 ? 200 : static_cast<int>(std::min<int64_t>(wanted, 1000));

    const auto page = co_await identity_graphql::request(ctx).database->run(
        [&](db::Connection& conn) { return read_feed(conn, query); });
    co_return json::object{
        {"totalCount", page.total_count},
        {"cursor", page.cursor_ms ? json::value(iso_time(*page.cursor_ms)) : json::value(nullptr)},
        {"items", page.items}};
  };
}

}  // namespace

api::Binder binder() {
  return [](graphql::Schema& schema) {
    schema.resolve("Stream", "activity", feed_resolver(Feed::kStream));
    schema.resolve("User", "activity", feed_resolver(Feed::kUser));
    schema.resolve("LimitedUser", "activity", feed_resolver(Feed::kUser));
    schema.resolve("User", "timeline", feed_resolver(Feed::kTimeline));
    schema.resolve("LimitedUser", "timeline", feed_resolver(Feed::kTimeline));
    schema.resolve("Branch", "activity", feed_resolver(Feed::kResource, kBranch));
    schema.resolve("Commit", "activity", feed_resolver(Feed::kResource, kCommit));
  };
}

}  // namespace stipple::activity
