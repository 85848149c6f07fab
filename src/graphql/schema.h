// A GraphQL schema built from SDL text, with the resolvers the application binds to its fields.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include "graphql/ast.h"

namespace stipple::graphql {

namespace asio = boost::asio;
namespace json = boost::json;

struct ResolveContext;
struct Type;
class Schema;

namespace detail {
void install_introspection(Schema& schema);
}  // namespace detail

// An asynchronous resolver: a coroutine on the server's event loop returning the field's value.
// Throw graphql::Error to fail the field.
using Resolver = std::function<asio::awaitable<json::value>(ResolveContext&)>;
// A resolver that needs no I/O; cheaper than a coroutine.
using SyncResolver = std::function<json::value(ResolveContext&)>;
// Names the object type of a value returned for an interface or union field.
using TypeResolver = std::function<std::string(const json::value&, ResolveContext&)>;

enum class TypeKind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject, kList, kNonNull };

// A directive applied in the SDL (`@hasScope(scope: "streams:read")`), with its argument values
// as constants, defaults of the directive definition filled in.
struct AppliedDirective {
  std::string name;
  json::object arguments;
};

// An argument of a field or directive, or a field of an input object.
struct InputValue {
  std::string name;
  std::optional<std::string> description;
  const Type* type = nullptr;
  ast::ValuePtr default_literal;             // as written in the SDL; null when none
  std::optional<json::value> default_value;  // the literal coerced to the type
  std::vector<AppliedDirective> directives;
  std::optional<std::string> deprecation_reason;
};

struct FieldDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> args;
  const Type* type = nullptr;
  const Type* owner = nullptr;  // the object or interface type declaring the field
  std::vector<AppliedDirective> directives;
  std::optional<std::string> deprecation_reason;
  Resolver resolver;           // empty: see sync_resolver
  SyncResolver sync_resolver;  // empty too: the default resolver reads the parent's member

  const InputValue* arg(std::string_view name) const;
  // The directive of that name applied to this field, or null.
  const AppliedDirective* directive(std::string_view name) const;
};

struct EnumValueDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<AppliedDirective> directives;
  std::optional<std::string> deprecation_reason;
};

// How a custom scalar converts values. Each function throws graphql::Error (or any exception)
// for a value it cannot represent. An empty function means "pass the value through", which is
// what graphql-js does for scalars declared in SDL.
struct ScalarCoercion {
  std::function<json::value(const json::value&)> serialize;    // resolver result -> response
  std::function<json::value(const json::value&)> parse_value;  // variable value -> internal
  std::function<json::value(const ast::Value&, const json::object& variables)> parse_literal;
};

// A named type, or a list / non-null wrapper (kind kList / kNonNull, with of_type set).
struct Type {
  TypeKind kind = TypeKind::kScalar;
  std::string name;  // empty for wrappers
  std::optional<std::string> description;
  std::optional<std::string> specified_by_url;
  const Type* of_type = nullptr;

  std::vector<FieldDef> fields;             // object and interface types
  std::vector<const Type*> interfaces;      // object and interface types
  std::vector<const Type*> possible_types;  // union members; objects implementing an interface
  std::vector<EnumValueDef> enum_values;    // enum types
  std::vector<InputValue> input_fields;     // input object types
  std::vector<AppliedDirective> directives;
  bool one_of = false;         // input object marked @oneOf
  ScalarCoercion scalar;       // custom scalars
  TypeResolver type_resolver;  // interfaces and unions
  // Set by Schema::finalize(): no field reachable from this type has an asynchronous resolver,
  // so values of this type complete without coroutines.
  bool sync_subtree = false;

  const FieldDef* field(std::string_view name) const;
  FieldDef* field(std::string_view name);
  const InputValue* input_field(std::string_view name) const;
  const EnumValueDef* enum_value(std::string_view name) const;
  const AppliedDirective* directive(std::string_view name) const;
  bool is_possible_type(const Type* object) const;

  // The innermost named type.
  const Type* named() const { return of_type ? of_type->named() : this; }
  bool is_non_null() const { return kind == TypeKind::kNonNull; }
  bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
  bool is_composite() const {
    return kind == TypeKind::kObject || kind == TypeKind::kInterface || kind == TypeKind::kUnion;
  }
  bool is_abstract() const { return kind == TypeKind::kInterface || kind == TypeKind::kUnion; }
  bool is_input() const;
  bool is_output() const;
  // The type as written in GraphQL (`[String!]!`).
  std::string to_string() const;

 private:
  friend class Schema;
  friend class SchemaBuilder;
  std::unordered_map<std::string_view, size_t> field_index_;
};

struct DirectiveDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> args;
  bool repeatable = false;
  std::vector<std::string> locations;

  const InputValue* arg(std::string_view name) const;
};

// Thrown when SDL text does not make a valid schema.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A wrapper decides, once per field at start-up, whether to wrap the field's resolver (to check
// auth directives, for instance). It returns the new resolver, or an empty Resolver to leave the
// field alone. `next` is the field's resolver, or the default resolver when none was bound.
using ResolverWrapper = std::function<Resolver(const FieldDef& field, Resolver next)>;

class Schema {
 public:
  // Builds a schema from SDL text; several texts are merged, so one may `extend type Query` of
  // another. Root types are named by a `schema {}` definition or are Query/Mutation/Subscription.
  // Throws SyntaxError or SchemaError.
  static std::shared_ptr<Schema> from_sdl(std::string_view sdl);
  static std::shared_ptr<Schema> from_sdl_texts(const std::vector<std::string_view>& sdls);

  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // --- binding the application ------------------------------------------------------------

  // Binds a resolver to `type.field`. Throws SchemaError when there is no such field.
  void resolve(std::string_view type, std::string_view field, Resolver resolver);
  void resolve_sync(std::string_view type, std::string_view field, SyncResolver resolver);
  // Binds the function naming the runtime object type of an interface or union's values. Without
  // one, a value's `__typename` member names its type.
  void resolve_type(std::string_view abstract_type, TypeResolver resolver);
  // Sets how a custom scalar converts values.
  void scalar(std::string_view name, ScalarCoercion coercion);
  // Registers a resolver wrapper, applied to every object field by finalize().
  void wrap(ResolverWrapper wrapper);
  // Applies the wrappers. Executor calls it; binding anything afterwards has no effect on
  // wrapped fields.
  void finalize();

  // --- reading the schema ------------------------------------------------------------------

  const Type* type(std::string_view name) const;
  Type* type(std::string_view name);
  // Every named type, in the order graphql-js lists them in introspection.
  const std::vector<const Type*>& types() const { return ordered_types_; }
  const DirectiveDef* directive(std::string_view name) const;
  const std::vector<const DirectiveDef*>& directives() const { return ordered_directives_; }
  const Type* query_type() const { return query_; }
  const Type* mutation_type() const { return mutation_; }
  const Type* subscription_type() const { return subscription_; }
  const std::optional<std::string>& description() const { return description_; }
  // The meta fields __schema, __type and __typename; null for other names.
  const FieldDef* meta_field(std::string_view name) const;

  // Interned wrapper types; safe to call from several threads.
  const Type* list_of(const Type* type) const;
  const Type* non_null(const Type* type) const;
  // Resolves a type reference of a document; null when its named type is unknown.
  const Type* type_from_ast(const ast::TypeRef& ref) const;

 private:
  Schema() = default;
  friend class SchemaBuilder;
  friend void detail::install_introspection(Schema& schema);

  std::deque<Type> storage_;
  std::unordered_map<std::string_view, Type*> all_types_;      // every type built
  std::unordered_map<std::string_view, Type*> visible_types_;  // those reachable, as graphql-js
  std::vector<const Type*> ordered_types_;
  std::deque<DirectiveDef> directive_storage_;
  std::unordered_map<std::string_view, const DirectiveDef*> directives_by_name_;
  std::vector<const DirectiveDef*> ordered_directives_;
  mutable std::mutex wrapper_mutex_;
  mutable std::deque<Type> wrapper_storage_;
  mutable std::map<std::pair<const Type*, TypeKind>, const Type*> wrappers_;
  const Type* query_ = nullptr;
  const Type* mutation_ = nullptr;
  const Type* subscription_ = nullptr;
  std::optional<std::string> description_;
  void apply_wrappers();
  void mark_sync_subtrees();

  std::vector<ResolverWrapper> resolver_wrappers_;
  bool finalized_ = false;
};

}  // namespace stipple::graphql
