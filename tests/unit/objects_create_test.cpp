#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "modules/objects/object_create.h"

namespace stipple::objects {
namespace {

namespace json = boost::json;

constexpr std::size_t kLimit = 1 << 20;

CreatedObject prepare(std::string_view text, std::size_t limit = kLimit) {
  return prepare_created_object(json::parse(text).as_object(), limit);
}

std::string error_of(std::string_view text, std::size_t limit = kLimit) {
  try {
    prepare(text, limit);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "OBJECT_HANDLING_ERROR");
    EXPECT_EQ(e.http_status(), 400);
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(PrepareCreatedObject, KeepsTheGivenIdAndCountsTheClosure) {
  const auto o = prepare(
      R"({"id":"236ec93cc903ba4f59fe6f4e8aced12e","speckle_type":"Base",)"
      R"("__closure":{"2202c8d4f264ddd48b38612f5d4b01e9":1,"a6b18a47dd7a3759b1c8c4ee02d21f35":2}})");
  EXPECT_EQ(o.object.id, "236ec93cc903ba4f59fe6f4e8aced12e");
  EXPECT_EQ(o.object.speckle_type, "Base");
  EXPECT_EQ(o.total_children_count, 2);
}

TEST(PrepareCreatedObject, WithoutIdTheMd5OfTheTextIsAppendedLast) {
  const auto o = prepare(R"({"speckle_type": "Base", "name": "no id via graphql"})");
  EXPECT_EQ(o.object.id, "1fddb09eb7f7a5db6eb2bcd3e1a02a8b");
  EXPECT_EQ(
      o.object.data,
      R"({"speckle_type":"Base","name":"no id via graphql","id":"1fddb09eb7f7a5db6eb2bcd3e1a02a8b"})");
  EXPECT_EQ(o.total_children_count, 0);
}

TEST(PrepareCreatedObject, HashWinsOverId) {
  const auto o = prepare(R"({"id":"x","hash":"0123456789abcdef0123456789abcdef"})");
  EXPECT_EQ(o.object.id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(o.object.data, R"({"id":"0123456789abcdef0123456789abcdef",)"
                           R"("hash":"0123456789abcdef0123456789abcdef"})");
}

TEST(PrepareCreatedObject, MissingSpeckleTypeIsBase) {
  EXPECT_EQ(prepare(R"({"id":"0123456789abcdef0123456789abcdef"})").object.speckle_type, "Base");
}

TEST(PrepareCreatedObject, IdsMustHave32Characters) {
  EXPECT_EQ(error_of(R"({"id":"1111111111111111111111111111111"})"),
            "Invalid object ID. Object ID: 1111111111111111111111111111111. Object ID's must be "
            "hashes represented by a string of 32 characters.");
  EXPECT_EQ(error_of(R"({"id":12345})"),
            "Invalid object ID. Object ID: 12345. Object ID's must be hashes represented by a "
            "string of 32 characters.");
}

TEST(PrepareCreatedObject, ObjectsAboveTheLimitAreRefused) {
  // 48 bytes before the padding and 2 after: 1.5 MB in all.
  const std::string text =
      R"({"id":"0123456789abcdef0123456789abcdef","pad":")" + std::string(1572814, 'x') + "\"}";
  EXPECT_EQ(error_of(text, 1 << 20),
            "Object too large. Object ID: 0123456789abcdef0123456789abcdef. (1.5 MB is > than "
            "limit, 1 MB)");
}

}  // namespace
}  // namespace stipple::objects
