// The executor's internals, shared by execution.cpp, introspection.cpp and the public API.
#pragma once

#include <any>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include "graphql/ast.h"
#include "graphql/error.h"
#include "graphql/schema.h"

namespace stipple::graphql::detail {

// One step of a response path; steps live on the executor's coroutine frames.
struct PathNode {
  const PathNode* prev = nullptr;
  std::string_view key;  // field steps
  size_t index = 0;      // list steps
  bool is_index = false;
};

json::array path_to_json(const PathNode* node);

using FieldNodes = std::vector<const ast::Selection*>;

// Fields grouped by response key, in the order of their first appearance.
struct GroupedFields {
  std::vector<std::pair<std::string_view, FieldNodes>> groups;
  std::unordered_map<std::string_view, size_t> index;

  void add(const ast::Selection& field);
};

// The state of one execution of one operation.
class Execution {
 public:
  Execution(const Schema& schema, const ast::Document& document,
            const ast::OperationDefinition& operation, json::object variables, std::any& context);

  // Executes the operation; returns `data` (null when a root field failed non-null).
  boost::asio::awaitable<json::value> run(const json::value& root_value);

  // CollectFields() of the specification.
  void collect_fields(const Type& object_type, const ast::SelectionSet& selections,
                      GroupedFields& out, std::unordered_set<std::string_view>& visited) const;
  GroupedFields collect_subfields(const Type& object_type, const FieldNodes& nodes) const;

  const Schema& schema() const { return schema_; }
  const json::object& variables() const { return variables_; }
  std::vector<GraphQLError>& errors() { return errors_; }

 private:
  using Result = std::optional<json::value>;  // nullopt: a null to propagate to the parent

  bool should_include(const std::vector<ast::Directive>& directives) const;
  bool fragment_applies(const Type& object_type, std::string_view type_condition) const;

  boost::asio::awaitable<Result> execute_fields(const Type& type, const json::value& parent,
                                                const GroupedFields& fields, const PathNode* path,
                                                bool serial);
  boost::asio::awaitable<Result> execute_field(const Type& parent_type, const json::value& parent,
                                               const FieldNodes& nodes, const PathNode* path);
  // The part of execute_field for fields needing no coroutine: leaf types without async resolver.
  Result execute_field_sync(const Type& parent_type, const FieldDef& field,
                            const json::value& parent, const FieldNodes& nodes,
                            const PathNode* path);
  bool is_sync_field(const FieldDef& field) const;
  const FieldDef* field_def(const Type& parent_type, std::string_view name) const;
  std::optional<json::object> coerce_arguments(const FieldDef& field, const ast::Selection& node,
                                               const PathNode* path);

  boost::asio::awaitable<Result> complete_value(const Type* type, const FieldDef& field,
                                                const FieldNodes& nodes, const json::value& value,
                                                const PathNode* path);
  Result complete_value_sync(const Type* type, const FieldDef& field, const FieldNodes& nodes,
                             const json::value& value, const PathNode* path);
  Result execute_fields_sync(const Type& type, const json::value& parent,
                             const GroupedFields& fields, const PathNode* path);
  const GroupedFields& subfields(const Type& object_type, const FieldNodes& nodes);
  const Type* resolve_abstract(const Type& abstract, const FieldDef& field,
                               const json::value& value, const FieldNodes& nodes,
                               const PathNode* path);

  void record(const std::exception_ptr& error, const FieldNodes& nodes, const PathNode* path);
  void record(std::string message, std::string code, const FieldNodes& nodes, const PathNode* path);

  const Schema& schema_;
  const ast::Document& document_;
  const ast::OperationDefinition& operation_;
  json::object variables_;
  std::any& context_;
  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::vector<GraphQLError> errors_;
  std::map<std::pair<const Type*, const FieldNodes*>, GroupedFields> subfields_;
};

// Picks the operation to run (GetOperation()); errors are coded OPERATION_RESOLUTION_FAILURE.
const ast::OperationDefinition* select_operation(const ast::Document& document,
                                                 const std::optional<std::string>& name,
                                                 std::vector<GraphQLError>& errors);

// Coerces a field's arguments (CoerceArgumentValues()); on failure, says why in `error`.
std::optional<json::object> coerce_arguments(const FieldDef& field, const ast::Selection& node,
                                             const json::object& variables, std::string& error);

// Coerces the request's variables for an operation (CoerceVariableValues()); errors are coded
// BAD_USER_INPUT.
std::optional<json::object> coerce_variables(const Schema& schema,
                                             const ast::OperationDefinition& operation,
                                             const json::object& inputs,
                                             std::vector<GraphQLError>& errors);

}  // namespace stipple::graphql::detail
