#include "modules/users/user_directory.h"

#include <charconv>

#include "base/error.h"
#include "db/database.h"
#include "modules/activity/activity.h"
#include "modules/auth/context.h"

namespace stipple::users {
namespace {

Error user_input(std::string message) {
  return Error("USER_INPUT_ERROR", std::move(message), 400);
}

db::Param optional_param(const std::optional<std::string>& value) {
  return value ? db::Param(std::string_view(*value)) : db::Param(nullptr);
}

// A LIKE pattern matching `text` anywhere, with LIKE's wildcards in `text` escaped by '\'.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

constexpr std::string_view kLastAdminMessage = "Cannot remove the last admin role from the server";

// Whether `user_id` is the only administrator of the server.
bool is_last_admin(db::Connection& conn, std::string_view user_id) {
  const auto admins =
      conn.query("SELECT user_id FROM server_acl WHERE role = $1", {auth::kServerAdmin});
  return admins.size() == 1 && admins[0].text(0) == user_id;
}

bool is_server_role(std::string_view role) {
  return role == auth::kServerAdmin || role == auth::kServerUser || role == auth::kServerGuest ||
         role == auth::kServerArchivedUser;
}

}  // namespace

User update_profile(db::Connection& conn, std::string_view user_id, const ProfileUpdate& update) {
  return conn.transaction([&] {
    const auto before = find_user_by_id(conn, user_id);
    if (!before) throw user_input("User not found");
    // COALESCE keeps the stored value of every field the update leaves out.
    const auto changed = conn.execute(
        "UPDATE users SET name = COALESCE($2, name), company = COALESCE($3, company), "
        "bio = COALESCE($4, bio), avatar = COALESCE($5, avatar) WHERE id = $1",
        {user_id, optional_param(update.name), optional_param(update.company),
         optional_param(update.bio), optional_param(update.avatar)});
    if (changed == 0) throw user_input("User not found");

    auto user = find_user_by_id(conn, user_id);
    if (!user) throw user_input("User not found");
    const auto given = [](const std::optional<std::string>& value) {
      return value ? boost::json::value(*value) : boost::json::value(nullptr);
    };
    const boost::json::object asked{{"name", given(update.name)},
                                    {"company", given(update.company)},
                                    {"bio", given(update.bio)},
                                    {"avatar", given(update.avatar)}};
    const std::string id(user_id);
    activity::record(conn, {std::nullopt,
                            activity::kUser,
                            id,
                            "user_update",
                            id,
                            {{"old", activity::user_info(*before)}, {"new", asked}},
                            "User updated"});
    return std::move(*user);
  });
}

std::optional<std::string> user_profiles(db::Connection& conn, std::string_view user_id) {
  const auto result = conn.query("SELECT profiles FROM users WHERE id = $1", {user_id});
  if (result.empty()) return std::nullopt;
  return result[0].opt_text(0);
}

std::map<std::string, std::string> user_meta(db::Connection& conn, std::string_view user_id) {
  std::map<std::string, std::string> meta;
  for (const auto& row :
       conn.query("SELECT key, value FROM user_meta WHERE user_id = $1", {user_id}).rows) {
    meta.emplace(row.text(0), row.text(1));
  }
  return meta;
}

void set_user_meta(db::Connection& conn, std::string_view user_id, std::string_view key,
                   std::string_view value) {
  conn.execute(
      "INSERT INTO user_meta (user_id, key, value) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
      {user_id, key, value});
}

// The cursor reads "<created_at ms>.<user id>": opaque to clients, exact for ties in time.
std::string encode_search_cursor(const SearchCursor& cursor) {
  return std::to_string(cursor.created_at) + "." + cursor.id;
}

std::optional<SearchCursor> decode_search_cursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
  SearchCursor cursor;
  const auto digits = text.substr(0, dot);
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), cursor.created_at);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  cursor.id = std::string(text.substr(dot + 1));
  return cursor;
}

SearchPage search_users(db::Connection& conn, const SearchQuery& query) {
  // Parameters are numbered as they are added, so each statement references all it is given.
  std::vector<db::Param> params;
  const auto placeholder = [&params](db::Param value) {
    params.push_back(value);
    return "$" + std::to_string(params.size());
  };

  // The filter: the whole e-mail address, or also a name containing the text.
  const std::string email = normalize_email(query.text);
  const std::string pattern = contains_pattern(query.text);
  std::string sql =
      "SELECT u.id, u.suuid, u.name, u.email, u.company, u.bio, u.avatar, u.verified, "
      "u.created_at, a.role FROM users u LEFT JOIN server_acl a ON a.user_id = u.id "
      "WHERE (u.email = " +
      placeholder(std::string_view(email));
  if (!query.email_only) {
    sql +=
        " OR lower(u.name) LIKE lower(" + placeholder(std::string_view(pattern)) + ") ESCAPE '\\'";
  }
  sql += ")";
  if (!query.include_archived) sql += " AND COALESCE(a.role, '') <> 'server:archived-user'";

  // Keyset paging, newest first; the id breaks ties between accounts created in one millisecond.
  if (query.after) {
    const std::string time = placeholder(query.after->created_at);
    const std::string id = placeholder(std::string_view(query.after->id));
    sql +=
        " AND (u.created_at < " + time + " OR (u.created_at = " + time + " AND u.id < " + id + "))";
  }
  sql += " ORDER BY u.created_at DESC, u.id DESC LIMIT " +
         placeholder(static_cast<int64_t>(query.limit));
  const auto result = conn.query(sql, params);

  SearchPage page;
  for (const auto& row : result.rows) {
    User user;
    user.id = row.text(0);
    user.suuid = row.text(1);
    user.name = row.text(2);
    user.email = row.text(3);
    user.company = row.opt_text(4);
    user.bio = row.opt_text(5);
    user.avatar = row.opt_text(6);
    user.verified = row.boolean(7);
    user.created_at = row.integer(8);
    user.role = row.opt_text(9).value_or("");
    page.users.push_back(std::move(user));
  }
  if (!page.users.empty()) {
    const auto& last = page.users.back();
    page.cursor = encode_search_cursor({last.created_at, last.id});
  }
  return page;
}

void change_server_role(db::Connection& conn, std::string_view user_id, std::string_view role) {
  if (!is_server_role(role)) throw user_input("Invalid role specified: " + std::string(role));
  conn.transaction([&] {
    const auto current = conn.query("SELECT role FROM server_acl WHERE user_id = $1", {user_id});
    if (current.empty()) throw user_input("User not found");

    // The server must keep at least one administrator.
    if (role != auth::kServerAdmin && is_last_admin(conn, user_id)) {
      throw user_input(std::string(kLastAdminMessage));
    }
    conn.execute("UPDATE server_acl SET role = $2 WHERE user_id = $1", {user_id, role});
  });
}

std::vector<std::string> delete_user(db::Connection& conn, std::string_view user_id,
                                     std::string_view invoker_id) {
  return conn.transaction([&] {
    if (conn.query("SELECT 1 FROM users WHERE id = $1", {user_id}).empty()) {
      throw user_input("User not found");
    }
    if (is_last_admin(conn, user_id)) throw user_input(std::string(kLastAdminMessage));

    // Projects nobody else owns would be left without an owner: they go with the account.
    conn.execute(
        "DELETE FROM projects WHERE id IN (SELECT a.project_id FROM project_acl a "
        "WHERE a.user_id = $1 AND a.role = 'stream:owner' AND NOT EXISTS (SELECT 1 FROM "
        "project_acl o WHERE o.project_id = a.project_id AND o.role = 'stream:owner' "
        "AND o.user_id <> $1))",
        {user_id});

    std::vector<std::string> token_ids;
    for (const auto& row :
         conn.query("SELECT id FROM api_tokens WHERE owner_id = $1", {user_id}).rows) {
      token_ids.push_back(row.text(0));
    }
    conn.execute("DELETE FROM users WHERE id = $1", {user_id});
    const std::string id(user_id);
    activity::record(conn, {std::nullopt,
                            activity::kUser,
                            id,
                            "user_delete",
                            std::string(invoker_id.empty() ? user_id : invoker_id),
                            {},
                            "User deleted"});
    return token_ids;
  });
}

}  // namespace stipple::users
