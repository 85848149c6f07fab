// The identity services behind the GraphQL resolvers: PAT rules and revocation, the user search
// and its cursor, profile updates, server role changes, and app registration.
#include <gtest/gtest.h>

#include "auth_test_db.h"
#include "base/error.h"
#include "modules/apps/app_registry.h"
#include "modules/apps/apps.h"
#include "modules/tokens/personal_tokens.h"
#include "modules/users/user_directory.h"

namespace stipple {
namespace {

using testing::IdentityDb;

constexpr int64_t kNow = 1'800'000'000'000;

users::User make_user(IdentityDb& db, const std::string& name, int64_t created_at) {
  users::NewUser input;
  input.email = name + "@example.org";
  input.name = name;
  return users::create_user(db.conn(), input, created_at);
}

std::vector<std::string> names(const std::vector<users::User>& list) {
  std::vector<std::string> out;
  for (const auto& user : list) out.push_back(user.name);
  return out;
}

// --- personal access tokens ------------------------------------------------------------------

TEST(PersonalTokenRules, RefusesAnEmptyScopeList) {
  const std::vector<std::string> caller{"streams:read"};
  EXPECT_EQ(tokens::personal_token_refusal(caller, {}), "No scopes provided");
}

TEST(PersonalTokenRules, RefusesTokensWriteEvenWhenTheCallerHoldsIt) {
  const std::vector<std::string> caller{"streams:read", "tokens:write"};
  const std::vector<std::string> requested{"streams:read", "tokens:write"};
  EXPECT_EQ(tokens::personal_token_refusal(caller, requested),
            "You can't create a personal access token with the tokens:write scope");
}

TEST(PersonalTokenRules, RefusesScopesTheCallerLacks) {
  const std::vector<std::string> caller{"streams:read"};
  const std::vector<std::string> requested{"streams:read", "streams:write"};
  EXPECT_EQ(tokens::personal_token_refusal(caller, requested),
            "You can't create a token with scopes that you don't have");
}

TEST(PersonalTokenRules, RefusesUnknownScopes) {
  const std::vector<std::string> caller{"streams:read", "nope:read"};
  const std::vector<std::string> requested{"nope:read"};
  EXPECT_EQ(tokens::personal_token_refusal(caller, requested),
            "You can't create a token with scopes that you don't have");
}

TEST(PersonalTokenRules, AllowsNonPublicScopesTheCallerHolds) {
  const std::vector<std::string> caller{"server:setup", "tokens:read"};
  EXPECT_EQ(tokens::personal_token_refusal(caller, caller), std::nullopt);
}

TEST(AppTokenRules, PassOnTokensWriteWhenTheCallerHoldsIt) {
  const std::vector<std::string> caller{"streams:read", "tokens:write"};
  const std::vector<std::string> requested{"tokens:write"};
  EXPECT_EQ(tokens::app_token_refusal(caller, requested), std::nullopt);
  const std::vector<std::string> wider{"streams:write"};
  EXPECT_EQ(tokens::app_token_refusal(caller, wider),
            "You can't create a token with scopes that you don't have");
}

TEST(PersonalTokenRevocation, TargetsTheIdOfAFullTokenABearerValueOrAnId) {
  const std::string token = "0123456789abcdefabcdefabcdefabcdefabcdef01";
  EXPECT_EQ(tokens::revocation_target(token), "0123456789");
  EXPECT_EQ(tokens::revocation_target("Bearer " + token), "0123456789");
  EXPECT_EQ(tokens::revocation_target("0123456789"), "0123456789");
}

TEST(PersonalTokenRevocation, RevokesOnlyTheOwnersTokens) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  const auto bob = make_user(db, "bob", kNow + 1);
  const std::vector<std::string> scopes{"streams:read"};
  const auto created = tokens::create_personal_token(
      db.conn(), ann.id, {"mine", scopes, std::nullopt, {}}, scopes, kNow);

  EXPECT_FALSE(tokens::revoke_owned_token(db.conn(), bob.id, created.id));
  EXPECT_TRUE(tokens::revoke_owned_token(db.conn(), ann.id, created.id));
  EXPECT_FALSE(tokens::revoke_owned_token(db.conn(), ann.id, created.id));
  EXPECT_FALSE(tokens::load_token(db.conn(), created.id).has_value());
}

TEST(PersonalTokenCreation, StoresTheRequestedLifespanAndListsTheToken) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  const std::vector<std::string> scopes{"profile:read", "streams:read"};
  tokens::create_personal_token(db.conn(), ann.id, {"short", scopes, 3'600'000, {}}, scopes, kNow);

  const auto list = tokens::list_personal_tokens(db.conn(), ann.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "short");
  EXPECT_EQ(list[0].lifespan_ms, 3'600'000);
  EXPECT_EQ(list[0].scopes, scopes);
}

TEST(PersonalTokenCreation, FailsWithTokenCreateError) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  try {
    tokens::create_personal_token(db.conn(), ann.id, {"x", {}, std::nullopt, {}}, {}, kNow);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TOKEN_CREATE_ERROR");
    EXPECT_EQ(e.http_status(), 400);
  }
}

// --- user search -----------------------------------------------------------------------------

TEST(SearchCursor, RoundTrips) {
  const auto decoded = users::decode_search_cursor(users::encode_search_cursor({1234, "abc"}));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->created_at, 1234);
  EXPECT_EQ(decoded->id, "abc");
}

TEST(SearchCursor, RejectsForeignText) {
  EXPECT_FALSE(users::decode_search_cursor("").has_value());
  EXPECT_FALSE(users::decode_search_cursor("2024-01-01T00:00:00.000Z").has_value());
  EXPECT_FALSE(users::decode_search_cursor("12.").has_value());
  EXPECT_FALSE(users::decode_search_cursor(".abc").has_value());
}

TEST(UserSearch, MatchesNamesAnywhereInAnyCaseNewestFirst) {
  IdentityDb db;
  make_user(db, "Ela tagX", kNow);
  make_user(db, "Fio TAGX", kNow + 1);
  make_user(db, "Gil other", kNow + 2);

  users::SearchQuery query;
  query.text = "tagx";
  EXPECT_EQ(names(users::search_users(db.conn(), query).users),
            (std::vector<std::string>{"Fio TAGX", "Ela tagX"}));
}

TEST(UserSearch, PagesWithTheCursorAndKeepsACursorOnTheLastPage) {
  IdentityDb db;
  make_user(db, "a-run", kNow);
  make_user(db, "b-run", kNow);  // same millisecond: the id orders them
  make_user(db, "c-run", kNow + 1);

  users::SearchQuery query;
  query.text = "-run";
  query.limit = 2;
  const auto first = users::search_users(db.conn(), query);
  ASSERT_EQ(first.users.size(), 2u);
  ASSERT_TRUE(first.cursor.has_value());

  query.after = users::decode_search_cursor(*first.cursor);
  const auto second = users::search_users(db.conn(), query);
  ASSERT_EQ(second.users.size(), 1u);
  EXPECT_TRUE(second.cursor.has_value());

  query.after = users::decode_search_cursor(*second.cursor);
  const auto third = users::search_users(db.conn(), query);
  EXPECT_TRUE(third.users.empty());
  EXPECT_FALSE(third.cursor.has_value());

  // Every user exactly once across the pages.
  std::vector<std::string> all = names(first.users);
  all.push_back(second.users[0].name);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"a-run", "b-run", "c-run"}));
}

TEST(UserSearch, EmailOnlyMatchesTheWholeAddress) {
  IdentityDb db;
  make_user(db, "fio", kNow);

  users::SearchQuery query;
  query.email_only = true;
  query.text = "FIO@example.org";
  EXPECT_EQ(names(users::search_users(db.conn(), query).users), (std::vector<std::string>{"fio"}));
  query.text = "fio";
  EXPECT_TRUE(users::search_users(db.conn(), query).users.empty());
}

TEST(UserSearch, TreatsLikeWildcardsLiterally) {
  IdentityDb db;
  make_user(db, "plain", kNow);
  make_user(db, "100% sure", kNow + 1);

  users::SearchQuery query;
  query.text = "%";
  EXPECT_EQ(names(users::search_users(db.conn(), query).users),
            (std::vector<std::string>{"100% sure"}));
  query.text = "_";
  EXPECT_TRUE(users::search_users(db.conn(), query).users.empty());
}

TEST(UserSearch, LeavesArchivedUsersOutUnlessAsked) {
  IdentityDb db;
  make_user(db, "admin", kNow);
  const auto old = make_user(db, "old-timer", kNow + 1);
  users::change_server_role(db.conn(), old.id, "server:archived-user");

  users::SearchQuery query;
  query.text = "old";
  EXPECT_TRUE(users::search_users(db.conn(), query).users.empty());
  query.include_archived = true;
  EXPECT_EQ(users::search_users(db.conn(), query).users.size(), 1u);
}

// --- profiles and roles ----------------------------------------------------------------------

TEST(ProfileUpdate, ChangesOnlyTheGivenFieldsAndAcceptsAnEmptyName) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  users::update_profile(db.conn(), ann.id, {std::nullopt, "ACME", "hello", std::nullopt});
  const auto updated =
      users::update_profile(db.conn(), ann.id, {"", std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(updated.name, "");
  EXPECT_EQ(updated.company, "ACME");
  EXPECT_EQ(updated.bio, "hello");
  EXPECT_EQ(updated.avatar, std::nullopt);
}

TEST(ProfileUpdate, FailsForAnUnknownUser) {
  IdentityDb db;
  EXPECT_THROW(users::update_profile(db.conn(), "0000000000", {"x", {}, {}, {}}), Error);
}

TEST(ServerRoleChange, KeepsTheLastAdministrator) {
  IdentityDb db;
  const auto admin = make_user(db, "admin", kNow);
  const auto user = make_user(db, "user", kNow + 1);
  EXPECT_EQ(admin.role, "server:admin");

  EXPECT_THROW(users::change_server_role(db.conn(), admin.id, "server:user"), Error);
  users::change_server_role(db.conn(), user.id, "server:admin");
  users::change_server_role(db.conn(), admin.id, "server:user");
  EXPECT_EQ(users::find_user_by_id(db.conn(), admin.id)->role, "server:user");
  EXPECT_THROW(users::change_server_role(db.conn(), user.id, "server:boss"), Error);
}

TEST(UserMeta, StoresOneValuePerKeyAndOverwrites) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  EXPECT_TRUE(users::user_meta(db.conn(), ann.id).empty());
  users::set_user_meta(db.conn(), ann.id, users::kOnboardingFinishedKey, "false");
  users::set_user_meta(db.conn(), ann.id, users::kOnboardingFinishedKey, "true");
  users::set_user_meta(db.conn(), ann.id, "speckleConBannerDismissed", "true");
  const std::map<std::string, std::string> expected{{"isOnboardingFinished", "true"},
                                                    {"speckleConBannerDismissed", "true"}};
  EXPECT_EQ(users::user_meta(db.conn(), ann.id), expected);
}

TEST(UserDeletion, RemovesTheAccountAndItsTokens) {
  IdentityDb db;
  make_user(db, "admin", kNow);
  const auto ann = make_user(db, "ann", kNow + 1);
  const std::vector<std::string> scopes{"streams:read"};
  const auto token = tokens::create_personal_token(db.conn(), ann.id,
                                                   {"t", scopes, std::nullopt, {}}, scopes, kNow);

  EXPECT_EQ(users::delete_user(db.conn(), ann.id), std::vector<std::string>{token.id});
  EXPECT_FALSE(users::find_user_by_id(db.conn(), ann.id).has_value());
  EXPECT_FALSE(tokens::load_token(db.conn(), token.id).has_value());
  EXPECT_THROW(users::delete_user(db.conn(), ann.id), Error);
}

TEST(UserDeletion, KeepsTheLastAdministrator) {
  IdentityDb db;
  const auto admin = make_user(db, "admin", kNow);
  EXPECT_THROW(users::delete_user(db.conn(), admin.id), Error);
  EXPECT_TRUE(users::find_user_by_id(db.conn(), admin.id).has_value());
}

// --- apps ------------------------------------------------------------------------------------

apps::AppInput app_input(std::vector<std::string> scopes) {
  apps::AppInput input;
  input.name = "My app";
  input.description = "test";
  input.redirect_url = "http://localhost:9999/cb";
  input.scopes = std::move(scopes);
  return input;
}

TEST(AppRegistry, CreatesAnAppWithItsKnownScopesOnly) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  const auto id =
      apps::create_app(db.conn(), ann.id, app_input({"streams:read", "nope:read"}), kNow);

  const auto app = apps::load_app(db.conn(), id);
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(app->secret.size(), 10u);
  EXPECT_EQ(app->author_id, ann.id);
  EXPECT_TRUE(app->is_public);
  EXPECT_FALSE(app->trust_by_default);
  ASSERT_EQ(app->scopes.size(), 1u);
  EXPECT_EQ(app->scopes[0].name, "streams:read");
  EXPECT_EQ(apps::apps_created_by(db.conn(), ann.id).size(), 1u);
}

TEST(AppRegistry, RefusesAnAppWithoutKnownScopes) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  try {
    apps::create_app(db.conn(), ann.id, app_input({"nope:read"}), kNow);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "APP_CREATE");
    EXPECT_EQ(std::string(e.what()), "Cannot create an app with no scopes.");
  }
}

TEST(AppRegistry, UpdatingRevokesTheTokensIssuedThroughTheApp) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  const auto id = apps::create_app(db.conn(), ann.id, app_input({"streams:read"}), kNow);
  const auto app = apps::find_app(db.conn(), id);
  const auto pair = apps::issue_app_tokens(db.conn(), *app, ann.id, kNow);
  EXPECT_EQ(apps::apps_authorized_by(db.conn(), ann.id).size(), 1u);

  auto input = app_input({"profile:read"});
  input.name = "Renamed";
  const auto revoked = apps::update_app(db.conn(), id, input);
  EXPECT_EQ(revoked, std::vector<std::string>{pair.token.substr(0, 10)});
  EXPECT_FALSE(tokens::load_token(db.conn(), pair.token.substr(0, 10)).has_value());
  EXPECT_EQ(apps::load_app(db.conn(), id)->name, "Renamed");
  EXPECT_TRUE(apps::apps_authorized_by(db.conn(), ann.id).empty());
}

TEST(AppRegistry, DeletingRemovesTheAppAndItsTokens) {
  IdentityDb db;
  const auto ann = make_user(db, "ann", kNow);
  const auto id = apps::create_app(db.conn(), ann.id, app_input({"streams:read"}), kNow);
  const auto pair = apps::issue_app_tokens(db.conn(), *apps::find_app(db.conn(), id), ann.id, kNow);

  EXPECT_EQ(apps::delete_app(db.conn(), id).size(), 1u);
  EXPECT_FALSE(apps::load_app(db.conn(), id).has_value());
  EXPECT_FALSE(tokens::load_token(db.conn(), pair.token.substr(0, 10)).has_value());
}

}  // namespace
}  // namespace stipple
