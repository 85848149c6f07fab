#include <gtest/gtest.h>

#include "graphql/graphql.h"

namespace stipple::graphql {
namespace {

constexpr const char* kBase = R"(
  directive @hasScope(scope: String!) on FIELD_DEFINITION
  directive @hasRole(role: String = "server:user") on FIELD_DEFINITION | OBJECT
  type Query
  type User @hasRole { id: ID! name: String @deprecated(reason: "use fullName") }
)";

constexpr const char* kModule = R"(
  extend type Query {
    "The caller"
    me(limit: Int = 10, filter: Filter = {kind: A}): User @hasScope(scope: "profile:read")
  }
  input Filter { kind: Kind, n: Int = 3 }
  enum Kind { A B @deprecated }
)";

TEST(GraphqlSchema, MergesSeveralSdlTextsWithExtensions) {
  const auto schema = Schema::from_sdl_texts({kBase, kModule});
  const Type* query = schema->query_type();
  ASSERT_NE(query, nullptr);
  ASSERT_NE(query->field("me"), nullptr);
  EXPECT_EQ(query->field("me")->description, "The caller");
  EXPECT_EQ(query->field("me")->type->to_string(), "User");
}

TEST(GraphqlSchema, ExposesFieldDirectivesWithArguments) {
  const auto schema = Schema::from_sdl_texts({kBase, kModule});
  const AppliedDirective* d = schema->query_type()->field("me")->directive("hasScope");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(boost::json::serialize(d->arguments), R"({"scope":"profile:read"})");
}

TEST(GraphqlSchema, FillsDirectiveArgumentDefaults) {
  const auto schema = Schema::from_sdl_texts({kBase, kModule});
  const AppliedDirective* d = schema->type("User")->directive("hasRole");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(boost::json::serialize(d->arguments), R"({"role":"server:user"})");
}

TEST(GraphqlSchema, CoercesArgumentDefaultsWithNestedDefaults) {
  const auto schema = Schema::from_sdl_texts({kBase, kModule});
  const InputValue* filter = schema->query_type()->field("me")->arg("filter");
  ASSERT_TRUE(filter->default_value.has_value());
  EXPECT_EQ(boost::json::serialize(*filter->default_value), R"({"kind":"A","n":3})");
}

TEST(GraphqlSchema, RecordsDeprecationReasons) {
  const auto schema = Schema::from_sdl_texts({kBase, kModule});
  EXPECT_EQ(schema->type("User")->field("name")->deprecation_reason, "use fullName");
  EXPECT_EQ(schema->type("Kind")->enum_value("B")->deprecation_reason, "No longer supported");
}

TEST(GraphqlSchema, HidesBuiltInScalarsThatNothingReferences) {
  const auto schema = Schema::from_sdl("type Query { a: Int }");
  EXPECT_NE(schema->type("Int"), nullptr);
  EXPECT_EQ(schema->type("Float"), nullptr);
  EXPECT_NE(schema->type("__Schema"), nullptr);
}

TEST(GraphqlSchema, ListsTypesInGraphqlJsOrder) {
  const auto schema = Schema::from_sdl("type Query { a: Int b: Foo } type Foo { s: String }");
  std::vector<std::string> names;
  for (const Type* t : schema->types()) names.push_back(t->name);
  EXPECT_EQ(names, (std::vector<std::string>{"Query", "Int", "Foo", "String", "Boolean", "__Schema",
                                             "__Type", "__TypeKind", "__Field", "__InputValue",
                                             "__EnumValue", "__Directive", "__DirectiveLocation"}));
}

TEST(GraphqlSchema, RejectsUnknownTypes) {
  EXPECT_THROW(Schema::from_sdl("type Query { a: Nope }"), SchemaError);
}

TEST(GraphqlSchema, RejectsExtensionOfUndefinedType) {
  EXPECT_THROW(Schema::from_sdl("type Query { a: Int } extend type Nope { b: Int }"), SchemaError);
}

TEST(GraphqlSchema, RejectsUnknownAppliedDirective) {
  EXPECT_THROW(Schema::from_sdl("type Query { a: Int @nope }"), SchemaError);
}

TEST(GraphqlSchema, RejectsMissingQueryType) {
  EXPECT_THROW(Schema::from_sdl("type Foo { a: Int }"), SchemaError);
}

TEST(GraphqlSchema, RejectsObjectMissingInterfaceField) {
  EXPECT_THROW(Schema::from_sdl("type Query { a: I } interface I { x: Int } type T implements I "
                                "{ y: Int }"),
               SchemaError);
}

TEST(GraphqlSchema, RejectsBindingResolverToUnknownField) {
  const auto schema = Schema::from_sdl("type Query { a: Int }");
  EXPECT_THROW(schema->resolve_sync("Query", "b", [](ResolveContext&) { return json::value(); }),
               SchemaError);
}

TEST(GraphqlSchema, ComputesInterfaceImplementations) {
  const auto schema = Schema::from_sdl(
      "type Query { n: Node } interface Node { id: ID } type A implements Node { id: ID } "
      "type B implements Node { id: ID }");
  const Type* node = schema->type("Node");
  ASSERT_EQ(node->possible_types.size(), 2u);
  EXPECT_EQ(node->possible_types[0]->name, "A");
  EXPECT_EQ(node->possible_types[1]->name, "B");
}

TEST(GraphqlSchema, ExtensionsAppendManyFieldsAfterTheTypesOwn) {
  std::string extension = "extend type Query {";
  for (int i = 1; i <= 40; ++i) extension += " f" + std::to_string(i) + ": Int";
  extension += " }";
  const auto schema = Schema::from_sdl_texts({extension, "type Query { f0: Int }"});
  const Type* query = schema->query_type();
  ASSERT_EQ(query->fields.size(), 41u);
  EXPECT_EQ(query->fields.front().name, "f0");
  EXPECT_EQ(query->field("f40"), &query->fields.back());
}

TEST(GraphqlSchema, RejectsExtensionRedefiningAField) {
  EXPECT_THROW(Schema::from_sdl("type Query { a: Int } extend type Query { a: Int }"), SchemaError);
}

}  // namespace
}  // namespace stipple::graphql
