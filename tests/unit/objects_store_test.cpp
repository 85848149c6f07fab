// Storing an upload's spool: SQLite always, PostgreSQL when STIPPLE_TEST_POSTGRES_URL names a
// server. On PostgreSQL new objects are COPYed straight into the table; an object another upload
// stores meanwhile makes that COPY fail, and the store falls back to its staging path.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "backend_test_db.h"
#include "modules/objects/object_store.h"
#include "modules/objects/upload.h"

namespace stipple {
namespace {

using db::Dialect;

const std::string kA(32, 'a');
const std::string kB(32, 'b');
const std::string kC(32, 'c');

objects::PreparedObject object(const std::string& id, const std::string& version) {
  return {id, "Base", "{\"id\":\"" + id + "\",\"v\":\"" + version + "\"}"};
}

class ObjectStoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing::BackendDb>(GetParam(), "stipple_store");
    if (!db_->available()) GTEST_SKIP() << "STIPPLE_TEST_POSTGRES_URL is not set";
    conn_ = &db_->conn();
    conn_->execute(
        "INSERT INTO projects (id, name, visibility, created_at, updated_at) "
        "VALUES ('p000000001', 'p', 'private', 0, 0)");
  }

  std::string stored(const std::string& id) {
    const auto r =
        conn_->query("SELECT data FROM objects WHERE project_id = 'p000000001' AND id = $1", {id});
    return r.empty() ? std::string() : r[0].text(0);
  }

  std::unique_ptr<testing::BackendDb> db_;
  db::Connection* conn_ = nullptr;
};

TEST_P(ObjectStoreTest, StoresTheLastRecordOfEachIdOnce) {
  objects::ObjectSpool spool;
  spool.append(object(kB, "1"));
  spool.append(object(kA, "1"));
  spool.append(object(kA, "2"));
  objects::store_spool(*conn_, "p000000001", spool, 5);
  EXPECT_EQ(stored(kA), object(kA, "2").data);
  EXPECT_EQ(stored(kB), object(kB, "1").data);
  EXPECT_EQ(conn_->query("SELECT COUNT(*) FROM objects")[0].integer(0), 2);
}

TEST_P(ObjectStoreTest, LeavesStoredObjectsAsTheyAre) {
  objects::ObjectSpool first;
  first.append(object(kA, "1"));
  objects::store_spool(*conn_, "p000000001", first, 5);
  objects::ObjectSpool second;
  second.append(object(kA, "2"));
  second.append(object(kC, "1"));
  objects::store_spool(*conn_, "p000000001", second, 6);
  EXPECT_EQ(stored(kA), object(kA, "1").data);
  EXPECT_EQ(stored(kC), object(kC, "1").data);
}

TEST_P(ObjectStoreTest, AnObjectStoredMeanwhileByAnotherUploadIsKept) {
  if (GetParam() != Dialect::postgres) GTEST_SKIP() << "SQLite writers are serialised";
  // Another upload has inserted kA and not committed yet: our check cannot see it, so our COPY
  // waits on its key and fails once the other commits.
  auto other = db::open_postgres(db_->url());
  other->begin();
  other->execute(
      "INSERT INTO objects (project_id, id, data, created_at) VALUES ('p000000001', $1, $2, 1)",
      {kA, object(kA, "other").data});

  objects::ObjectSpool spool;
  spool.append(object(kA, "ours"));
  spool.append(object(kC, "ours"));
  std::exception_ptr failure;
  std::thread upload([&] {
    try {
      objects::store_spool(*conn_, "p000000001", spool, 7);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  other->commit();
  upload.join();

  EXPECT_FALSE(failure);
  EXPECT_EQ(stored(kA), object(kA, "other").data);
  EXPECT_EQ(stored(kC), object(kC, "ours").data);
}

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) {
                           return info.param == Dialect::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace stipple
