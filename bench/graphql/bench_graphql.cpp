// Benchmark of the GraphQL engine. It prints figures and never fails on time.
//
//   build/bench_graphql [--signatures FILE] [--rounds R]
//
// 1. Preparing a document: parse and validate a ~2 kB query against the upstream Speckle schema
//    (about 400 types, built from the signatures file), on a cache miss and on a cache hit.
// 2. Executor overhead per resolved field: a list of N objects with M scalar fields each, whose
//    resolvers do nothing (synchronous, asynchronous, or the default one reading the parent).
//
// R scales the number of timed iterations (default 1).
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../samples.h"
#include "graphql/graphql.h"
#include "modules/api/graphql_api.h"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace gql = stipple::graphql;
using Clock = std::chrono::steady_clock;

// Timed iterations at --rounds 1: enough for a steady p99 in about 30 s on a shared 2-core machine.
constexpr std::size_t kColdRuns = 2'000;
constexpr std::size_t kCachedRuns = 100'000;
// Leaf fields resolved per shape of the executor benchmark, spread over its iterations.
constexpr std::size_t kLeavesPerShape = 2'000'000;
constexpr std::size_t kMinExecutions = 20;

// --- figures -------------------------------------------------------------------------------------

using stipple::bench::print_micros;
using stipple::bench::Samples;

template <class F>
Samples time_each(std::size_t iterations, F&& step) {
  Samples samples;
  for (std::size_t i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    step(i);
    samples.add(Clock::now() - start);
  }
  return samples;
}

// Keeps the optimiser from dropping work whose result is unused.
void keep(const void* p) {
  asm volatile("" : : "g"(p) : "memory");
}

// --- the ~400-type schema
// --------------------------------------------------------------------------

// SDL for the upstream schema's signatures: every type with its fields, arguments and default
// values; directives are left out, as validation does not read them.
std::string sdl_from_signatures(const json::object& signatures) {
  std::ostringstream sdl;

  // The signatures leave out the role enums that upstream declares beside its auth directives;
  // these are the values schema/base.graphql gives them.
  sdl << "enum ServerRole { SERVER_USER SERVER_ADMIN SERVER_GUEST SERVER_ARCHIVED_USER }\n"
         "enum StreamRole { STREAM_OWNER STREAM_CONTRIBUTOR STREAM_REVIEWER }\n"
         "enum WorkspaceRole { ADMIN MEMBER GUEST }\n\n";
  for (const auto& [name, value] : signatures.at("types").as_object()) {
    const auto& type = value.as_object();
    const std::string_view kind = type.at("kind").as_string();
    if (kind == "Scalar") {
      sdl << "scalar " << name << "\n\n";
    } else if (kind == "Enum") {
      sdl << "enum " << name << " {";
      for (const auto& v : type.at("values").as_array()) sdl << " " << v.as_string().c_str();
      sdl << " }\n\n";
    } else if (kind == "Union") {
      sdl << "union " << name << " =";
      const char* separator = " ";
      for (const auto& m : type.at("members").as_array()) {
        sdl << separator << m.as_string().c_str();
        separator = " | ";
      }
      sdl << "\n\n";
    } else {
      sdl << (kind == "InputObject" ? "input " : "type ") << name << " {\n";
      for (const auto& [field_name, field_value] : type.at("fields").as_object()) {
        const auto& field = field_value.as_object();
        sdl << "  " << field_name;
        if (const auto* args = field.if_contains("args"); args && !args->as_object().empty()) {
          const char* separator = "(";
          for (const auto& [arg, arg_type] : args->as_object()) {
            sdl << separator << arg << ": " << arg_type.as_string().c_str();
            separator = ", ";
          }
          sdl << ")";
        }
        sdl << ": " << field.at("type").as_string().c_str() << "\n";
      }
      sdl << "}\n\n";
    }
  }
  return sdl.str();
}

// A query a project page could send: fragments, variables, an alias, nested connections. About
// 2 kB; every field exists in the upstream schema, so it validates without errors.
constexpr std::string_view kProjectPageQuery =
    R"(query ProjectPage($projectId: String!, $modelLimit: Int!, $versionLimit: Int!, $cursor: String) {
  serverInfo {
    name
    version
    company
    canonicalUrl
    guestModeEnabled
    inviteOnly
    scopes { name description }
    serverRoles { id title }
    authStrategies { id name icon url color }
  }
  activeUser { id name avatar company email verified createdAt role }
  project(id: $projectId) {
    id
    name
    description
    visibility
    allowPublicComments
    role
    createdAt
    updatedAt
    sourceApps
    team { id role user { ...UserCard } }
    invitedTeam { id inviteId title role invitedBy { ...UserCard } user { ...UserCard } }
    blobs(limit: 10) { totalCount totalSize items { id fileName fileType fileSize uploadStatus createdAt } }
    pendingImportedModels(limit: 5) { id modelName fileName fileType fileSize convertedStatus uploadDate }
    models(limit: $modelLimit, cursor: $cursor) {
      totalCount
      cursor
      items {
        ...ModelCard
        versions(limit: $versionLimit) {
          totalCount
          cursor
          items { ...VersionCard }
        }
      }
    }
    latest: versions(limit: 5) { totalCount items { ...VersionCard model { id name } } }
    commentThreads(limit: 10) {
      totalCount
      items {
        id
        rawText
        archived
        createdAt
        updatedAt
        author { ...UserCard }
        replies(limit: 3) { totalCount items { id rawText author { ...UserCard } } }
      }
    }
  }
}

fragment UserCard on LimitedUser {
  id
  name
  avatar
  company
  bio
  verified
}

fragment ModelCard on Model {
  id
  name
  displayName
  description
  previewUrl
  createdAt
  updatedAt
  author { ...UserCard }
}

fragment VersionCard on Version {
  id
  message
  sourceApplication
  referencedObject
  totalChildrenCount
  previewUrl
  createdAt
  parents
  authorUser { ...UserCard }
}
)";

// --- 1. preparing a document ---------------------------------------------------------------------

void bench_prepare(std::shared_ptr<gql::Schema> schema, std::size_t rounds) {
  const gql::Executor executor(schema);
  const std::string query(kProjectPageQuery);
  {
    const auto prepared = executor.prepare(query);
    if (!prepared->errors.empty()) {
      std::cerr << "the benchmark query does not validate: " << prepared->errors.front().message
                << "\n";
      std::exit(1);
    }
  }
  std::printf("\n1. Parse and validate a %zu-byte query against %zu types\n", query.size(),
              schema->types().size());
  std::printf("  %-34s %9s %9s %9s %9s %9s\n", "microseconds", "p50", "p90", "p99", "max", "mean");

  // A cache miss each time: the same query with a different trailing comment.
  std::vector<std::string> variants;
  const std::size_t cold_runs = kColdRuns * rounds;
  for (std::size_t i = 0; i < cold_runs; ++i) variants.push_back(query + "# " + std::to_string(i));

  auto parse_only = time_each(cold_runs, [&](std::size_t i) {
    const auto document = gql::parse(variants[i]);
    keep(&document);
  });
  print_micros("parse only", parse_only);

  const auto document = gql::parse(query);
  auto validate_only = time_each(cold_runs, [&](std::size_t) {
    const auto errors = gql::validate(*schema, document);
    keep(&errors);
  });
  print_micros("validate only", validate_only);

  auto cold =
      time_each(cold_runs, [&](std::size_t i) { keep(executor.prepare(variants[i]).get()); });
  print_micros("prepare, cold (cache miss)", cold);

  auto cached =
      time_each(kCachedRuns * rounds, [&](std::size_t) { keep(executor.prepare(query).get()); });
  print_micros("prepare, cached (cache hit)", cached);
}

// --- 2. executor overhead per field --------------------------------------------------------------

enum class LeafResolver { kSync, kAsync, kDefault };

const char* describe(LeafResolver kind) {
  switch (kind) {
    case LeafResolver::kSync:
      return "sync resolvers";
    case LeafResolver::kAsync:
      return "async resolvers";
    case LeafResolver::kDefault:
      return "default resolver";
  }
  return "";
}

// `type Item` with `fields` String! fields f0, f1, ... and a Query returning `count` of them.
std::shared_ptr<gql::Schema> list_schema(std::size_t fields, LeafResolver kind) {
  std::string sdl = "type Query { items(count: Int!): [Item!]! }\ntype Item {";
  for (std::size_t f = 0; f < fields; ++f) sdl += " f" + std::to_string(f) + ": String!";
  sdl += " }\n";
  auto schema = gql::Schema::from_sdl(sdl);

  // The list: objects holding every field for the default resolver, bare numbers otherwise.
  schema->resolve_sync("Query", "items", [fields, kind](gql::ResolveContext& ctx) -> json::value {
    const auto count = ctx.arg("count")->to_number<std::int64_t>();
    json::array items;
    items.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
      if (kind != LeafResolver::kDefault) {
        items.emplace_back(i);
        continue;
      }
      json::object item;
      for (std::size_t f = 0; f < fields; ++f) item["f" + std::to_string(f)] = "value";
      items.emplace_back(std::move(item));
    }
    return items;
  });

  for (std::size_t f = 0; f < fields && kind != LeafResolver::kDefault; ++f) {
    const std::string field = "f" + std::to_string(f);
    if (kind == LeafResolver::kSync) {
      schema->resolve_sync("Item", field,
                           [](gql::ResolveContext&) -> json::value { return "value"; });
    } else {
      schema->resolve("Item", field, [](gql::ResolveContext&) -> asio::awaitable<json::value> {
        co_return "value";
      });
    }
  }
  return schema;
}

asio::awaitable<void> run_executions(const gql::Executor& executor, const gql::Request& request,
                                     std::size_t iterations, Samples& samples) {
  for (std::size_t i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    const auto response = co_await executor.execute(request);
    samples.add(Clock::now() - start);
    if (!response.errors.empty()) throw std::runtime_error(response.errors.front().message);
  }
}

void bench_execute(std::size_t rounds) {
  std::printf(
      "\n2. Executor overhead: a list of N objects x M String! fields, trivial resolvers\n");
  std::printf("  %-20s %6s %4s %12s %12s %12s %12s\n", "resolvers", "N", "M", "p50 us", "p99 us",
              "ns/field p50", "ns/field p99");

  struct Shape {
    std::size_t objects;
    std::size_t fields;
  };
  const Shape shapes[] = {{100, 10}, {1000, 10}, {10000, 2}};
  for (const auto kind : {LeafResolver::kSync, LeafResolver::kAsync, LeafResolver::kDefault}) {
    for (const auto [objects, fields] : shapes) {
      const gql::Executor executor(list_schema(fields, kind));
      gql::Request request;
      request.query = "{ items(count: " + std::to_string(objects) + ") {";
      for (std::size_t f = 0; f < fields; ++f) request.query += " f" + std::to_string(f);
      request.query += " } }";

      // Warm up the document cache and the allocator, then time whole requests.
      const std::size_t leaves = objects * fields;
      const std::size_t iterations = std::max(kMinExecutions, kLeavesPerShape / leaves) * rounds;
      Samples warm_up;
      Samples samples;
      asio::io_context io;
      asio::co_spawn(io, run_executions(executor, request, 3, warm_up), asio::detached);
      io.run();
      io.restart();
      asio::co_spawn(io, run_executions(executor, request, iterations, samples),
                     [](std::exception_ptr e) {
                       if (e) std::rethrow_exception(e);
                     });
      io.run();

      const double p50 = samples.percentile(50);
      const double p99 = samples.percentile(99);
      std::printf("  %-20s %6zu %4zu %12.1f %12.1f %12.1f %12.1f\n", describe(kind), objects,
                  fields, p50 / 1e3, p99 / 1e3, p50 / static_cast<double>(leaves),
                  p99 / static_cast<double>(leaves));
    }
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::string signatures_path = STIPPLE_DEFAULT_SIGNATURES;
  std::size_t rounds = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--signatures") {
      signatures_path = argv[i + 1];
    } else if (flag == "--rounds") {
      rounds = std::max(1, std::atoi(argv[i + 1]));
    } else {
      std::cerr << "usage: bench_graphql [--signatures FILE] [--rounds R]\n";
      return 2;
    }
  }

  // The upstream schema when its signatures are at hand, Stipple's own schema otherwise.
  std::shared_ptr<gql::Schema> schema;
  const std::string signatures = read_file(signatures_path);
  if (!signatures.empty()) {
    schema = gql::Schema::from_sdl(sdl_from_signatures(json::parse(signatures).as_object()));
    std::printf("schema: upstream Speckle signatures (%s)\n", signatures_path.c_str());
  } else {
    schema = gql::Schema::from_sdl_texts(stipple::api::embedded_sdl());
    std::printf("schema: Stipple's own (%s not found)\n", signatures_path.c_str());
  }

  bench_prepare(schema, rounds);
  bench_execute(rounds);
  return 0;
}
