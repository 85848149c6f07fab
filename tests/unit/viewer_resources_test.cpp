#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modules/viewer/viewer_resources.h"

namespace stipple::viewer {
namespace {

using Kind = ViewerResource::Kind;

std::vector<std::string> identifiers(const std::vector<ViewerResource>& resources) {
  std::vector<std::string> out;
  for (const auto& r : resources) out.push_back(r.identifier());
  return out;
}

TEST(ResourceString, ParsesEachKindOfEntry) {
  const auto r =
      parse_resource_string("a1b2c3d4e5@f6a7b8c9d0,0123456789abcdef0123456789abcdef,all,$f/x,m1");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].kind, Kind::folder);
  EXPECT_EQ(r[0].id, "f/x");
  EXPECT_EQ(r[1].kind, Kind::object);
  EXPECT_EQ(r[1].id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(r[2].kind, Kind::model);
  EXPECT_EQ(r[2].id, "a1b2c3d4e5");
  EXPECT_EQ(r[2].version_id, "f6a7b8c9d0");
  EXPECT_EQ(r[3].kind, Kind::all_models);
  EXPECT_EQ(r[4].kind, Kind::model);
  EXPECT_FALSE(r[4].version_id);
}

TEST(ResourceString, LowerCasesSortsAndDropsDuplicates) {
  EXPECT_EQ(identifiers(parse_resource_string("ModelB,modela,MODELB, ,,modela")),
            (std::vector<std::string>{"modela", "modelb"}));
}

TEST(ResourceString, OnlyTheFirstTwoAtPiecesCount) {
  const auto r = parse_resource_string("m@v@extra");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].id, "m");
  EXPECT_EQ(r[0].version_id, "v");
  EXPECT_EQ(r[0].identifier(), "m@v");
}

TEST(ResourceString, AModelWithAnEmptyVersionIsTheModel) {
  const auto r = parse_resource_string("m@");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, Kind::model);
  EXPECT_EQ(r[0].identifier(), "m");
}

TEST(ResourceString, EntriesAreNotTrimmed) {
  EXPECT_EQ(identifiers(parse_resource_string("a, b")), (std::vector<std::string>{" b", "a"}));
}

TEST(ResourceString, EmptyTextHasNoEntries) {
  EXPECT_TRUE(parse_resource_string("").empty());
  EXPECT_TRUE(parse_resource_string(" , ").empty());
}

TEST(ResourceString, WritesBackSortedAndUnique) {
  EXPECT_EQ(resource_string(parse_resource_string("b@V1,A,b@v1,$Dir")), "$dir,a,b@v1");
}

}  // namespace
}  // namespace stipple::viewer
