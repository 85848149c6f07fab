// Input coercion and leaf serialization, after the specification's "Input Coercion" and "Result
// Coercion" sections. Internal to the engine; messages are graphql-js's.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/json.hpp>

#include "base/js_json.h"
#include "graphql/ast.h"
#include "graphql/schema.h"

namespace stipple::graphql::detail {

// A value that a scalar or enum cannot accept or represent. An empty message stands for
// graphql-js's "undefined" result (an invalid value with no explanation).
class CoercionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats a value the way graphql-js's inspect() does in messages: `"abc"`, `{ a: 1 }`, `[1, 2]`.
std::string inspect(const json::value& value);

// Formats a number the way JavaScript's String(number) does.
using stipple::js_number;

// Converts a result value of a scalar or enum type for the response. Throws CoercionError.
json::value serialize_leaf(const Type& type, const json::value& value);

// Converts a variable value of a scalar or enum type. Throws CoercionError.
json::value parse_leaf_value(const Type& type, const json::value& value);

// Converts a literal of a scalar or enum type. Throws CoercionError.
json::value parse_leaf_literal(const Type& type, const ast::Value& node,
                               const json::object* variables);

// A literal as JSON without a type (graphql-js valueFromASTUntyped): enums become strings,
// variables their values (null when absent).
json::value value_from_ast_untyped(const ast::Value& node, const json::object* variables);

// Coerces a literal to `type` (graphql-js valueFromAST). Returns nullopt when the literal is not
// valid for the type. A variable that `variables` lacks counts as undefined.
std::optional<json::value> value_from_ast(const ast::Value* node, const Type* type,
                                          const json::object* variables);

// Reports one input-coercion failure: the path inside the value, the offending value, why.
using CoercionErrorSink = std::function<void(const json::array& path, const json::value& invalid,
                                             const std::string& message)>;

// Coerces a variable value to `type` (graphql-js coerceInputValue), reporting each failure.
json::value coerce_input_value(const json::value& input, const Type* type,
                               const CoercionErrorSink& on_error);

// Prints an internal value of `type` as a GraphQL literal (graphql-js print(astFromValue(...))),
// as introspection shows default values. nullopt when the value has no literal form.
std::optional<std::string> print_literal(const json::value& value, const Type* type);

}  // namespace stipple::graphql::detail
