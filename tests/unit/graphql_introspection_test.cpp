#include <gtest/gtest.h>

#include "graphql/graphql.h"
#include "graphql_test_util.h"

namespace stipple::graphql {
namespace {

// Expected values below are graphql-js 16's output for the same SDL and query.

TEST(GraphqlIntrospection, DescribesTypeWithFieldsArgumentsAndDefaults) {
  Executor executor(Schema::from_sdl(R"(
    """Root"""
    type Query { "Greets" hello(name: String = "x", n: [Int] = 1): String! }
  )"));
  EXPECT_EQ(
      testing::run(executor, R"({ __type(name: "Query") { kind name description fields {
              name description type { kind name ofType { name } }
              args { name defaultValue type { kind name ofType { name } } } } } })"),
      R"({"data":{"__type":{"kind":"OBJECT","name":"Query","description":"Root","fields":[)"
      R"({"name":"hello","description":"Greets","type":{"kind":"NON_NULL","name":null,)"
      R"("ofType":{"name":"String"}},"args":[{"name":"name","defaultValue":"\"x\"",)"
      R"("type":{"kind":"SCALAR","name":"String","ofType":null}},{"name":"n",)"
      R"("defaultValue":"[1]","type":{"kind":"LIST","name":null,"ofType":{"name":"Int"}}}]}]}}})");
}

TEST(GraphqlIntrospection, HidesDeprecatedFieldsUnlessAsked) {
  Executor executor(Schema::from_sdl(R"(type Query { a: Int b: Int @deprecated(reason: "no") })"));
  EXPECT_EQ(testing::run(executor, R"({ __type(name: "Query") { fields { name } all: fields(
              includeDeprecated: true) { name isDeprecated deprecationReason } } })"),
            R"({"data":{"__type":{"fields":[{"name":"a"}],"all":[{"name":"a","isDeprecated":)"
            R"(false,"deprecationReason":null},{"name":"b","isDeprecated":true,)"
            R"("deprecationReason":"no"}]}}})");
}

TEST(GraphqlIntrospection, ReportsSpecifiedByUrlAndRepeatableDirectives) {
  Executor executor(Schema::from_sdl(R"(
    scalar DateTime @specifiedBy(url: "https://example.com/dt")
    directive @tag(name: String) repeatable on FIELD_DEFINITION
    type Query { at: DateTime }
  )"));
  EXPECT_EQ(testing::run(executor, R"({ __type(name: "DateTime") { specifiedByURL }
              __schema { directives { name isRepeatable locations } } })"),
            R"({"data":{"__type":{"specifiedByURL":"https://example.com/dt"},"__schema":{)"
            R"("directives":[{"name":"tag","isRepeatable":true,"locations":["FIELD_DEFINITION"]},)"
            R"({"name":"include","isRepeatable":false,"locations":["FIELD","FRAGMENT_SPREAD",)"
            R"("INLINE_FRAGMENT"]},{"name":"skip","isRepeatable":false,"locations":["FIELD",)"
            R"("FRAGMENT_SPREAD","INLINE_FRAGMENT"]},{"name":"deprecated","isRepeatable":false,)"
            R"("locations":["FIELD_DEFINITION","ARGUMENT_DEFINITION","INPUT_FIELD_DEFINITION",)"
            R"("ENUM_VALUE","DIRECTIVE_DEFINITION"]},{"name":"specifiedBy","isRepeatable":false,)"
            R"("locations":["SCALAR"]},{"name":"oneOf","isRepeatable":false,"locations":[)"
            R"("INPUT_OBJECT"]}]}}})");
}

TEST(GraphqlIntrospection, ListsPossibleTypesOfInterfacesAndUnions) {
  Executor executor(Schema::from_sdl(R"(
    type Query { n: Node s: S }
    interface Node { id: ID }
    type B implements Node { id: ID }
    type A implements Node { id: ID }
    union S = A | B
  )"));
  EXPECT_EQ(testing::run(executor, R"({ n: __type(name: "Node") { possibleTypes { name } }
              s: __type(name: "S") { possibleTypes { name } } })"),
            R"({"data":{"n":{"possibleTypes":[{"name":"B"},{"name":"A"}]},)"
            R"("s":{"possibleTypes":[{"name":"A"},{"name":"B"}]}}})");
}

TEST(GraphqlIntrospection, AnswersTypenameOnRoot) {
  Executor executor(Schema::from_sdl("type Query { a: Int }"));
  EXPECT_EQ(testing::run(executor, "{ __typename }"), R"({"data":{"__typename":"Query"}})");
}

}  // namespace
}  // namespace stipple::graphql
