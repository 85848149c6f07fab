// Runs one request through Stipple's GraphQL engine, for the differential tests against graphql-js.
//
//   gql_cli SCHEMA.graphql REQUEST.json
//
// REQUEST.json: {"query": "...", "variables": {...}, "operationName": "...", "rootValue": {...}}.
// Fields resolve with the default resolver from rootValue; values of interfaces and unions name
// their type in `__typename`. Prints the response as JSON.
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio.hpp>

#include "graphql/graphql.h"

namespace asio = boost::asio;
namespace json = boost::json;
namespace gql = stipple::graphql;

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: gql_cli SCHEMA.graphql REQUEST.json\n";
    return 2;
  }
  std::shared_ptr<gql::Schema> schema;
  try {
    schema = gql::Schema::from_sdl(slurp(argv[1]));
  } catch (const std::exception& e) {
    std::cout << json::serialize(json::object{{"schemaError", e.what()}}) << "\n";
    return 0;
  }
  const json::object req = json::parse(slurp(argv[2])).as_object();
  gql::Request request;
  request.query = std::string(req.at("query").as_string());
  if (const auto* v = req.if_contains("variables"); v && v->is_object()) {
    request.variables = v->as_object();
  }
  if (const auto* o = req.if_contains("operationName"); o && o->is_string()) {
    request.operation_name = std::string(o->as_string());
  }
  json::value root = nullptr;
  if (const auto* r = req.if_contains("rootValue")) root = *r;

  gql::Executor executor(schema);
  asio::io_context io;
  json::object out;
  asio::co_spawn(io, executor.execute(request, {}, root),
                 [&](std::exception_ptr e, gql::Response r) {
                   if (e) std::rethrow_exception(e);
                   out = r.to_json();
                 });
  io.run();
  std::cout << json::serialize(out) << "\n";
  return 0;
}
