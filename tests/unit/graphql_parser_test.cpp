#include <gtest/gtest.h>

#include "graphql/parser.h"

namespace stipple::graphql {
namespace {

TEST(GraphqlParser, ParsesAnonymousQueryWithAliasArgumentsAndDirectives) {
  const auto doc = parse(R"({ a: user(id: "1", n: [1, 2.5, {x: null}]) @skip(if: $s) { name } })");
  ASSERT_EQ(doc.operations.size(), 1u);
  const auto& field = doc.operations[0].selection_set[0];
  EXPECT_EQ(field.alias, "a");
  EXPECT_EQ(field.name, "user");
  EXPECT_EQ(field.arguments.size(), 2u);
  EXPECT_EQ(print_value(*field.arguments[1].value), "[1, 2.5, {x: null}]");
  EXPECT_EQ(field.directives[0].name, "skip");
  EXPECT_EQ(field.selection_set[0].name, "name");
}

TEST(GraphqlParser, ParsesNamedOperationWithVariableDefinitions) {
  const auto doc = parse("mutation M($id: ID!, $list: [Int!] = [1]) { x }");
  const auto& op = doc.operations[0];
  EXPECT_EQ(op.operation, ast::OperationType::kMutation);
  EXPECT_EQ(op.name, "M");
  EXPECT_EQ(print_type(*op.variables[0].type), "ID!");
  EXPECT_EQ(print_type(*op.variables[1].type), "[Int!]");
  EXPECT_EQ(print_value(*op.variables[1].default_value), "[1]");
}

TEST(GraphqlParser, ParsesFragmentsAndInlineFragments) {
  const auto doc =
      parse("{ ...F ... on T { a } ... @include(if: true) { b } } fragment F on T { c }");
  const auto& set = doc.operations[0].selection_set;
  EXPECT_EQ(set[0].kind, ast::Selection::Kind::kFragmentSpread);
  EXPECT_EQ(set[1].type_condition, "T");
  EXPECT_EQ(set[2].type_condition, "");
  EXPECT_EQ(doc.fragments[0].type_condition, "T");
}

TEST(GraphqlParser, ReportsSyntaxErrorWithLineAndColumn) {
  try {
    parse("{\n  a(x: )\n}");
    FAIL() << "expected a syntax error";
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "Syntax Error: Unexpected \")\".");
    EXPECT_EQ(e.location().line, 2u);
    EXPECT_EQ(e.location().column, 8u);
  }
}

TEST(GraphqlParser, ReportsUnexpectedEndOfDocument) {
  try {
    parse("{ a");
    FAIL() << "expected a syntax error";
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "Syntax Error: Expected Name, found <EOF>.");
  }
}

TEST(GraphqlParser, RejectsEmptyDocument) {
  EXPECT_THROW(parse("  # only a comment\n"), SyntaxError);
}

TEST(GraphqlParser, RejectsVariableInConstantValue) {
  try {
    parse("query($a: Int = $b) { a }");
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "Syntax Error: Unexpected variable \"$b\" in constant value.");
  }
}

TEST(GraphqlParser, DecodesStringEscapes) {
  const auto v = parse_value(R"("a\"\\\n\u00e9\u{1F600}\uD83D\uDE00")");
  EXPECT_EQ(v->text, "a\"\\\n\xC3\xA9\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
}

TEST(GraphqlParser, DedentsBlockStrings) {
  const auto v = parse_value("\"\"\"\n    first\n      second\n    \\\"\"\"\n  \"\"\"");
  EXPECT_EQ(v->text, "first\n  second\n\"\"\"");
  EXPECT_TRUE(v->block_string);
}

TEST(GraphqlParser, RejectsInvalidNumbers) {
  EXPECT_THROW(parse_value("01"), SyntaxError);
  EXPECT_THROW(parse_value("1.x"), SyntaxError);
  EXPECT_THROW(parse_value("1a"), SyntaxError);
}

TEST(GraphqlParser, ParsesTypeSystemDefinitionsWithDescriptions) {
  const auto doc = parse(R"(
    """A thing"""
    type Thing implements A & B @key(f: "id") {
      "its id"
      id(format: String = "x"): ID! @deprecated
    }
    extend type Thing { more: Int }
    union U = | Thing | Other
    enum E { ONE TWO }
    input I { a: Int = 1 }
    scalar DateTime
    directive @key(f: String!) repeatable on OBJECT | FIELD_DEFINITION
    schema { query: Thing }
  )");
  ASSERT_EQ(doc.types.size(), 6u);
  EXPECT_EQ(doc.types[0].description, "A thing");
  EXPECT_EQ(doc.types[0].interfaces, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(doc.types[0].fields[0].description, "its id");
  EXPECT_TRUE(doc.types[1].is_extension);
  EXPECT_EQ(doc.types[2].members, (std::vector<std::string>{"Thing", "Other"}));
  EXPECT_TRUE(doc.directives[0].repeatable);
  EXPECT_EQ(doc.directives[0].locations, (std::vector<std::string>{"OBJECT", "FIELD_DEFINITION"}));
  EXPECT_EQ(doc.schemas[0].operation_types[0].type_name, "Thing");
}

TEST(GraphqlParser, RejectsUnknownDirectiveLocation) {
  EXPECT_THROW(parse("directive @a on NOWHERE"), SyntaxError);
}

TEST(GraphqlParser, RejectsReservedEnumValueNames) {
  EXPECT_THROW(parse("enum E { true }"), SyntaxError);
}

TEST(GraphqlParser, LimitsTokenCount) {
  ParseLimits limits;
  limits.max_tokens = 5;
  EXPECT_THROW(parse("{ a b c d e f }", limits), SyntaxError);
}

TEST(GraphqlParser, LimitsNestingDepth) {
  std::string deep(1000, '[');
  EXPECT_THROW(parse("{ a(x: " + deep + ") }"), SyntaxError);
}

TEST(GraphqlParser, PrintsStringsAsGraphqlJsDoes) {
  EXPECT_EQ(print_string("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
}

}  // namespace
}  // namespace stipple::graphql
