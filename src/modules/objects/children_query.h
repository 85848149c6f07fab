// Object.children without the database: the rules of its arguments, JSON paths, filters, the
// ordering and the cursors. The children of an object are the ids its `__closure` names (with
// the depth at which each first appears) that the same project stores.
//
// Two modes, as upstream:
// - plain (neither `query` nor `orderBy` given): children in id order after the cursor, which is
//   the last id of the previous page; totalCount is the parent's stored totalChildrenCount;
// - filtered (`query` or `orderBy` given): children whose data pass every filter, ordered by one
//   field of the data (ties by id), with an opaque cursor; totalCount counts every match.
// In both, `select` replaces each child's data by the listed paths ("name", "a.b", "faces[0]"),
// and a child that has none of the paths is left out (upstream selects the paths with a
// set-returning SQL function, which yields no row for it). In the filtered mode the order field
// counts as selected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace stipple::objects {

namespace json = boost::json;

// One condition of `query`: the value at `field` compared with `value`.
struct ChildFilter {
  std::string field;
  std::string op;  // = != > >= < <=
  json::value value;
  // Verb "or": this statement starts a new alternative. The query passes when every statement
  // of some alternative does (SQL's AND binds tighter than OR, as in upstream's query).
  bool starts_alternative = false;
};

struct ChildOrder {
  std::string field = "id";
  bool descending = false;
};

struct ChildrenArgs {
  int64_t limit = 50;  // page size actually used
  // Children whose closure depth is below this, compared as numbers. (Upstream's SQL compares
  // the depth's text with the argument, so there depth 50 leaves out depths 6 to 9; not copied.)
  int64_t depth = 1000;
  std::optional<std::vector<std::string>> select;
  std::optional<std::string> cursor;
  bool filtered = false;
  std::vector<ChildFilter> filters;
  ChildOrder order;
};

// Reads the field arguments. A limit or depth of 0 means 50 or 1000, as upstream. An operator
// outside the list gives USER_INPUT_ERROR "Invalid operator for query".
ChildrenArgs parse_children_args(const json::object& args);

// A child as stored.
struct ChildRow {
  std::string id;
  std::string speckle_type;
  std::optional<int64_t> total_children_count;
  int64_t created_at = 0;
  std::string data;  // the stored JSON text
};

// A child as answered: the row, and its data (whole, or the selected paths).
struct ChildObject {
  ChildRow row;
  json::value data;
};

struct ChildrenPage {
  int64_t total_count = 0;
  std::optional<std::string> cursor;
  std::vector<ChildObject> objects;
};

// The plain mode: takes the candidate rows in id order (after the cursor) and keeps the first
// `limit`. The cursor is the last id, null for an empty page.
class PlainChildren {
 public:
  PlainChildren(const ChildrenArgs& args, int64_t total_count);

  // Takes the next row; ignored once the page is full.
  void add(ChildRow row);
  bool full() const { return static_cast<int64_t>(page_.objects.size()) >= args_.limit; }
  ChildrenPage finish();

 private:
  ChildrenArgs args_;
  ChildrenPage page_;
};

// The filtered mode: takes every candidate row (any order), keeps only the page, and counts the
// matches. Memory stays bounded by the page size whatever the number of children.
class FilteredChildren {
 public:
  explicit FilteredChildren(const ChildrenArgs& args);

  void add(ChildRow row);
  // The page, in order; the cursor is set when the page is full.
  ChildrenPage finish();

 private:
  struct Entry {
    std::optional<json::value> key;  // the order field's value; absent when the child lacks it
    ChildObject object;
  };
  struct Position {
    std::string field;
    bool descending = false;
    std::optional<json::value> value;
    std::optional<std::string> last_id;  // ties after this id; absent when ordering by id
  };

  bool before(const Entry& a, const Entry& b) const;
  bool after_cursor(const json::value& data, std::string_view id) const;
  static std::optional<Position> decode_position(std::string_view text);
  std::string encode_position(const Entry& last) const;

  ChildrenArgs args_;
  std::vector<std::string> select_;  // with the order field added, as upstream does
  std::optional<Position> position_;
  int64_t matches_ = 0;
  std::vector<Entry> heap_;  // the best `limit` entries so far, worst on top
};

// --- JSON paths and values -----------------------------------------------------------------

// The value at `path` in `data`; nullptr when some step is missing.
const json::value* find_path(const json::value& data, std::string_view path);
// Sets `path` in `out`, creating the objects and arrays on the way (lodash's set); arrays are
// padded with nulls up to an index. Nothing is set when an index exceeds `max_index`.
void set_path(json::object& out, std::string_view path, json::value value,
              std::size_t max_index = SIZE_MAX);
// The selected paths of `data`, each null when missing; nullopt when every path is missing.
std::optional<json::object> select_paths(const json::value& data,
                                         const std::vector<std::string>& paths);

// Whether the value at a filter's field passes it. A missing value never passes. Numbers compare
// with numbers and booleans with booleans (other values never pass); any other filter value
// compares as text with the field's JSON text, as upstream's SQL does.
bool passes(const json::value* field, const ChildFilter& filter);

// The order of values of the order field (PostgreSQL's jsonb order: null < strings < numbers <
// booleans < arrays < objects), with a missing value after every present one. <0, 0 or >0.
int compare_order_values(const std::optional<json::value>& a, const std::optional<json::value>& b);

}  // namespace stipple::objects
