// The objects table: the SQL of object transport, for both backends. Objects are immutable and
// per project; their JSON is stored as the minified text that was uploaded.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "db/database.h"
#include "modules/objects/children_query.h"
#include "modules/objects/object_create.h"
#include "modules/objects/upload.h"

namespace stipple::objects {

// Stores every object of `spool` in one transaction; ids the project already has are left as
// they are (objects never change). Within the spool the last object of an id wins, as in
// upstream's batches. PostgreSQL copies the rows into a staging table (COPY) and inserts from
// there in id order; SQLite inserts with one prepared statement.
void store_spool(db::Connection& conn, std::string_view project_id, ObjectSpool& spool,
                 int64_t now_ms);

// The ids of `ids` the project has.
std::unordered_set<std::string> existing_ids(db::Connection& conn, std::string_view project_id,
                                             const std::vector<std::string>& ids);

struct StoredObject {
  std::string data;
  std::optional<int64_t> total_children_count;
};
std::optional<StoredObject> find_object(db::Connection& conn, std::string_view project_id,
                                        std::string_view id);

// Hands (id, data) of every object of the project that `root_id`'s __closure names, in
// ascending id order, each once; on_row returns false to stop.
using OnObject = std::function<bool(std::string_view id, std::string_view data)>;
void each_closure_object(db::Connection& conn, std::string_view project_id,
                         std::string_view root_id, const OnObject& on_row);

// Hands the objects of `ids` the project has, in ascending id order, each once.
void each_object(db::Connection& conn, std::string_view project_id,
                 std::span<const std::string> ids, const OnObject& on_row);

// Stores objects of the legacy objectCreate mutation in one transaction; ids the project already
// has are left as they are.
void store_created_objects(db::Connection& conn, std::string_view project_id,
                           const std::vector<CreatedObject>& objects, int64_t now_ms);

// What each_child reads.
struct ChildrenScan {
  std::vector<std::string> parent_ids;
  int64_t depth = 0;                  // closure depths below this
  std::string after_id;               // ids greater than this ("" for all)
  std::optional<int64_t> per_parent;  // at most this many children of each parent
};
// Hands the children of each parent of the scan to on_child, ordered by parent then id, each
// once: the ids the parent's `__closure` names at a depth below scan.depth that the project
// stores. One query for all parents; on_child returns false to stop.
using OnChild = std::function<bool(std::string_view parent_id, ChildRow row)>;
void each_child(db::Connection& conn, std::string_view project_id, const ChildrenScan& scan,
                const OnChild& on_child);

}  // namespace stipple::objects
