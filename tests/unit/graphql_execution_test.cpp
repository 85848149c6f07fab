#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "graphql/graphql.h"
#include "graphql_test_util.h"

namespace stipple::graphql {
namespace {

namespace asio = boost::asio;
using testing::run;

constexpr const char* kSdl = R"(
  type Query {
    hello(name: String = "world"): String!
    user(id: ID!): User
    users(ids: [ID!]!): [User]
    failing: String
    failingNonNull: String!
    node: Node
    nums: [Int!]
    echo(input: EchoInput): String
    whoami: String
  }
  type Mutation { append(s: String!): [String!]! }
  type User implements Node { id: ID! name: String friends: [User!] }
  type Robot implements Node { id: ID! model: String }
  interface Node { id: ID! }
  input EchoInput { text: String!, times: Int = 2 }
)";

struct RequestContext {
  std::string caller;
};

std::shared_ptr<Schema> make_schema() {
  auto schema = Schema::from_sdl(kSdl);
  schema->resolve("Query", "hello", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return json::string("hello " + std::string(ctx.arg("name")->as_string()));
  });
  schema->resolve_sync("Query", "user", [](ResolveContext& ctx) -> json::value {
    const std::string id(ctx.arg("id")->as_string());
    if (id == "none") return nullptr;
    return json::object{{"id", id}, {"name", "user " + id}};
  });
  schema->resolve_sync("Query", "failing", [](ResolveContext&) -> json::value {
    throw Error("no access", "FORBIDDEN", {{"scope", "users:read"}});
  });
  schema->resolve_sync("Query", "failingNonNull",
                       [](ResolveContext&) -> json::value { throw std::runtime_error("boom"); });
  schema->resolve_sync("Query", "echo", [](ResolveContext& ctx) -> json::value {
    const auto& input = ctx.arg("input")->as_object();
    std::string out;
    for (int64_t i = 0; i < input.at("times").as_int64(); ++i) out += input.at("text").as_string();
    return json::string(out);
  });
  schema->resolve_sync("Query", "whoami", [](ResolveContext& ctx) -> json::value {
    return json::string(ctx.user<RequestContext>().caller);
  });
  return schema;
}

TEST(GraphqlExecution, RunsAsyncResolverWithDefaultArgument) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "{ hello }"), R"({"data":{"hello":"hello world"}})");
}

TEST(GraphqlExecution, ReturnsExactlyTheSelectedFieldsInSelectionOrder) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, R"({ b: user(id: "7") { name id } a: hello(name: "x") })"),
            R"({"data":{"b":{"name":"user 7","id":"7"},"a":"hello x"}})");
}

TEST(GraphqlExecution, DefaultResolverReadsParentMembers) {
  auto schema = make_schema();
  Executor executor(schema);
  const json::value root = json::object{{"nums", json::array{1, 2}}};
  EXPECT_EQ(run(executor, "{ nums }", {}, {}, root), R"({"data":{"nums":[1,2]}})");
}

TEST(GraphqlExecution, ResolverErrorCarriesPathCodeAndExtensions) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "{ hello failing }"),
            R"({"errors":[{"message":"no access","locations":[{"line":1,"column":9}],)"
            R"("path":["failing"],"extensions":{"code":"FORBIDDEN","scope":"users:read"}}],)"
            R"("data":{"hello":"hello world","failing":null}})");
}

TEST(GraphqlExecution, NonNullFieldErrorNullsTheParent) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "{ hello failingNonNull }"),
            R"({"errors":[{"message":"boom","locations":[{"line":1,"column":9}],)"
            R"("path":["failingNonNull"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":null})");
}

TEST(GraphqlExecution, NullItemInNonNullListNullsTheList) {
  auto schema = make_schema();
  Executor executor(schema);
  const json::value root = json::object{{"nums", json::array{1, nullptr}}};
  EXPECT_EQ(run(executor, "{ nums }", {}, {}, root),
            R"({"errors":[{"message":"Cannot return null for non-nullable field Query.nums.",)"
            R"("locations":[{"line":1,"column":3}],"path":["nums",1],)"
            R"("extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"nums":null}})");
}

TEST(GraphqlExecution, ResolvesAbstractTypesByTypename) {
  auto schema = make_schema();
  Executor executor(schema);
  const json::value root =
      json::object{{"node", json::object{{"__typename", "Robot"}, {"id", "r"}, {"model", "T1"}}}};
  EXPECT_EQ(
      run(executor, "{ node { id ... on Robot { model } ... on User { name } } }", {}, {}, root),
      R"({"data":{"node":{"id":"r","model":"T1"}}})");
}

TEST(GraphqlExecution, ResolvesAbstractTypesWithTypeResolver) {
  auto schema = make_schema();
  schema->resolve_type("Node", [](const json::value& v, ResolveContext&) {
    return v.as_object().contains("model") ? "Robot" : "User";
  });
  Executor executor(schema);
  const json::value root = json::object{{"node", json::object{{"id", "u"}, {"name", "N"}}}};
  EXPECT_EQ(run(executor, "{ node { __typename ... on User { name } } }", {}, {}, root),
            R"({"data":{"node":{"__typename":"User","name":"N"}}})");
}

TEST(GraphqlExecution, CoercesVariablesWithInputObjectDefaults) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "query($i: EchoInput) { echo(input: $i) }",
                {{"i", json::object{{"text", "ab"}}}}),
            R"({"data":{"echo":"abab"}})");
}

TEST(GraphqlExecution, RejectsInvalidVariablesAsBadUserInput) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "query($i: EchoInput) { echo(input: $i) }",
                {{"i", json::object{{"times", 1}}}}),
            R"({"errors":[{"message":"Variable \"$i\" got invalid value { times: 1 }; Field )"
            R"(\"text\" of required type \"String!\" was not provided.","locations":[{"line":1,)"
            R"("column":7}],"extensions":{"code":"BAD_USER_INPUT"}}]})");
}

TEST(GraphqlExecution, AppliesSkipAndInclude) {
  Executor executor(make_schema());
  EXPECT_EQ(
      run(executor, "query($s: Boolean!) { a: hello @skip(if: $s) b: hello @include(if: $s) }",
          {{"s", true}}),
      R"({"data":{"b":"hello world"}})");
}

TEST(GraphqlExecution, PassesTheRequestContextToResolvers) {
  Executor executor(make_schema());
  EXPECT_EQ(run(executor, "{ whoami }", {}, RequestContext{"alice"}),
            R"({"data":{"whoami":"alice"}})");
}

TEST(GraphqlExecution, AcceptsThePointerToTheRequestContext) {
  Executor executor(make_schema());
  RequestContext context{"bob"};
  EXPECT_EQ(run(executor, "{ whoami }", {}, &context), R"({"data":{"whoami":"bob"}})");
}

TEST(GraphqlExecution, RunsMutationFieldsSerially) {
  auto schema = make_schema();
  auto log = std::make_shared<std::vector<std::string>>();
  schema->resolve("Mutation", "append", [log](ResolveContext& ctx) -> asio::awaitable<json::value> {
    // Yield so that a concurrent sibling would run first.
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    log->push_back(std::string(ctx.arg("s")->as_string()));
    json::array out;
    for (const auto& s : *log) out.emplace_back(s);
    co_return out;
  });
  Executor executor(schema);
  EXPECT_EQ(run(executor, R"(mutation { a: append(s: "1") b: append(s: "2") })"),
            R"({"data":{"a":["1"],"b":["1","2"]}})");
}

TEST(GraphqlExecution, LoaderBatchesKeysOfSiblingListItems) {
  auto schema = make_schema();
  auto batches = std::make_shared<std::vector<size_t>>();
  using UserLoader = Loader<std::string, json::value>;
  schema->resolve("Query", "users", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return *ctx.arg("ids");
  });
  schema->resolve("User", "name", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    auto& loader = *ctx.user<std::shared_ptr<UserLoader>>();
    co_return co_await loader.load(std::string(ctx.parent.as_string()));
  });
  schema->resolve_sync("User", "id", [](ResolveContext& ctx) { return ctx.parent; });
  Executor executor(schema);

  auto loader = std::make_shared<UserLoader>(
      [batches](std::vector<std::string> ids) -> asio::awaitable<std::vector<json::value>> {
        batches->push_back(ids.size());
        std::vector<json::value> out;
        for (const auto& id : ids) out.emplace_back("name-" + id);
        co_return out;
      });
  EXPECT_EQ(run(executor, R"({ users(ids: ["a", "b", "c", "a"]) { id name } })", {}, loader),
            R"({"data":{"users":[{"id":"a","name":"name-a"},{"id":"b","name":"name-b"},)"
            R"({"id":"c","name":"name-c"},{"id":"a","name":"name-a"}]}})");
  EXPECT_EQ(*batches, (std::vector<size_t>{3}));
}

TEST(GraphqlExecution, LoaderFailureFailsEveryWaitingField) {
  auto schema = make_schema();
  using UserLoader = Loader<std::string, json::value>;
  schema->resolve("Query", "users", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return *ctx.arg("ids");
  });
  schema->resolve("User", "name", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_return co_await ctx.user<UserLoader>().load(std::string(ctx.parent.as_string()));
  });
  Executor executor(schema);
  UserLoader loader([](std::vector<std::string>) -> asio::awaitable<std::vector<json::value>> {
    throw Error("database down", "INTERNAL_SERVER_ERROR");
    co_return std::vector<json::value>{};
  });
  EXPECT_EQ(run(executor, R"({ users(ids: ["a", "b"]) { name } })", {}, &loader),
            R"({"errors":[{"message":"database down","locations":[{"line":1,"column":28}],)"
            R"("path":["users",0,"name"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},)"
            R"({"message":"database down","locations":[{"line":1,"column":28}],)"
            R"("path":["users",1,"name"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":{"users":[{"name":null},{"name":null}]}})");
}

TEST(GraphqlExecution, WrapperRunsBeforeResolversOfDirectiveFields) {
  auto schema = Schema::from_sdl(R"(
    directive @hasScope(scope: String!) on FIELD_DEFINITION
    type Query { secret: String @hasScope(scope: "admin") open: String }
  )");
  schema->resolve_sync("Query", "secret", [](ResolveContext&) { return json::value("s3cret"); });
  schema->wrap([](const FieldDef& field, Resolver next) -> Resolver {
    const AppliedDirective* d = field.directive("hasScope");
    if (!d) return nullptr;
    const std::string scope(d->arguments.at("scope").as_string());
    return [scope, next](ResolveContext& ctx) -> asio::awaitable<json::value> {
      if (ctx.user<std::string>() != scope) throw Error("missing scope " + scope, "FORBIDDEN");
      co_return co_await next(ctx);
    };
  });
  Executor executor(schema);
  const json::value root = json::object{{"open", "yes"}};
  EXPECT_EQ(run(executor, "{ secret open }", {}, std::string("admin"), root),
            R"({"data":{"secret":"s3cret","open":"yes"}})");
  EXPECT_EQ(run(executor, "{ secret open }", {}, std::string("guest"), root),
            R"({"errors":[{"message":"missing scope admin","locations":[{"line":1,"column":3}],)"
            R"("path":["secret"],"extensions":{"code":"FORBIDDEN"}}],)"
            R"("data":{"secret":null,"open":"yes"}})");
}

TEST(GraphqlExecution, SerializesCustomScalarsWithApplicationCoercion) {
  auto schema = Schema::from_sdl("scalar BigInt type Query { n: BigInt }");
  ScalarCoercion big;
  big.serialize = [](const json::value& v) { return json::value(std::to_string(v.as_int64())); };
  schema->scalar("BigInt", big);
  Executor executor(schema);
  EXPECT_EQ(run(executor, "{ n }", {}, {}, json::object{{"n", 12}}), R"({"data":{"n":"12"}})");
}

TEST(GraphqlExecution, ReportsUnknownOperationName) {
  Executor executor(make_schema());
  Request request;
  request.query = "query A { hello }";
  request.operation_name = "B";
  const Response r = testing::run_sync(executor.execute(request));
  EXPECT_TRUE(r.failed_before_execution());
  EXPECT_EQ(r.errors.at(0).code(), "OPERATION_RESOLUTION_FAILURE");
  EXPECT_EQ(r.errors.at(0).message, "Unknown operation named \"B\".");
}

TEST(GraphqlExecution, ListsSelectedSubfieldsForLookahead) {
  auto schema = make_schema();
  auto seen = std::make_shared<std::vector<std::string>>();
  schema->resolve_sync("Query", "user", [seen](ResolveContext& ctx) -> json::value {
    *seen = ctx.selected_fields();
    return nullptr;
  });
  Executor executor(schema);
  run(executor, R"({ user(id: "1") { id ... on User { name } ...F } } fragment F on User { id })");
  EXPECT_EQ(*seen, (std::vector<std::string>{"id", "name"}));
}

TEST(GraphqlExecution, ExposesTheResponsePathToResolvers) {
  auto schema = make_schema();
  schema->resolve_sync(
      "User", "name", [](ResolveContext& ctx) { return json::value(json::serialize(ctx.path())); });
  Executor executor(schema);
  EXPECT_EQ(run(executor, R"({ u: user(id: "1") { name } })"),
            R"({"data":{"u":{"name":"[\"u\",\"name\"]"}}})");
}

TEST(GraphqlExecution, RunsConcurrentRequestsOnAMultiThreadedIoContext) {
  auto schema = make_schema();
  schema->resolve("Query", "users", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    co_return *ctx.arg("ids");
  });
  schema->resolve("User", "name", [](ResolveContext& ctx) -> asio::awaitable<json::value> {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    co_return json::string("n" + std::string(ctx.parent.as_string()));
  });
  schema->resolve_sync("User", "id", [](ResolveContext& ctx) { return ctx.parent; });
  Executor executor(schema);

  asio::io_context io;
  constexpr int kRequests = 50;
  std::atomic<int> good = 0;
  for (int i = 0; i < kRequests; ++i) {
    Request request;
    request.query = R"({ users(ids: ["1", "2", "3"]) { id name } })";
    asio::co_spawn(io, executor.execute(request), [&](std::exception_ptr e, Response r) {
      if (!e && json::serialize(r.to_json()) ==
                    R"({"data":{"users":[{"id":"1","name":"n1"},{"id":"2","name":"n2"},)"
                    R"({"id":"3","name":"n3"}]}})") {
        ++good;
      }
    });
  }
  std::thread other([&] { io.run(); });
  io.run();
  other.join();
  EXPECT_EQ(good.load(), kRequests);
}

}  // namespace
}  // namespace stipple::graphql
