#include <gtest/gtest.h>

#include "graphql/graphql.h"
#include "graphql_test_util.h"

namespace stipple::graphql {
namespace {

constexpr const char* kSdl = R"(
  type Query { pet(id: ID!): Pet pets(kind: Kind = DOG, first: Int): [Pet!] version: String }
  interface Pet { name: String }
  type Dog implements Pet { name: String barks: Boolean }
  type Cat implements Pet { name: String meows: Boolean }
  enum Kind { DOG CAT }
  type Subscription { petAdded: Pet version: String }
)";

// The messages of validating `query` against kSdl.
std::vector<std::string> messages(const std::string& query) {
  static const auto schema = Schema::from_sdl(kSdl);
  std::vector<std::string> out;
  for (const auto& e : validate(*schema, parse(query))) {
    EXPECT_EQ(e.code(), "GRAPHQL_VALIDATION_FAILED");
    out.push_back(e.message);
  }
  return out;
}

using Messages = std::vector<std::string>;

TEST(GraphqlValidation, AcceptsAValidDocument) {
  EXPECT_EQ(messages(R"(query Q($k: Kind) { pets(kind: $k) { name ... on Dog { barks } ...C } }
                        fragment C on Cat { meows })"),
            Messages{});
}

TEST(GraphqlValidation, RejectsUnknownField) {
  EXPECT_EQ(messages("{ pets { nme } }"),
            Messages{"Cannot query field \"nme\" on type \"Pet\". Did you mean \"name\"?"});
}

TEST(GraphqlValidation, SuggestsInlineFragmentForFieldOfImplementation) {
  EXPECT_EQ(messages("{ pets { barks } }"),
            Messages{"Cannot query field \"barks\" on type \"Pet\". Did you mean to use an inline "
                     "fragment on \"Dog\"?"});
}

TEST(GraphqlValidation, RejectsMissingRequiredArgument) {
  EXPECT_EQ(messages("{ pet { name } }"),
            Messages{"Field \"pet\" argument \"id\" of type \"ID!\" is required, but it was not "
                     "provided."});
}

TEST(GraphqlValidation, RejectsWrongLiteralType) {
  EXPECT_EQ(messages("{ pets(first: \"ten\") { name } }"),
            Messages{"Int cannot represent non-integer value: \"ten\""});
}

TEST(GraphqlValidation, RejectsUndefinedAndUnusedVariables) {
  EXPECT_EQ(messages("query Q($a: Int) { pets(first: $b) { name } }"),
            (Messages{"Variable \"$b\" is not defined by operation \"Q\".",
                      "Variable \"$a\" is never used in operation \"Q\"."}));
}

TEST(GraphqlValidation, RejectsVariableInIncompatiblePosition) {
  EXPECT_EQ(messages("query($id: String) { pet(id: $id) { name } }"),
            Messages{"Variable \"$id\" of type \"String\" used in position expecting type "
                     "\"ID!\"."});
}

TEST(GraphqlValidation, RejectsFragmentCycles) {
  EXPECT_EQ(messages("{ pets { ...A } } fragment A on Pet { ...B } fragment B on Pet { ...A }"),
            Messages{"Cannot spread fragment \"A\" within itself via \"B\"."});
}

TEST(GraphqlValidation, RejectsUnusedFragment) {
  EXPECT_EQ(messages("{ version } fragment F on Pet { name }"),
            Messages{"Fragment \"F\" is never used."});
}

TEST(GraphqlValidation, RejectsImpossibleSpread) {
  EXPECT_EQ(messages("{ pets { ... on Dog { ... on Cat { meows } } } }"),
            Messages{"Fragment cannot be spread here as objects of type \"Dog\" can never be of "
                     "type \"Cat\"."});
}

TEST(GraphqlValidation, RejectsConflictingAliases) {
  EXPECT_EQ(messages("{ pets { x: name x: __typename } }"),
            Messages{"Fields \"x\" conflict because \"name\" and \"__typename\" are different "
                     "fields. Use different aliases on the fields to fetch both if this was "
                     "intentional."});
}

TEST(GraphqlValidation, AllowsSameAliasOnDisjointObjectTypes) {
  EXPECT_EQ(messages("{ pets { ... on Dog { x: barks } ... on Cat { x: meows } } }"), Messages{});
}

TEST(GraphqlValidation, RejectsLeafWithoutAndCompositeWithoutSelection) {
  EXPECT_EQ(messages("{ pets version { x } }"),
            (Messages{"Field \"pets\" of type \"[Pet!]\" must have a selection of subfields. Did "
                      "you mean \"pets { ... }\"?",
                      "Field \"version\" must not have a selection since type \"String\" has no "
                      "subfields."}));
}

TEST(GraphqlValidation, RejectsUnknownDirectiveAndMisplacedDirective) {
  EXPECT_EQ(messages("query @include(if: true) { version @nope }"),
            (Messages{"Directive \"@include\" may not be used on QUERY.",
                      "Unknown directive \"@nope\"."}));
}

TEST(GraphqlValidation, RejectsSubscriptionWithTwoRootFields) {
  EXPECT_EQ(messages("subscription { petAdded { name } version }"),
            Messages{"Anonymous Subscription must select only one top level field."});
}

TEST(GraphqlValidation, RejectsTypeDefinitionsInExecutableDocument) {
  EXPECT_EQ(messages("{ version } scalar Foo"),
            Messages{"The \"Foo\" definition is not executable."});
}

TEST(GraphqlValidation, RejectsDeepIntrospection) {
  EXPECT_EQ(messages("{ __schema { types { fields { type { fields { type { fields { name } } } } } "
                     "} } }"),
            Messages{"Maximum introspection depth exceeded"});
}

TEST(GraphqlValidation, ExecutorCodesSyntaxErrorsAsParseFailed) {
  Executor executor(Schema::from_sdl(kSdl));
  EXPECT_EQ(testing::run(executor, "{ version"),
            R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.",)"
            R"("locations":[{"line":1,"column":10}],)"
            R"("extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]})");
}

TEST(GraphqlValidation, ExecutorLimitsDepth) {
  Limits limits;
  limits.max_depth = 2;
  Executor executor(Schema::from_sdl(kSdl), limits);
  const auto prepared = executor.prepare("{ pets { name } version }");
  EXPECT_TRUE(prepared->errors.empty());
  const auto deep = executor.prepare("{ __schema { types { name } } }");
  ASSERT_EQ(deep->errors.size(), 1u);
  EXPECT_EQ(deep->errors[0].message,
            "The operation nests fields 3 deep; at most 2 levels are allowed.");
}

TEST(GraphqlValidation, ExecutorLimitsAliases) {
  Limits limits;
  limits.max_aliases = 1;
  Executor executor(Schema::from_sdl(kSdl), limits);
  const auto prepared = executor.prepare("{ a: version b: version }");
  ASSERT_EQ(prepared->errors.size(), 1u);
  EXPECT_EQ(prepared->errors[0].code(), "GRAPHQL_VALIDATION_FAILED");
}

TEST(GraphqlValidation, ExecutorLimitsDocumentSize) {
  Limits limits;
  limits.max_document_bytes = 8;
  Executor executor(Schema::from_sdl(kSdl), limits);
  const auto prepared = executor.prepare("{ version }");
  ASSERT_EQ(prepared->errors.size(), 1u);
  EXPECT_EQ(prepared->errors[0].code(), "GRAPHQL_PARSE_FAILED");
}

TEST(GraphqlValidation, ExecutorCachesPreparedDocuments) {
  Executor executor(Schema::from_sdl(kSdl));
  const auto first = executor.prepare("{ version }");
  const auto second = executor.prepare("{ version }");
  EXPECT_EQ(first.get(), second.get());
}

TEST(GraphqlValidation, ExecutorEvictsLeastRecentlyUsedDocument) {
  Limits limits;
  limits.cache_entries = 2;
  Executor executor(Schema::from_sdl(kSdl), limits);
  const auto a = executor.prepare("{ a: version }");
  executor.prepare("{ b: version }");
  executor.prepare("{ a: version }");  // touch a
  executor.prepare("{ c: version }");  // evicts b
  EXPECT_EQ(executor.prepare("{ a: version }").get(), a.get());
}

}  // namespace
}  // namespace stipple::graphql
