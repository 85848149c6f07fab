#include <gtest/gtest.h>
#include "graphql/graphql.h"
TEST(GraphqlSmoke, Builds) {
  SUCCEED();
}
