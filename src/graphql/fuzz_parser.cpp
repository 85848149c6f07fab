// libFuzzer target for the GraphQL lexer and parser, and for validation of whatever parses.
// Build with clang beside the GCC build (UBSan is left out: clang 14 miscompiles coroutines under
// it, and execution.cpp must link for the schema):
//   clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address -Isrc src/graphql/fuzz_parser.cpp \
//     src/graphql/{parser,schema,values,validation,introspection,execution,graphql}.cpp \
//     -lboost_json -o fuzz_parser
//   ./fuzz_parser -max_total_time=60 -max_len=4096 CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "graphql/graphql.h"

namespace {

const stipple::graphql::Schema& fuzz_schema() {
  static const auto schema = stipple::graphql::Schema::from_sdl(R"(
    type Query { a(x: Int, y: [String!] = ["s"], i: In): Node b: [U] c: String }
    interface Node { id: ID! }
    type T implements Node { id: ID! next: Node t: T }
    type S { s: String }
    union U = T | S
    input In { v: Int = 1, w: [In], e: E }
    enum E { ONE TWO }
  )");
  return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = stipple::graphql::parse(text);
    // Whatever parses must validate without crashing.
    (void)stipple::graphql::validate(fuzz_schema(), doc);
  } catch (const stipple::graphql::SyntaxError&) {
    // Rejected input is the expected outcome for most of the corpus.
  }
  return 0;
}
