#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/js_json.h"

namespace stipple {
namespace {

namespace json = boost::json;

TEST(JsStringify, WritesMinifiedTextInInsertionOrder) {
  EXPECT_EQ(
      js_stringify(json::parse(R"({ "speckle_type": "Base", "name": "x", "a": [1, true, null] })")),
      R"({"speckle_type":"Base","name":"x","a":[1,true,null]})");
}

TEST(JsStringify, ArrayIndexKeysComeFirstInNumericOrder) {
  EXPECT_EQ(js_stringify(json::parse(R"({"b":1,"10":2,"2":3,"01":4})")),
            R"({"2":3,"10":2,"b":1,"01":4})");
}

TEST(JsStringify, NumbersAsJavaScriptWritesThem) {
  EXPECT_EQ(js_stringify(json::parse("[1.0, 1.5, 1e21, 1e-7, 0.000001, -0.0]")),
            "[1,1.5,1e+21,1e-7,0.000001,0]");
  EXPECT_EQ(js_stringify(json::parse("[9007199254740993]")), "[9007199254740992]");
}

TEST(JsStringify, EscapesOnlyWhatJsonStringifyEscapes) {
  EXPECT_EQ(js_stringify(json::value("a\"b\\c\n\x01/é")), "\"a\\\"b\\\\c\\n\\u0001/é\"");
}

}  // namespace
}  // namespace stipple
