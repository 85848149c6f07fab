#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "modules/objects/children_query.h"

namespace stipple::objects {
namespace {

ChildRow row(std::string id, std::string data) {
  return ChildRow{std::move(id), "Base", std::nullopt, 0, std::move(data)};
}

bool passes_value(json::value field, const ChildFilter& filter) {
  return passes(&field, filter);
}

ChildrenArgs args_of(std::string_view json_text) {
  return parse_children_args(json::parse(json_text).as_object());
}

// Five leaves "a".."e" with values 0..4 and names leaf-0..leaf-4 ("c" lacks its value).
std::vector<ChildRow> leaves() {
  return {row("e", R"({"id":"e","name":"leaf-4","value":4})"),
          row("b", R"({"id":"b","name":"leaf-1","value":1})"),
          row("d", R"({"id":"d","name":"leaf-3","value":3})"),
          row("a", R"({"id":"a","name":"leaf-0","value":0})"),
          row("c", R"({"id":"c","name":"leaf-2"})")};
}

ChildrenPage filtered_page(std::string_view json_text) {
  FilteredChildren children(args_of(json_text));
  for (auto& r : leaves()) children.add(std::move(r));
  return children.finish();
}

std::vector<std::string> ids(const ChildrenPage& page) {
  std::vector<std::string> out;
  for (const auto& o : page.objects) out.push_back(o.row.id);
  return out;
}

TEST(ChildrenArgs, ZeroLimitAndDepthMeanUpstreamDefaults) {
  const auto args = args_of(R"({"limit":0,"depth":0})");
  EXPECT_EQ(args.limit, 50);
  EXPECT_EQ(args.depth, 1000);
  EXPECT_FALSE(args.filtered);
}

TEST(ChildrenArgs, QueryOrOrderByChoosesTheFilteredMode) {
  EXPECT_TRUE(args_of(R"({"limit":10,"depth":50,"query":[]})").filtered);
  EXPECT_TRUE(args_of(R"({"limit":10,"depth":50,"orderBy":{"field":"x"}})").filtered);
  EXPECT_FALSE(args_of(R"({"limit":10,"depth":50,"query":null,"orderBy":null})").filtered);
}

TEST(ChildrenArgs, UnknownOperatorIsAUserInputError) {
  try {
    args_of(R"({"query":[{"field":"value","value":1,"operator":"LIKE"}]})");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "USER_INPUT_ERROR");
    EXPECT_STREQ(e.what(), "Invalid operator for query");
  }
}

TEST(ChildrenArgs, DescendingDirectionIsCaseInsensitive) {
  const auto args = args_of(R"({"orderBy":{"field":"value","direction":"DESC"}})");
  EXPECT_EQ(args.order.field, "value");
  EXPECT_TRUE(args.order.descending);
}

TEST(JsonPaths, FindsNestedMembersAndIndices) {
  const auto data = json::parse(R"({"a":{"b":[10,20,{"c":"x"}]}})");
  EXPECT_EQ(*find_path(data, "a.b[1]"), json::value(20));
  EXPECT_EQ(*find_path(data, "a.b[2].c"), json::value("x"));
  EXPECT_EQ(find_path(data, "a.missing"), nullptr);
  EXPECT_EQ(find_path(data, "a.b[7]"), nullptr);
}

TEST(JsonPaths, SelectBuildsNestedObjectsAndNullsForMissingPaths) {
  const auto data = json::parse(R"({"name":"n","a":{"b":1,"c":2},"faces":[3,0,1]})");
  const auto selected = select_paths(data, {"name", "a.b", "faces[1]", "nope"});
  ASSERT_TRUE(selected);
  EXPECT_EQ(json::serialize(*selected), R"({"name":"n","a":{"b":1},"faces":[null,0],"nope":null})");
  EXPECT_FALSE(select_paths(data, {"nope", "a.x"}));
}

TEST(JsonPaths, MissingPathsDoNotPadArraysWithoutBound) {
  const auto data = json::parse(R"({"name":"n"})");
  const auto selected = select_paths(data, {"name", "list[3]", "huge[999999999]"});
  ASSERT_TRUE(selected);
  EXPECT_EQ(json::serialize(*selected), R"({"name":"n","list":[null,null,null,null]})");
}

TEST(Filters, NumbersCompareWithNumbersOnly) {
  EXPECT_TRUE(passes_value(2, {"v", ">=", 2}));
  EXPECT_TRUE(passes_value(2.5, {"v", ">", 2}));
  EXPECT_FALSE(passes_value("3", {"v", ">", 2}));
  EXPECT_FALSE(passes(nullptr, {"v", "!=", 2}));
}

TEST(Filters, StringsCompareAsJsonText) {
  EXPECT_TRUE(passes_value("leaf-3", {"name", "=", "leaf-3"}));
  EXPECT_TRUE(passes_value("abc", {"name", "<", "abd"}));
  EXPECT_FALSE(passes_value(5, {"name", "=", "5"}));
}

TEST(Filters, BooleansCompareWithBooleansOnly) {
  EXPECT_TRUE(passes_value(true, {"flag", "=", true}));
  EXPECT_FALSE(passes_value(1, {"flag", "=", true}));
}

TEST(OrderValues, FollowPostgresJsonbOrderWithMissingLast) {
  EXPECT_LT(compare_order_values(json::value(nullptr), json::value("a")), 0);
  EXPECT_LT(compare_order_values(json::value("z"), json::value(1)), 0);
  EXPECT_LT(compare_order_values(json::value(2), json::value(10)), 0);
  EXPECT_LT(compare_order_values(json::value(10), json::value(false)), 0);
  EXPECT_LT(compare_order_values(json::value(true), json::array{}), 0);
  EXPECT_LT(compare_order_values(json::array{1, 2}, json::object{}), 0);
  EXPECT_LT(compare_order_values(json::value(1e9), std::nullopt), 0);
  EXPECT_EQ(compare_order_values(std::nullopt, std::nullopt), 0);
}

ChildrenPage plain_page(std::string_view json_text, std::vector<ChildRow> rows) {
  PlainChildren children(args_of(json_text), 5);
  for (auto& r : rows) children.add(std::move(r));
  return children.finish();
}

TEST(PlainChildren, KeepsTheFirstRowsAndTheLastIdAsCursor) {
  const auto page = plain_page(R"({"limit":2})", {leaves()[3], leaves()[1], leaves()[4]});
  EXPECT_EQ(page.total_count, 5);
  EXPECT_EQ(page.cursor, "b");
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a", "b"}));
}

TEST(PlainChildren, SelectReplacesTheDataAndSkipsChildrenWithoutAnyPath) {
  const auto page =
      plain_page(R"({"limit":2,"select":["value"]})", {leaves()[3], leaves()[4], leaves()[2]});
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(json::serialize(page.objects[0].data), R"({"value":0})");
}

TEST(PlainChildren, EmptyPageHasNoCursor) {
  const auto page = plain_page(R"({"limit":2})", {});
  EXPECT_FALSE(page.cursor);
  EXPECT_TRUE(page.objects.empty());
}

TEST(FilteredChildren, FiltersAndOrdersDescending) {
  const auto page =
      filtered_page(R"({"limit":100,"query":[{"field":"value","value":2,"operator":">="}],)"
                    R"("orderBy":{"field":"value","direction":"desc"},"select":["value"]})");
  EXPECT_EQ(page.total_count, 2);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"e", "d"}));
  EXPECT_EQ(json::serialize(page.objects[0].data), R"({"value":4})");
  // A page shorter than the limit is the last: no cursor.
  EXPECT_FALSE(page.cursor);
}

TEST(FilteredChildren, SelectAlwaysCarriesTheOrderField) {
  const auto page = filtered_page(
      R"({"limit":1,"query":[{"field":"name","value":"leaf-3","operator":"="}],"select":["value"]})");
  EXPECT_EQ(page.total_count, 1);
  EXPECT_EQ(json::serialize(page.objects[0].data), R"({"value":3,"id":"d"})");
}

TEST(FilteredChildren, CursorContinuesAfterTheLastEntry) {
  const std::string query =
      R"("query":[{"field":"value","value":0,"operator":">"}],"orderBy":{"field":"value"})";
  const auto first = filtered_page("{\"limit\":2," + query + "}");
  EXPECT_EQ(first.total_count, 3);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"b", "d"}));
  ASSERT_TRUE(first.cursor);

  const auto second =
      filtered_page("{\"limit\":2,\"cursor\":\"" + *first.cursor + "\"," + query + "}");
  EXPECT_EQ(second.total_count, 3);
  EXPECT_EQ(ids(second), (std::vector<std::string>{"e"}));
  EXPECT_FALSE(second.cursor);
}

TEST(FilteredChildren, MissingOrderValuesComeLastAscendingAndFirstDescending) {
  EXPECT_EQ(ids(filtered_page(R"({"limit":10,"orderBy":{"field":"value"}})")),
            (std::vector<std::string>{"a", "b", "d", "e", "c"}));
  EXPECT_EQ(ids(filtered_page(R"({"limit":10,"orderBy":{"field":"value","direction":"desc"}})")),
            (std::vector<std::string>{"c", "e", "d", "b", "a"}));
}

TEST(FilteredChildren, OrderByIdPagesThroughEveryChild) {
  const auto first = filtered_page(R"({"limit":3,"query":[]})");
  EXPECT_EQ(ids(first), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(first.cursor);
  const auto second = filtered_page(R"({"limit":3,"query":[],"cursor":")" + *first.cursor + "\"}");
  EXPECT_EQ(ids(second), (std::vector<std::string>{"d", "e"}));
}

TEST(FilteredChildren, OrVerbStartsAnAlternative) {
  const auto page =
      filtered_page(R"({"limit":10,"query":[{"field":"value","value":0,"operator":"="},)"
                    R"({"field":"value","value":4,"operator":"=","verb":"or"}]})");
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a", "e"}));
}

TEST(FilteredChildren, ChildrenWithoutAnySelectedPathAreNotCounted) {
  const auto page = filtered_page(R"({"limit":10,"orderBy":{"field":"value"},"select":["value"]})");
  EXPECT_EQ(page.total_count, 4);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"a", "b", "d", "e"}));
}

TEST(FilteredChildren, NoMatchGivesAnEmptyPageWithoutCursor) {
  const auto page =
      filtered_page(R"({"limit":1,"query":[{"field":"value","value":9,"operator":">"}]})");
  EXPECT_EQ(page.total_count, 0);
  EXPECT_FALSE(page.cursor);
  EXPECT_TRUE(page.objects.empty());
}

}  // namespace
}  // namespace stipple::objects
