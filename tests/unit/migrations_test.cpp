// Migrations on both backends: a fresh database, a re-run, and a failing file that must roll
// back. PostgreSQL runs when STIPPLE_TEST_POSTGRES_URL names a server (scripts/test sets it).
#include "db/migrations.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "base/error.h"
#include "base/ids.h"

namespace stipple::db {
namespace {

class MigrationsTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::sqlite) {
      path_ = std::filesystem::temp_directory_path() / ("stipple-mig-" + random_hex(8) + ".db");
      conn_ = open_sqlite(path_.string());
      return;
    }
    const char* base = std::getenv("STIPPLE_TEST_POSTGRES_URL");
    if (!base || !*base) GTEST_SKIP() << "STIPPLE_TEST_POSTGRES_URL is not set";
    // A fresh database per test, dropped afterwards.
    admin_ = open_postgres(base);
    database_ = "stipple_mig_" + random_hex(8);
    admin_->exec_script("CREATE DATABASE " + database_);
    std::string url = base;
    url = url.substr(0, url.rfind('/') + 1) + database_;
    conn_ = open_postgres(url);
  }

  void TearDown() override {
    conn_.reset();
    if (!path_.empty()) {
      std::filesystem::remove(path_);
      std::filesystem::remove(path_.string() + "-wal");
      std::filesystem::remove(path_.string() + "-shm");
    }
    if (admin_) admin_->exec_script("DROP DATABASE IF EXISTS " + database_);
  }

  bool table_exists(const std::string& name) {
    const auto sql = GetParam() == Dialect::sqlite
                         ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1"
                         : "SELECT 1 FROM information_schema.tables WHERE table_name = $1";
    return !conn_->query(sql, {std::string_view(name)}).empty();
  }

  std::filesystem::path path_;
  std::unique_ptr<Connection> admin_;
  std::string database_;
  std::unique_ptr<Connection> conn_;
};

TEST_P(MigrationsTest, AppliesEveryEmbeddedMigrationToAFreshDatabase) {
  const auto all = embedded_migrations(GetParam());
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().name, "202612031800_core_init.sql");
  const auto applied = migrate(*conn_, all);
  EXPECT_EQ(applied.size(), all.size());
  EXPECT_TRUE(table_exists("users"));
  EXPECT_TRUE(table_exists("objects"));
  const auto config = conn_->query("SELECT name FROM server_config WHERE id = 0");
  ASSERT_EQ(config.size(), 1u);
}

TEST_P(MigrationsTest, ReRunningIsANoOp) {
  const auto all = embedded_migrations(GetParam());
  migrate(*conn_, all);
  EXPECT_TRUE(migrate(*conn_, all).empty());
  EXPECT_EQ(applied_migrations(*conn_).size(), all.size());
}

TEST_P(MigrationsTest, AFailingMigrationRollsBackAndIsNotRecorded) {
  const std::vector<Migration> migrations = {
      {"000001_test_good.sql", "CREATE TABLE good_table (id INTEGER PRIMARY KEY);"},
      {"000002_test_bad.sql",
       "CREATE TABLE half_table (id INTEGER PRIMARY KEY);\n"
       "INSERT INTO half_table (id) VALUES (1);\n"
       "INSERT INTO table_that_does_not_exist VALUES (1);"},
  };
  try {
    migrate(*conn_, migrations);
    FAIL() << "the bad migration should have failed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "MIGRATION_FAILED");
    EXPECT_NE(std::string(e.what()).find("000002_test_bad.sql"), std::string::npos);
  }
  EXPECT_TRUE(table_exists("good_table"));
  EXPECT_FALSE(table_exists("half_table"));
  EXPECT_EQ(applied_migrations(*conn_), std::vector<std::string>{"000001_test_good.sql"});
}

TEST_P(MigrationsTest, AppliesOnlyWhatIsMissingAfterAFix) {
  std::vector<Migration> migrations = {
      {"000001_test_a.sql", "CREATE TABLE table_a (id INTEGER);"},
      {"000002_test_b.sql", "CREATE TABLE table_b (id INTEGER); SELECT * FROM nowhere;"},
  };
  EXPECT_THROW(migrate(*conn_, migrations), Error);
  migrations[1].sql = "CREATE TABLE table_b (id INTEGER);";
  EXPECT_EQ(migrate(*conn_, migrations), std::vector<std::string>{"000002_test_b.sql"});
  EXPECT_TRUE(table_exists("table_b"));
}

TEST_P(MigrationsTest, BindsNumberedPlaceholdersInAnyOrder) {
  conn_->exec_script("CREATE TABLE pairs (a TEXT, b BIGINT)");
  conn_->query("INSERT INTO pairs (b, a) VALUES ($2, $1)", {std::string_view("x"), int64_t{7}});
  const auto r = conn_->query("SELECT a, b FROM pairs WHERE b = $1 AND a = $2",
                              {int64_t{7}, std::string_view("x")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text(0), "x");
  EXPECT_EQ(r[0].integer(1), 7);
}

TEST_P(MigrationsTest, TransactionRollsBackOnException) {
  conn_->exec_script("CREATE TABLE t (id INTEGER)");
  EXPECT_THROW(conn_->transaction([&] {
    conn_->query("INSERT INTO t (id) VALUES (1)");
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  EXPECT_TRUE(conn_->query("SELECT id FROM t").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) {
                           return info.param == Dialect::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace stipple::db
