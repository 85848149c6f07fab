// The GraphQL engine: build a Schema from SDL, bind resolvers, run requests with an Executor.
//
//   auto schema = graphql::Schema::from_sdl_texts({base_sdl, projects_sdl});
//   schema->resolve("Query", "serverInfo",
//                   [](graphql::ResolveContext& ctx) -> asio::awaitable<json::value> {
//                     co_return json::object{{"name", "Stipple"}};
//                   });
//   graphql::Executor executor(schema);  // bind every resolver before this line
//   graphql::Response r = co_await executor.execute({.query = "{ serverInfo { name } }"}, &ctx);
//   const int status = r.failed_before_execution() ? 400 : 200;
//   body = json::serialize(r.to_json());
//
// Values flow as boost::json values: a resolver returns its field's value; an object value is the
// parent of the fields selected under it; fields without a resolver read the parent's member of
// the same name. Resolvers run on the executor of the coroutine that called execute(); siblings
// and list items run concurrently on it, so a Loader batches the keys they ask for.
//
// A resolver fails its field by throwing graphql::Error(message, code, extra extensions); any
// other exception becomes INTERNAL_SERVER_ERROR. The field becomes null, or its nearest nullable
// ancestor does, and the error lands in `errors` with its path. Schema::wrap() lets the
// application wrap the resolvers of fields carrying directives (@hasScope, ...) at start-up.
#pragma once

#include <any>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include "graphql/ast.h"
#include "graphql/error.h"
#include "graphql/loader.h"
#include "graphql/parser.h"
#include "graphql/schema.h"

namespace stipple::graphql {

namespace detail {
class Execution;
struct PathNode;
}  // namespace detail

// Everything a resolver is given.
struct ResolveContext {
  const json::value& parent;  // the value of the object owning the field
  const json::object& args;   // the field's arguments, coerced, defaults filled in
  std::any& context;          // the per-request context the application passed to execute()
  const FieldDef& field;      // the field's definition, with its directives
  const Type& parent_type;    // the object type owning the field
  const std::vector<const ast::Selection*>& nodes;  // the field's selections in the document
  detail::Execution& execution;
  const detail::PathNode* path_node;

  // The request context as a T; works whether execute() got a T or a T*. Throws
  // std::bad_any_cast when it is neither.
  template <class T>
  T& user() const {
    if (auto* p = std::any_cast<T>(&context)) return *p;
    return *std::any_cast<T*>(context);
  }

  // An argument's value, or null when it was neither given nor defaulted.
  const json::value* arg(std::string_view name) const { return args.if_contains(name); }

  // The response path of this field, such as ["project", "models", 0, "name"].
  json::array path() const;
  // The coerced variables of the request.
  const json::object& variables() const;
  const Schema& schema() const;
  // Names of the fields selected under this one (fragments expanded, @skip/@include applied),
  // for the runtime type `type_name` (defaults to the field's own named type).
  std::vector<std::string> selected_fields(std::string_view type_name = {}) const;
};

// Reads the parent's member named after the field; null when absent.
asio::awaitable<json::value> default_resolver(ResolveContext& ctx);

struct Request {
  std::string query;
  json::object variables;
  std::optional<std::string> operation_name;
};

struct Response {
  // Absent when the request failed before execution: syntax, validation, variables, operation.
  std::optional<json::value> data;
  std::vector<GraphQLError> errors;

  bool failed_before_execution() const { return !data.has_value(); }
  // The wire form: {"errors": [...], "data": ...}, each member only when present.
  json::object to_json() const;
};

// Protection against expensive documents.
struct Limits {
  size_t max_document_bytes = 256 * 1024;
  size_t max_depth = 32;        // nesting of fields, through fragments
  size_t max_fields = 5000;     // field selections written in the document
  size_t max_aliases = 500;     // aliased field selections in the document
  size_t cache_entries = 1000;  // parsed and validated documents kept, by query text
  ParseLimits parse;
};

// A parsed document and the errors found parsing, validating or checking limits.
struct PreparedDocument {
  ast::Document document;
  std::vector<GraphQLError> errors;
};

// Validates a document against a schema with every rule of the specification.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document);

// Runs an already validated document.
asio::awaitable<Response> execute_document(const Schema& schema, const ast::Document& document,
                                           const json::object& variables,
                                           const std::optional<std::string>& operation_name,
                                           std::any& context, const json::value& root_value);

// The root field of a subscription request. The transport opens the event stream this names,
// then calls execute() with the same request once per event, the event as root value (so that
// the default resolver reads the field's value from `{"<field name>": payload}`).
struct Subscription {
  const FieldDef* field = nullptr;  // the field of the Subscription type
  std::string response_key;
  json::object arguments;  // coerced, defaults filled in
  json::object variables;  // coerced
};

class Executor {
 public:
  // Finalizes the schema (applies its resolver wrappers).
  explicit Executor(std::shared_ptr<Schema> schema, Limits limits = {});

  // Parses (or finds in the cache), validates and executes a request. `context` is handed to
  // every resolver; `root_value` is the parent of the root fields (a subscription's event).
  asio::awaitable<Response> execute(Request request, std::any context = {},
                                    json::value root_value = nullptr) const;

  // Resolves the root field of a subscription request, or answers why it cannot run (syntax,
  // validation, variables, operation, or an operation that is not a subscription).
  std::variant<Subscription, Response> subscribe(const Request& request) const;

  // Parses and validates a query, with the cache. Thread-safe.
  std::shared_ptr<const PreparedDocument> prepare(std::string_view query) const;

  const Schema& schema() const { return *schema_; }
  const Limits& limits() const { return limits_; }

 private:
  std::shared_ptr<const PreparedDocument> prepare_uncached(std::string_view query) const;

  std::shared_ptr<Schema> schema_;
  Limits limits_;

  // LRU cache: most recently used first.
  using CacheList = std::list<std::pair<std::string, std::shared_ptr<const PreparedDocument>>>;
  mutable std::mutex cache_mutex_;
  mutable CacheList cache_list_;
  mutable std::unordered_map<std::string_view, CacheList::iterator> cache_index_;
};

}  // namespace stipple::graphql
