// Projects, models and versions services against a real database: SQLite always, PostgreSQL when
// STIPPLE_TEST_POSTGRES_URL names a server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "backend_test_db.h"
#include "base/error.h"
#include "base/ids.h"
#include "modules/models/model_repository.h"
#include "modules/models/model_service.h"
#include "modules/projects/pagination.h"
#include "modules/projects/project_repository.h"
#include "modules/projects/project_service.h"
#include "modules/users/users.h"
#include "modules/versions/version_repository.h"
#include "modules/versions/version_service.h"

namespace stipple {
namespace {

using db::Dialect;

class CoreServicesTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::BackendDb>(GetParam(), "stipple_core");
    if (!db_->available()) GTEST_SKIP() << "STIPPLE_TEST_POSTGRES_URL is not set";
    conn_ = &db_->conn();
    ann_ = make_user("ann");
    bob_ = make_user("bob");
  }

  auth::AuthContext make_user(const std::string& name) {
    users::NewUser input;
    input.email = name + "@example.org";
    input.name = name;
    input.password = "correct horse battery";
    input.role = std::string(auth::kServerUser);
    const auto user = users::create_user(*conn_, input, 1000);
    auth::AuthContext caller;
    caller.authenticated = true;
    caller.user_id = user.id;
    caller.server_role = std::string(auth::kServerUser);
    caller.scopes = {"streams:read", "streams:write"};
    return caller;
  }

  projects::Project make_project(const std::string& name = "p") {
    return projects::create_project(*conn_, ann_, {name, std::nullopt, "PRIVATE"}, tick());
  }

  void store_object(const std::string& project_id, const std::string& id,
                    std::optional<int64_t> children) {
    conn_->execute(
        "INSERT INTO objects (project_id, id, speckle_type, total_children_count, data, "
        "created_at) VALUES ($1, $2, 'Base', $3, '{}', 0)",
        {project_id, id, children ? db::Param(*children) : db::Param(nullptr)});
  }

  int64_t count(const std::string& table, const std::string& project_id) {
    return conn_->query("SELECT COUNT(*) FROM " + table + " WHERE project_id = $1", {project_id})[0]
        .integer(0);
  }

  // A strictly increasing clock, so orderings by time are deterministic.
  int64_t tick() { return now_ += 10; }

  std::string error_code(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return "no error";
  }

  std::unique_ptr<testing::BackendDb> db_;
  db::Connection* conn_ = nullptr;
  auth::AuthContext ann_;
  auth::AuthContext bob_;
  int64_t now_ = 1'000'000;
};

const std::string kRoot = "0123456789abcdef0123456789abcdef";

// --- names and cursors (no database) --------------------------------------------------------

TEST(ModelNames, CreateNormalisationTrimsSegmentsCollapsesSlashesAndLowerCases) {
  EXPECT_EQ(models::normalize_model_name(" Folder / Sub "), "folder/sub");
  EXPECT_EQ(models::normalize_model_name("x///y//z"), "x/y/z");
  EXPECT_EQ(models::normalize_model_name("/lead"), "lead");
  EXPECT_EQ(models::normalize_model_name("trail/"), "trail");
  EXPECT_EQ(models::normalize_model_name("//"), "");
}

TEST(ModelNames, LowerCasingCoversUnicode) {
  EXPECT_EQ(models::lower_case("Ünïcødé ✓ Straße"), "ünïcødé ✓ straße");
}

TEST(ModelNames, ValidationRejectsUpstreamsForbiddenShapes) {
  for (const char* bad : {"#hash", "$dollar", "com,ma", "back\\slash", "/lead", "a//b", "t/"}) {
    EXPECT_THROW(models::validate_model_name(bad), Error) << bad;
  }
  for (const char* good : {"folder/#sub", "mid$dollar", "mid#hash", " renamed / child "}) {
    EXPECT_NO_THROW(models::validate_model_name(good)) << good;
  }
}

TEST(ModelNames, EmptyAndOverLongNamesAreClientErrors) {
  try {
    models::validate_model_name("   ");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "BRANCH_NAME_ERROR");
    EXPECT_STREQ(e.what(), "Model name is required");
  }
  EXPECT_NO_THROW(models::validate_model_name(std::string(512, 'x')));
  try {
    models::validate_model_name(std::string(513, 'y'));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.http_status(), 400);
  }
}

TEST(ModelNames, DisplayNameIsTheLastSegment) {
  EXPECT_EQ(models::display_name("site/terrain"), "terrain");
  EXPECT_EQ(models::display_name("main"), "main");
}

TEST(Cursors, RoundTripAndRejectGarbage) {
  const auto text = projects::encode_cursor({1234, "abc"});
  const auto back = projects::decode_cursor(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sort_key, 1234);
  EXPECT_EQ(back->id, "abc");
  EXPECT_FALSE(projects::decode_cursor("garbage"));
}

TEST(ModelTree, FoldersWithoutModelsAndChildrenAreListed) {
  std::vector<models::Model> all;
  int64_t t = 0;
  for (const char* name : {"a", "a/b", "a/b/c", "a/d", "e/f", "g"}) {
    models::Model m;
    m.id = name;
    m.name = name;
    m.updated_at = ++t;
    all.push_back(m);
  }
  const auto top = models::tree_children(all, "");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].full_name, "g");
  EXPECT_EQ(top[1].full_name, "e");
  EXPECT_FALSE(top[1].model);
  EXPECT_TRUE(top[1].has_children);
  const auto under_a = models::tree_children(all, "A");
  ASSERT_EQ(under_a.size(), 2u);
  EXPECT_EQ(under_a[0].full_name, "a/d");
  EXPECT_EQ(under_a[1].full_name, "a/b");
  EXPECT_TRUE(under_a[1].has_children);
  EXPECT_EQ(models::tree_search(all, "b").size(), 2u);
}

// --- projects -------------------------------------------------------------------------------

TEST_P(CoreServicesTest, CreatingAProjectMakesTheCallerOwnerAndAddsAHiddenMainModel) {
  const auto p = make_project();
  EXPECT_EQ(projects::find_role(*conn_, p.id, ann_.user_id), "stream:owner");
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  EXPECT_EQ(main.description, "default model");
  EXPECT_EQ(models::list_models(*conn_, {.project_id = p.id}).total_count, 0);
}

TEST_P(CoreServicesTest, ProjectsWithoutANameGetARandomTwoWordName) {
  const auto p = projects::create_project(*conn_, ann_, {"", std::nullopt, std::nullopt}, tick());
  EXPECT_NE(p.name.find(' '), std::string::npos);
  EXPECT_EQ(p.visibility, "private");
}

TEST_P(CoreServicesTest, UnlistedMeansPublicAndPrivateTurnsCommentsOff) {
  const auto p = make_project();
  auto updated = projects::update_project(
      *conn_, ann_, {.id = p.id, .visibility = "UNLISTED", .allow_public_comments = true}, tick());
  EXPECT_EQ(updated.visibility, "public");
  EXPECT_TRUE(updated.allow_public_comments);
  updated = projects::update_project(*conn_, ann_, {.id = p.id, .visibility = "PRIVATE"}, tick());
  EXPECT_FALSE(updated.allow_public_comments);
}

TEST_P(CoreServicesTest, ReadingAPrivateProjectNeedsARole) {
  const auto p = make_project();
  EXPECT_EQ(error_code([&] { projects::read_project(*conn_, bob_, p.id); }), "FORBIDDEN");
  EXPECT_EQ(error_code([&] { projects::read_project(*conn_, {}, p.id); }), "FORBIDDEN");
  EXPECT_EQ(error_code([&] { projects::read_project(*conn_, bob_, "0000000000"); }),
            "STREAM_NOT_FOUND");
}

TEST_P(CoreServicesTest, DeletingAProjectRemovesEverythingInIt) {
  const auto p = make_project();
  store_object(p.id, kRoot, std::nullopt);
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
  EXPECT_EQ(error_code([&] { projects::delete_project(*conn_, bob_, p.id); }), "FORBIDDEN");

  projects::delete_project(*conn_, ann_, p.id);
  for (const char* table : {"objects", "versions", "models", "project_acl"}) {
    EXPECT_EQ(count(table, p.id), 0) << table;
  }
  EXPECT_EQ(error_code([&] { projects::delete_project(*conn_, ann_, p.id); }), "STREAM_NOT_FOUND");
}

TEST_P(CoreServicesTest, RolesAreGrantedThroughInvitesOnly) {
  const auto p = make_project();
  EXPECT_EQ(error_code([&] {
              projects::update_role(*conn_, ann_, p.id, bob_.user_id, "stream:reviewer");
            }),
            "STREAM_UPDATE_ERROR");

  const auto invite = projects::create_invite(
      *conn_, ann_, p.id, {bob_.user_id, std::nullopt, "stream:reviewer"}, tick());
  EXPECT_EQ(error_code([&] { projects::use_invite(*conn_, bob_, p.id, "garbage", true); }),
            "INVITE_NOT_FOUND");
  projects::use_invite(*conn_, bob_, p.id, invite.token, true);
  EXPECT_EQ(projects::find_role(*conn_, p.id, bob_.user_id), "stream:reviewer");

  projects::update_role(*conn_, ann_, p.id, bob_.user_id, "stream:contributor");
  EXPECT_EQ(projects::find_role(*conn_, p.id, bob_.user_id), "stream:contributor");
  EXPECT_EQ(error_code([&] {
              projects::update_role(*conn_, ann_, p.id, ann_.user_id, "stream:reviewer");
            }),
            "STREAM_INVALID_ACCESS_ERROR");
  projects::update_role(*conn_, ann_, p.id, bob_.user_id, std::nullopt);
  EXPECT_FALSE(projects::find_role(*conn_, p.id, bob_.user_id));
}

TEST_P(CoreServicesTest, TheLastOwnerCannotLeave) {
  const auto p = make_project();
  EXPECT_EQ(error_code([&] { projects::leave_project(*conn_, ann_, p.id); }), "BAD_REQUEST_ERROR");
  EXPECT_EQ(error_code([&] { projects::leave_project(*conn_, bob_, p.id); }), "FORBIDDEN");
}

TEST_P(CoreServicesTest, UserProjectsAreNewestFirstAndPagedByCursor) {
  for (const char* name : {"one", "two", "three"}) make_project(name);
  auto page = projects::list_user_projects(*conn_, {.user_id = ann_.user_id, .limit = 2});
  EXPECT_EQ(page.total_count, 3);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].project.name, "three");
  page = projects::list_user_projects(
      *conn_,
      {.user_id = ann_.user_id, .limit = 2, .after = projects::decode_cursor(*page.cursor)});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].project.name, "one");
  page = projects::list_user_projects(
      *conn_,
      {.user_id = ann_.user_id, .limit = 2, .after = projects::decode_cursor(*page.cursor)});
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.cursor);
}

// --- models ---------------------------------------------------------------------------------

TEST_P(CoreServicesTest, ModelNamesAreUniqueAfterNormalisation) {
  const auto p = make_project();
  const auto m = models::create_model(*conn_, ann_, {p.id, "A / B", std::nullopt}, tick());
  EXPECT_EQ(m.name, "a/b");
  EXPECT_EQ(error_code([&] {
              models::create_model(*conn_, ann_, {p.id, "a//b", {}}, tick());
            }),
            "BRANCH_CREATE_ERROR");
  EXPECT_EQ(error_code([&] {
              models::create_model(*conn_, ann_, {p.id, "MAIN", {}}, tick());
            }),
            "BRANCH_CREATE_ERROR");
}

TEST_P(CoreServicesTest, ModelByNameIgnoresCaseButNotPadding) {
  const auto p = make_project();
  models::create_model(*conn_, ann_, {p.id, "MyModel", std::nullopt}, tick());
  EXPECT_EQ(models::get_model_by_name(*conn_, p.id, "MyModel").name, "mymodel");
  EXPECT_EQ(error_code([&] { models::get_model_by_name(*conn_, p.id, " mymodel "); }),
            "BRANCH_NOT_FOUND");
}

TEST_P(CoreServicesTest, MainCannotBeDeletedButOthersCan) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  EXPECT_EQ(error_code([&] { models::delete_model(*conn_, ann_, p.id, main.id); }),
            "BAD_REQUEST_ERROR");
  const auto m = models::create_model(*conn_, ann_, {p.id, "victim", std::nullopt}, tick());
  models::delete_model(*conn_, ann_, p.id, m.id);
  EXPECT_EQ(error_code([&] { models::delete_model(*conn_, ann_, p.id, m.id); }), "NOT_FOUND_ERROR");
}

TEST_P(CoreServicesTest, RenamingOnlyLowerCasesAndRefusesTakenNames) {
  const auto p = make_project();
  const auto first = models::create_model(*conn_, ann_, {p.id, "first", std::nullopt}, tick());
  models::create_model(*conn_, ann_, {p.id, "second", std::nullopt}, tick());
  const auto renamed =
      models::update_model(*conn_, ann_, {p.id, first.id, " Renamed / Child ", {}}, tick());
  EXPECT_EQ(renamed.name, " renamed / child ");
  EXPECT_EQ(error_code([&] {
              models::update_model(*conn_, ann_, {p.id, first.id, "SECOND", {}}, tick());
            }),
            "BRANCH_UPDATE_ERROR");
  EXPECT_EQ(error_code([&] {
              models::update_model(*conn_, ann_, {p.id, first.id, "", {}}, tick());
            }),
            "BRANCH_UPDATE_ERROR");
}

TEST_P(CoreServicesTest, ModelsListNewestUpdatedFirstWithFilters) {
  const auto p = make_project();
  store_object(p.id, kRoot, std::nullopt);
  const auto walls = models::create_model(*conn_, ann_, {p.id, "walls", {}}, tick());
  models::create_model(*conn_, ann_, {p.id, "windows", {}}, tick());
  models::create_model(*conn_, ann_, {p.id, "roof", {}}, tick());
  versions::create_version(*conn_, ann_, {p.id, walls.id, kRoot, {}, "replay", {}}, tick());

  const auto all = models::list_models(*conn_, {.project_id = p.id});
  ASSERT_EQ(all.items.size(), 3u);
  EXPECT_EQ(all.items[0].name, "walls");
  EXPECT_EQ(all.items[1].name, "roof");
  EXPECT_EQ(models::list_models(*conn_, {.project_id = p.id, .search = "wi"}).total_count, 1);
  EXPECT_EQ(
      models::list_models(*conn_, {.project_id = p.id, .source_apps = {"replay"}}).items.at(0).name,
      "walls");
}

TEST_P(CoreServicesTest, FirstModelPagesOfSeveralProjectsMatchTheirOwnLists) {
  const auto p = make_project("p");
  const auto q = make_project("q");
  const auto empty = make_project("empty");
  store_object(p.id, kRoot, std::nullopt);
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
  for (const auto* name : {"a", "b", "c"})
    models::create_model(*conn_, ann_, {p.id, name, {}}, tick());
  models::create_model(*conn_, ann_, {q.id, "only", {}}, tick());

  // `main` counts in p, where it has a version, and not in q or empty.
  const std::vector<std::string> ids = {p.id, q.id, empty.id};
  EXPECT_EQ(models::count_listed_models(*conn_, ids), (std::vector<int64_t>{4, 1, 0}));

  // Two per project, in list_models' order, grouped by project.
  const auto page = models::latest_listed_models(*conn_, ids, 2);
  std::vector<std::string> names;
  for (const auto& m : page) names.push_back(m.project_id == p.id ? "p/" + m.name : "q/" + m.name);
  std::vector<std::string> expected;
  for (const auto& id : {p.id, q.id}) {
    for (const auto& m : models::list_models(*conn_, {.project_id = id, .limit = 2}).items) {
      expected.push_back((id == p.id ? "p/" : "q/") + m.name);
    }
  }
  std::sort(names.begin(), names.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected);
  EXPECT_EQ(names, (std::vector<std::string>{"p/b", "p/c", "q/only"}));
}

// --- versions -------------------------------------------------------------------------------

TEST_P(CoreServicesTest, VersionChildCountComesFromTheRootObjectRow) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  store_object(p.id, "ffffffffffffffffffffffffffffffff", 2);

  auto v = versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, "", {}, {}}, tick());
  EXPECT_EQ(v.total_children_count, 1);
  EXPECT_FALSE(v.message);
  EXPECT_EQ(v.parents, std::vector<std::string>{});
  v = versions::create_version(
      *conn_, ann_, {p.id, main.id, "ffffffffffffffffffffffffffffffff", {}, {}, {}}, tick());
  EXPECT_EQ(v.total_children_count, 2);
}

TEST_P(CoreServicesTest, LegacyCommitsKeepTheClientsChildCount) {
  const auto p = make_project();
  store_object(p.id, kRoot, std::nullopt);
  const auto v =
      versions::create_commit(*conn_, ann_, {p.id, "MAIN", kRoot, "m", {}, 42, {}}, tick());
  EXPECT_EQ(v.total_children_count, 42);
  EXPECT_FALSE(v.parents);
}

TEST_P(CoreServicesTest, VersionsNeedAStoredRootAndAModelOfTheProject) {
  const auto p = make_project();
  const auto q = make_project("q");
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  const auto foreign = models::get_model_by_name(*conn_, q.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  EXPECT_EQ(error_code([&] {
              versions::create_version(*conn_, ann_,
                                       {p.id, main.id, std::string(32, 'e'), {}, {}, {}}, tick());
            }),
            "COMMIT_CREATE_ERROR");
  EXPECT_EQ(error_code([&] {
              versions::create_version(*conn_, ann_, {p.id, foreign.id, kRoot, {}, {}, {}}, tick());
            }),
            "COMMIT_CREATE_ERROR");
  EXPECT_EQ(error_code([&] {
              versions::create_version(*conn_, bob_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
            }),
            "FORBIDDEN");
}

TEST_P(CoreServicesTest, VersionsPageNewestFirstUntilAnEmptyPage) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  for (const char* message : {"one", "two", "three"}) {
    versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, message, {}, {}}, tick());
  }
  versions::VersionsQuery query{.project_id = p.id, .model_id = main.id, .limit = 2};
  auto page = versions::list_versions(*conn_, query);
  EXPECT_EQ(page.total_count, 3);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].message, "three");
  query.after = projects::decode_cursor(*page.cursor);
  page = versions::list_versions(*conn_, query);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].message, "one");
  query.after = projects::decode_cursor(*page.cursor);
  page = versions::list_versions(*conn_, query);
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.cursor);
}

TEST_P(CoreServicesTest, MovingVersionsCreatesTheTargetModel) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  const auto v = versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
  const auto target =
      versions::move_versions(*conn_, ann_, p.id, {v.id}, "Brand New/Target", tick());
  EXPECT_EQ(target.name, "brand new/target");
  EXPECT_EQ(versions::get_version(*conn_, p.id, v.id).model_id, target.id);
  EXPECT_EQ(
      error_code([&] { versions::move_versions(*conn_, ann_, p.id, {v.id}, "#bad", tick()); }),
      "COMMIT_BATCH_UPDATE_ERROR");
  EXPECT_EQ(
      error_code([&] { versions::move_versions(*conn_, ann_, p.id, {"0000000000"}, "x", tick()); }),
      "NOT_FOUND_ERROR");
}

TEST_P(CoreServicesTest, ContributorsEditOnlyTheirOwnVersions) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  const auto owners =
      versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
  projects::set_role(*conn_, p.id, bob_.user_id, auth::kProjectContributor);
  const auto bobs =
      versions::create_version(*conn_, bob_, {p.id, main.id, kRoot, {}, {}, {}}, tick());

  EXPECT_EQ(error_code([&] { versions::update_version(*conn_, bob_, p.id, owners.id, "x"); }),
            "FORBIDDEN");
  EXPECT_EQ(versions::update_version(*conn_, bob_, p.id, bobs.id, "mine").message, "mine");
  EXPECT_EQ(error_code([&] { versions::delete_versions(*conn_, bob_, p.id, {owners.id}); }),
            "FORBIDDEN");
  versions::delete_versions(*conn_, ann_, p.id, {bobs.id});
  EXPECT_EQ(error_code([&] { versions::get_version(*conn_, p.id, bobs.id); }), "COMMIT_NOT_FOUND");
}

TEST_P(CoreServicesTest, MarkingReceivedNeedsTheLoadPermission) {
  const auto p = make_project();
  const auto main = models::get_model_by_name(*conn_, p.id, "main");
  store_object(p.id, kRoot, std::nullopt);
  const auto v = versions::create_version(*conn_, ann_, {p.id, main.id, kRoot, {}, {}, {}}, tick());
  projects::set_role(*conn_, p.id, bob_.user_id, auth::kProjectReviewer);
  EXPECT_NO_THROW(versions::mark_received(*conn_, ann_, p.id, v.id));
  EXPECT_EQ(error_code([&] { versions::mark_received(*conn_, bob_, p.id, v.id); }), "FORBIDDEN");
  EXPECT_EQ(error_code([&] { versions::mark_received(*conn_, ann_, p.id, "0000000000"); }),
            "COMMIT_RECEIVE_ERROR");
}

INSTANTIATE_TEST_SUITE_P(Backends, CoreServicesTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) {
                           return info.param == Dialect::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace stipple
