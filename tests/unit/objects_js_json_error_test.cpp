// js_json_parse_error gives the messages of Node.js 20's JSON.parse, which upstream's diff and
// getobjects answers quote. Expected values were taken from `node -e 'JSON.parse(...)'`.
#include <gtest/gtest.h>

#include "modules/objects/js_json_error.h"

namespace stipple::objects {
namespace {

TEST(JsJsonParseError, AcceptsValidJson) {
  EXPECT_EQ(js_json_parse_error("[1,2] "), "");
  EXPECT_EQ(js_json_parse_error("{\"a\":[true,false,null,-1.5e3,\"\\u00e9\"]}"), "");
}

TEST(JsJsonParseError, QuotesShortTextsWhole) {
  EXPECT_EQ(js_json_parse_error("not json"),
            "Unexpected token 'o', \"not json\" is not valid JSON");
  EXPECT_EQ(js_json_parse_error("[1,]"), "Unexpected token ']', \"[1,]\" is not valid JSON");
  EXPECT_EQ(js_json_parse_error("[trux]"), "Unexpected token 'x', \"[trux]\" is not valid JSON");
}

TEST(JsJsonParseError, QuotesTenCharactersAroundTheTokenInLongTexts) {
  EXPECT_EQ(js_json_parse_error("cfe985ac06204c3458fb5d96965e5c1a"),
            "Unexpected token 'c', \"cfe985ac06\"... is not valid JSON");
  EXPECT_EQ(js_json_parse_error("[1,2,3,4,5,6,7,8,9,10,11,12,x3,4,5,6,7,8,9,10]"),
            "Unexpected token 'x', ...\",10,11,12,x3,4,5,6,7\"... is not valid JSON");
  EXPECT_EQ(js_json_parse_error("[1,2,3,4,5,6,7,8,9,10,11,12,x"),
            "Unexpected token 'x', ...\",10,11,12,x\" is not valid JSON");
}

TEST(JsJsonParseError, NamesTheStringsOfJavaScriptValues) {
  EXPECT_EQ(js_json_parse_error("undefined"), "\"undefined\" is not valid JSON");
  EXPECT_EQ(js_json_parse_error("[object Object]"), "\"[object Object]\" is not valid JSON");
}

TEST(JsJsonParseError, ReportsTheEndOfInput) {
  EXPECT_EQ(js_json_parse_error(""), "Unexpected end of JSON input");
  EXPECT_EQ(js_json_parse_error(" "), "Unexpected end of JSON input");
  EXPECT_EQ(js_json_parse_error("{\"objects\":"), "Unexpected end of JSON input");
  EXPECT_EQ(js_json_parse_error("tru"), "Unexpected end of JSON input");
  EXPECT_EQ(js_json_parse_error("\"\\"), "Unexpected end of JSON input");
}

TEST(JsJsonParseError, GivesPositionsForStructuralErrors) {
  EXPECT_EQ(js_json_parse_error("[1] x"),
            "Unexpected non-whitespace character after JSON at position 4");
  EXPECT_EQ(js_json_parse_error("{x}"), "Expected property name or '}' in JSON at position 1");
  EXPECT_EQ(js_json_parse_error("{\"a\" 1}"),
            "Expected ':' after property name in JSON at position 5");
  EXPECT_EQ(js_json_parse_error("{\"a\""),
            "Expected ':' after property name in JSON at position 4");
  EXPECT_EQ(js_json_parse_error("[1 2]"),
            "Expected ',' or ']' after array element in JSON at position 3");
  EXPECT_EQ(js_json_parse_error("[1"),
            "Expected ',' or ']' after array element in JSON at position 2");
  EXPECT_EQ(js_json_parse_error("{\"a\":1"),
            "Expected ',' or '}' after property value in JSON at position 6");
}

TEST(JsJsonParseError, GivesPositionsForBadStringsAndNumbers) {
  EXPECT_EQ(js_json_parse_error("\"abc"), "Unterminated string in JSON at position 4");
  EXPECT_EQ(js_json_parse_error("{\"a"), "Unterminated string in JSON at position 3");
  EXPECT_EQ(js_json_parse_error("\"a\x01\""),
            "Bad control character in string literal in JSON at position 2");
  EXPECT_EQ(js_json_parse_error("\"\\x\""), "Bad escaped character in JSON at position 2");
  EXPECT_EQ(js_json_parse_error("\"\\u12g4\""), "Bad Unicode escape in JSON at position 5");
  EXPECT_EQ(js_json_parse_error("\"\\u12"), "Bad Unicode escape in JSON at position 5");
  EXPECT_EQ(js_json_parse_error("-x"), "No number after minus sign in JSON at position 1");
  EXPECT_EQ(js_json_parse_error("01"), "Unexpected number in JSON at position 1");
  EXPECT_EQ(js_json_parse_error("1."), "Unterminated fractional number in JSON at position 2");
  EXPECT_EQ(js_json_parse_error("1e"), "Exponent part is missing a number in JSON at position 2");
}

}  // namespace
}  // namespace stipple::objects
