// The syntax tree of a GraphQL document: executable definitions (operations, fragments) and type
// system definitions (SDL). Nodes own their strings, so a parsed document outlives its source text
// and can sit in a cache.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stipple::graphql::ast {

// 1-based position of a node's first character in the source text.
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

// ============================================================================================
// Values and types
// ============================================================================================

struct Value;

struct ObjectField {
  std::string name;
  std::shared_ptr<const Value> value;
  Location loc;
};

struct Value {
  enum class Kind { kVariable, kInt, kFloat, kString, kBoolean, kNull, kEnum, kList, kObject };

  Kind kind = Kind::kNull;
  Location loc;
  // Variable name, raw numeric text, decoded string value or enum value name.
  std::string text;
  bool boolean = false;
  bool block_string = false;
  std::vector<std::shared_ptr<const Value>> list;
  std::vector<ObjectField> fields;
};

using ValuePtr = std::shared_ptr<const Value>;

// A type reference in a document: `Name`, `[T]` or `T!`.
struct TypeRef {
  enum class Kind { kNamed, kList, kNonNull };

  Kind kind = Kind::kNamed;
  std::string name;                   // kNamed only
  std::shared_ptr<const TypeRef> of;  // kList and kNonNull only
  Location loc;

  // The innermost named type.
  const std::string& named() const { return kind == Kind::kNamed ? name : of->named(); }
};

using TypeRefPtr = std::shared_ptr<const TypeRef>;

struct Argument {
  std::string name;
  ValuePtr value;
  Location loc;
};

struct Directive {
  std::string name;
  std::vector<Argument> arguments;
  Location loc;
};

// ============================================================================================
// Executable definitions
// ============================================================================================

struct Selection;
using SelectionSet = std::vector<Selection>;

// One entry of a selection set. A single struct for the three kinds keeps traversal simple.
struct Selection {
  enum class Kind { kField, kFragmentSpread, kInlineFragment };

  Kind kind = Kind::kField;
  Location loc;
  Location name_loc;            // the field's or spread fragment's name
  Location type_condition_loc;  // kInlineFragment with a type condition
  Location selection_set_loc;   // the opening brace, when there is a selection set
  std::string alias;            // kField: empty when no alias was written
  std::string name;             // kField: field name; kFragmentSpread: fragment name
  std::string type_condition;   // kInlineFragment: empty when none was written
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  SelectionSet selection_set;

  // The key of this field in the response.
  const std::string& response_key() const { return alias.empty() ? name : alias; }
};

enum class OperationType { kQuery, kMutation, kSubscription };

struct VariableDefinition {
  std::string name;
  Location name_loc;  // the name after `$`
  TypeRefPtr type;
  ValuePtr default_value;  // null when absent
  std::vector<Directive> directives;
  Location loc;
};

struct OperationDefinition {
  OperationType operation = OperationType::kQuery;
  std::string name;  // empty for anonymous operations
  Location name_loc;
  std::vector<VariableDefinition> variables;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  Location loc;
};

struct FragmentDefinition {
  std::string name;
  Location name_loc;
  std::string type_condition;
  Location type_condition_loc;
  std::vector<Directive> directives;
  SelectionSet selection_set;
  Location loc;
};

// ============================================================================================
// Type system definitions (SDL)
// ============================================================================================

struct InputValueDefinition {
  std::optional<std::string> description;
  std::string name;
  TypeRefPtr type;
  ValuePtr default_value;  // null when absent
  std::vector<Directive> directives;
  Location loc;
};

struct FieldDefinition {
  std::optional<std::string> description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  TypeRefPtr type;
  std::vector<Directive> directives;
  Location loc;
};

struct EnumValueDefinition {
  std::optional<std::string> description;
  std::string name;
  std::vector<Directive> directives;
  Location loc;
};

enum class TypeDefinitionKind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject };

// A type definition or a type extension (`extend type ...`).
struct TypeDefinition {
  TypeDefinitionKind kind = TypeDefinitionKind::kScalar;
  bool is_extension = false;
  std::optional<std::string> description;
  std::string name;
  std::vector<std::string> interfaces;  // object and interface types
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;             // object and interface types
  std::vector<std::string> members;                // union types
  std::vector<EnumValueDefinition> values;         // enum types
  std::vector<InputValueDefinition> input_fields;  // input object types
  Location loc;
};

struct RootOperationTypeDefinition {
  OperationType operation = OperationType::kQuery;
  std::string type_name;
  Location loc;
};

// A `schema { ... }` definition or `extend schema ...`.
struct SchemaDefinition {
  bool is_extension = false;
  std::optional<std::string> description;
  std::vector<Directive> directives;
  std::vector<RootOperationTypeDefinition> operation_types;
  Location loc;
};

struct DirectiveDefinition {
  std::optional<std::string> description;
  std::string name;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<std::string> locations;
  Location loc;
};

// A parsed document. Definitions of each kind are kept in source order; `definition_order`
// records the kind and index of every definition so that rules about mixing kinds can see it.
struct Document {
  enum class DefinitionKind { kOperation, kFragment, kType, kSchema, kDirective };

  std::vector<OperationDefinition> operations;
  std::vector<FragmentDefinition> fragments;
  std::vector<TypeDefinition> types;
  std::vector<SchemaDefinition> schemas;
  std::vector<DirectiveDefinition> directives;
  std::vector<std::pair<DefinitionKind, size_t>> definition_order;
};

}  // namespace stipple::graphql::ast
