#include <gtest/gtest.h>

#include "graphql/graphql.h"
#include "graphql_test_util.h"

namespace stipple::graphql {
namespace {

constexpr const char* kSdl = R"(
  type Query { version: String }
  type Subscription { projectUpdated(id: String!, full: Boolean = false): Event }
  type Event { id: String type: String }
)";

TEST(GraphqlSubscription, ResolvesRootFieldAndArguments) {
  Executor executor(Schema::from_sdl(kSdl));
  Request request;
  request.query = "subscription($p: String!) { u: projectUpdated(id: $p) { id } }";
  request.variables = {{"p", "abc"}};
  const auto result = executor.subscribe(request);
  ASSERT_TRUE(std::holds_alternative<Subscription>(result));
  const auto& sub = std::get<Subscription>(result);
  EXPECT_EQ(sub.field->name, "projectUpdated");
  EXPECT_EQ(sub.response_key, "u");
  EXPECT_EQ(json::serialize(sub.arguments), R"({"id":"abc","full":false})");
}

TEST(GraphqlSubscription, RefusesQueries) {
  Executor executor(Schema::from_sdl(kSdl));
  Request request;
  request.query = "{ version }";
  const auto result = executor.subscribe(request);
  ASSERT_TRUE(std::holds_alternative<Response>(result));
  EXPECT_EQ(std::get<Response>(result).errors.at(0).code(), "BAD_REQUEST");
}

TEST(GraphqlSubscription, ReportsMissingVariablesAsBadUserInput) {
  Executor executor(Schema::from_sdl(kSdl));
  Request request;
  request.query = "subscription($p: String!) { projectUpdated(id: $p) { id } }";
  const auto result = executor.subscribe(request);
  ASSERT_TRUE(std::holds_alternative<Response>(result));
  EXPECT_EQ(std::get<Response>(result).errors.at(0).code(), "BAD_USER_INPUT");
}

TEST(GraphqlSubscription, ExecutesEachEventAsRootValue) {
  Executor executor(Schema::from_sdl(kSdl));
  Request request;
  request.query = R"(subscription { projectUpdated(id: "p") { type } })";
  const json::value event =
      json::object{{"projectUpdated", json::object{{"id", "p"}, {"type", "UPDATED"}}}};
  EXPECT_EQ(testing::run(executor, request.query, {}, {}, event),
            R"({"data":{"projectUpdated":{"type":"UPDATED"}}})");
}

}  // namespace
}  // namespace stipple::graphql
