#include "graphql/values.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "graphql/parser.h"

namespace stipple::graphql::detail {
namespace {

constexpr double kMaxInt32 = 2147483647.0;
constexpr double kMinInt32 = -2147483648.0;

bool is_number(const json::value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}

double as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// JavaScript's Number(string) for the strings a resolver might return: decimal numbers only.
std::optional<double> js_string_to_number(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  if (s.empty()) return 0.0;
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return d;
}

// An integer-valued JSON number as an int64, when it is one.
std::optional<int64_t> as_integer(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

json::value int_from_double(double d, const json::value& original) {
  if (std::trunc(d) != d || !std::isfinite(d)) {
    throw CoercionError("Int cannot represent non-integer value: " + inspect(original));
  }
  if (d > kMaxInt32 || d < kMinInt32) {
    throw CoercionError("Int cannot represent non 32-bit signed integer value: " +
                        inspect(original));
  }
  return static_cast<int64_t>(d);
}

const EnumValueDef* enum_value(const Type& type, std::string_view name) {
  return type.enum_value(name);
}

}  // namespace

// ============================================================================================
// Formatting
// ============================================================================================

std::string inspect(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case json::kind::int64:
      return std::to_string(value.get_int64());
    case json::kind::uint64:
      return std::to_string(value.get_uint64());
    case json::kind::double_:
      return js_number(value.get_double());
    case json::kind::string:
      return json::serialize(value);
    case json::kind::array: {
      const auto& a = value.get_array();
      if (a.empty()) return "[]";
      std::string out = "[";
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ", ";
        out += inspect(a[i]);
      }
      return out + "]";
    }
    case json::kind::object: {
      const auto& o = value.get_object();
      if (o.empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ", ";
        first = false;
        out += std::string(kv.key()) + ": " + inspect(kv.value());
      }
      return out + " }";
    }
  }
  return "";
}

// ============================================================================================
// Leaf types
// ============================================================================================

json::value serialize_leaf(const Type& type, const json::value& value) {
  if (type.kind == TypeKind::kEnum) {
    if (value.is_string() && enum_value(type, value.get_string())) return value;
    throw CoercionError("Enum \"" + type.name + "\" cannot represent value: " + inspect(value));
  }
  const std::string& n = type.name;
  if (n == "Int") {
    if (value.is_bool()) return value.get_bool() ? 1 : 0;
    if (value.is_string()) {
      const auto d = js_string_to_number(value.get_string());
      if (d && !value.get_string().empty()) return int_from_double(*d, value);
      throw CoercionError("Int cannot represent non-integer value: " + inspect(value));
    }
    if (is_number(value)) {
      if (auto i = as_integer(value)) {
        if (*i > kMaxInt32 || *i < kMinInt32) {
          throw CoercionError("Int cannot represent non 32-bit signed integer value: " +
                              inspect(value));
        }
        return *i;
      }
      return int_from_double(as_double(value), value);
    }
    throw CoercionError("Int cannot represent non-integer value: " + inspect(value));
  }
  if (n == "Float") {
    if (value.is_bool()) return value.get_bool() ? 1 : 0;
    if (is_number(value)) return value;
    if (value.is_string() && !value.get_string().empty()) {
      if (const auto d = js_string_to_number(value.get_string()); d && std::isfinite(*d)) {
        return *d;
      }
    }
    throw CoercionError("Float cannot represent non numeric value: " + inspect(value));
  }
  if (n == "String") {
    if (value.is_string()) return value;
    if (value.is_bool()) return value.get_bool() ? "true" : "false";
    if (is_number(value)) return json::string(inspect(value));
    throw CoercionError("String cannot represent value: " + inspect(value));
  }
  if (n == "Boolean") {
    if (value.is_bool()) return value;
    if (is_number(value)) return as_double(value) != 0;
    throw CoercionError("Boolean cannot represent a non boolean value: " + inspect(value));
  }
  if (n == "ID") {
    if (value.is_string()) return value;
    if (auto i = as_integer(value)) return json::string(std::to_string(*i));
    throw CoercionError("ID cannot represent value: " + inspect(value));
  }
  if (type.scalar.serialize) return type.scalar.serialize(value);
  return value;
}

json::value parse_leaf_value(const Type& type, const json::value& value) {
  if (type.kind == TypeKind::kEnum) {
    if (!value.is_string()) {
      throw CoercionError("Enum \"" + type.name +
                          "\" cannot represent non-string value: " + inspect(value) + ".");
    }
    if (!enum_value(type, value.get_string())) {
      throw CoercionError("Value \"" + std::string(value.get_string()) + "\" does not exist in \"" +
                          type.name + "\" enum.");
    }
    return value;
  }
  const std::string& n = type.name;
  if (n == "Int") {
    if (!is_number(value)) {
      throw CoercionError("Int cannot represent non-integer value: " + inspect(value));
    }
    if (auto i = as_integer(value)) {
      if (*i > kMaxInt32 || *i < kMinInt32) {
        throw CoercionError("Int cannot represent non 32-bit signed integer value: " +
                            inspect(value));
      }
      return *i;
    }
    return int_from_double(as_double(value), value);
  }
  if (n == "Float") {
    if (!is_number(value)) {
      throw CoercionError("Float cannot represent non numeric value: " + inspect(value));
    }
    return value;
  }
  if (n == "String") {
    if (!value.is_string()) {
      throw CoercionError("String cannot represent a non string value: " + inspect(value));
    }
    return value;
  }
  if (n == "Boolean") {
    if (!value.is_bool()) {
      throw CoercionError("Boolean cannot represent a non boolean value: " + inspect(value));
    }
    return value;
  }
  if (n == "ID") {
    if (value.is_string()) return value;
    if (auto i = as_integer(value); i && !value.is_double()) {
      return json::string(std::to_string(*i));
    }
    throw CoercionError("ID cannot represent value: " + inspect(value));
  }
  if (type.scalar.parse_value) return type.scalar.parse_value(value);
  return value;
}

json::value parse_leaf_literal(const Type& type, const ast::Value& node,
                               const json::object* variables) {
  using K = ast::Value::Kind;
  if (type.kind == TypeKind::kEnum) {
    if (node.kind != K::kEnum) {
      throw CoercionError("Enum \"" + type.name +
                          "\" cannot represent non-enum value: " + print_value(node) + ".");
    }
    if (!enum_value(type, node.text)) {
      throw CoercionError("Value \"" + node.text + "\" does not exist in \"" + type.name +
                          "\" enum.");
    }
    return json::string(node.text);
  }
  const std::string& n = type.name;
  if (n == "Int") {
    if (node.kind != K::kInt) {
      throw CoercionError("Int cannot represent non-integer value: " + print_value(node));
    }
    int64_t v = 0;
    const auto [ptr, ec] =
        std::from_chars(node.text.data(), node.text.data() + node.text.size(), v);
    if (ec != std::errc() || v > kMaxInt32 || v < kMinInt32) {
      throw CoercionError("Int cannot represent non 32-bit signed integer value: " + node.text);
    }
    return v;
  }
  if (n == "Float") {
    if (node.kind != K::kInt && node.kind != K::kFloat) {
      throw CoercionError("Float cannot represent non numeric value: " + print_value(node));
    }
    if (node.kind == K::kInt) {
      int64_t v = 0;
      const auto [ptr, ec] =
          std::from_chars(node.text.data(), node.text.data() + node.text.size(), v);
      if (ec == std::errc()) return v;
    }
    return std::strtod(node.text.c_str(), nullptr);
  }
  if (n == "String") {
    if (node.kind != K::kString) {
      throw CoercionError("String cannot represent a non string value: " + print_value(node));
    }
    return json::string(node.text);
  }
  if (n == "Boolean") {
    if (node.kind != K::kBoolean) {
      throw CoercionError("Boolean cannot represent a non boolean value: " + print_value(node));
    }
    return node.boolean;
  }
  if (n == "ID") {
    if (node.kind != K::kString && node.kind != K::kInt) {
      throw CoercionError("ID cannot represent a non-string and non-integer value: " +
                          print_value(node));
    }
    return json::string(node.text);
  }
  if (type.scalar.parse_literal) {
    static const json::object kNoVariables;
    return type.scalar.parse_literal(node, variables ? *variables : kNoVariables);
  }
  return value_from_ast_untyped(node, variables);
}

// ============================================================================================
// Literals
// ============================================================================================

json::value value_from_ast_untyped(const ast::Value& node, const json::object* variables) {
  using K = ast::Value::Kind;
  switch (node.kind) {
    case K::kNull:
      return nullptr;
    case K::kBoolean:
      return node.boolean;
    case K::kString:
    case K::kEnum:
      return json::string(node.text);
    case K::kInt: {
      int64_t v = 0;
      const auto [ptr, ec] =
          std::from_chars(node.text.data(), node.text.data() + node.text.size(), v);
      if (ec == std::errc()) return v;
      return std::strtod(node.text.c_str(), nullptr);
    }
    case K::kFloat:
      return std::strtod(node.text.c_str(), nullptr);
    case K::kVariable: {
      if (!variables) return nullptr;
      const auto* v = variables->if_contains(node.text);
      return v ? *v : json::value(nullptr);
    }
    case K::kList: {
      json::array a;
      for (const auto& item : node.list) a.push_back(value_from_ast_untyped(*item, variables));
      return a;
    }
    case K::kObject: {
      json::object o;
      for (const auto& f : node.fields) o[f.name] = value_from_ast_untyped(*f.value, variables);
      return o;
    }
  }
  return nullptr;
}

namespace {

bool is_missing_variable(const ast::Value* node, const json::object* variables) {
  return node && node->kind == ast::Value::Kind::kVariable &&
         (!variables || !variables->contains(node->text));
}

}  // namespace

std::optional<json::value> value_from_ast(const ast::Value* node, const Type* type,
                                          const json::object* variables) {
  using K = ast::Value::Kind;
  if (!node) return std::nullopt;

  // A variable stands for its coerced value; an absent one is invalid here (callers decide
  // about defaults before reaching this point).
  if (node->kind == K::kVariable) {
    if (!variables) return std::nullopt;
    const auto* v = variables->if_contains(node->text);
    if (!v) return std::nullopt;
    if (v->is_null() && type->is_non_null()) return std::nullopt;
    return *v;
  }

  if (type->is_non_null()) {
    if (node->kind == K::kNull) return std::nullopt;
    return value_from_ast(node, type->of_type, variables);
  }
  if (node->kind == K::kNull) return json::value(nullptr);

  switch (type->kind) {
    case TypeKind::kList: {
      const Type* item_type = type->of_type;
      if (node->kind != K::kList) {
        // A single item stands for a list of one.
        auto item = value_from_ast(node, item_type, variables);
        if (!item) return std::nullopt;
        return json::array{std::move(*item)};
      }
      json::array out;
      for (const auto& item : node->list) {
        if (is_missing_variable(item.get(), variables)) {
          // A missing variable in a list is null, which a non-null item type refuses.
          if (item_type->is_non_null()) return std::nullopt;
          out.emplace_back(nullptr);
          continue;
        }
        auto v = value_from_ast(item.get(), item_type, variables);
        if (!v) return std::nullopt;
        out.push_back(std::move(*v));
      }
      return out;
    }
    case TypeKind::kInputObject: {
      if (node->kind != K::kObject) return std::nullopt;
      json::object out;
      for (const auto& field : type->input_fields) {
        const ast::ObjectField* given = nullptr;
        for (const auto& f : node->fields) {
          if (f.name == field.name) given = &f;
        }
        if (!given || is_missing_variable(given->value.get(), variables)) {
          if (field.default_value) {
            out[field.name] = *field.default_value;
          } else if (field.type->is_non_null()) {
            return std::nullopt;
          }
          continue;
        }
        auto v = value_from_ast(given->value.get(), field.type, variables);
        if (!v) return std::nullopt;
        out[field.name] = std::move(*v);
      }
      // Every given field must exist.
      for (const auto& f : node->fields) {
        if (!type->input_field(f.name)) return std::nullopt;
      }
      if (type->one_of) {
        if (out.size() != 1 || out.begin()->value().is_null()) return std::nullopt;
      }
      return out;
    }
    case TypeKind::kScalar:
    case TypeKind::kEnum:
      try {
        return parse_leaf_literal(*type, *node, variables);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

// ============================================================================================
// Variable values
// ============================================================================================

namespace {

json::value coerce_at(const json::value& input, const Type* type, json::array& path,
                      const CoercionErrorSink& on_error) {
  if (type->is_non_null()) {
    if (input.is_null()) {
      on_error(path, input,
               "Expected non-nullable type \"" + type->to_string() + "\" not to be null.");
      return nullptr;
    }
    return coerce_at(input, type->of_type, path, on_error);
  }
  if (input.is_null()) return nullptr;

  switch (type->kind) {
    case TypeKind::kList: {
      if (!input.is_array()) {
        // A single value stands for a list of one.
        return json::array{coerce_at(input, type->of_type, path, on_error)};
      }
      json::array out;
      const auto& items = input.get_array();
      for (size_t i = 0; i < items.size(); ++i) {
        path.push_back(static_cast<int64_t>(i));
        out.push_back(coerce_at(items[i], type->of_type, path, on_error));
        path.pop_back();
      }
      return out;
    }
    case TypeKind::kInputObject: {
      if (!input.is_object()) {
        on_error(path, input, "Expected type \"" + type->name + "\" to be an object.");
        return nullptr;
      }
      const auto& given = input.get_object();
      json::object out;
      for (const auto& field : type->input_fields) {
        const auto* v = given.if_contains(field.name);
        if (!v) {
          if (field.default_value) {
            out[field.name] = *field.default_value;
          } else if (field.type->is_non_null()) {
            on_error(path, input,
                     "Field \"" + field.name + "\" of required type \"" + field.type->to_string() +
                         "\" was not provided.");
          }
          continue;
        }
        path.push_back(json::string(field.name));
        out[field.name] = coerce_at(*v, field.type, path, on_error);
        path.pop_back();
      }
      for (const auto& kv : given) {
        if (!type->input_field(kv.key())) {
          on_error(path, input,
                   "Field \"" + std::string(kv.key()) + "\" is not defined by type \"" +
                       type->name + "\".");
        }
      }
      if (type->one_of) {
        if (out.size() != 1) {
          on_error(path, input,
                   "Exactly one key must be specified for OneOf type \"" + type->name + "\".");
        } else if (out.begin()->value().is_null()) {
          on_error(path, input,
                   "Field \"" + std::string(out.begin()->key()) + "\" must be non-null.");
        }
      }
      return out;
    }
    case TypeKind::kScalar:
    case TypeKind::kEnum:
      try {
        return parse_leaf_value(*type, input);
      } catch (const std::exception& e) {
        const std::string message = e.what();
        on_error(path, input, message.empty() ? "Expected type \"" + type->name + "\"." : message);
        return nullptr;
      }
    default:
      return nullptr;
  }
}

}  // namespace

json::value coerce_input_value(const json::value& input, const Type* type,
                               const CoercionErrorSink& on_error) {
  json::array path;
  return coerce_at(input, type, path, on_error);
}

// ============================================================================================
// Printing default values
// ============================================================================================

std::optional<std::string> print_literal(const json::value& value, const Type* type) {
  if (type->is_non_null()) {
    if (value.is_null()) return std::nullopt;
    return print_literal(value, type->of_type);
  }
  if (value.is_null()) return "null";

  switch (type->kind) {
    case TypeKind::kList: {
      if (!value.is_array()) return print_literal(value, type->of_type);
      std::string out = "[";
      bool first = true;
      for (const auto& item : value.get_array()) {
        auto s = print_literal(item, type->of_type);
        if (!s) continue;
        if (!first) out += ", ";
        first = false;
        out += *s;
      }
      return out + "]";
    }
    case TypeKind::kInputObject: {
      if (!value.is_object()) return std::nullopt;
      std::string out = "{";
      bool first = true;
      for (const auto& field : type->input_fields) {
        const auto* v = value.get_object().if_contains(field.name);
        if (!v) continue;
        auto s = print_literal(*v, field.type);
        if (!s) continue;
        if (!first) out += ", ";
        first = false;
        out += field.name + ": " + *s;
      }
      return out + "}";
    }
    case TypeKind::kScalar:
    case TypeKind::kEnum: {
      json::value serialized;
      try {
        serialized = serialize_leaf(*type, value);
      } catch (const std::exception&) {
        return std::nullopt;
      }
      if (serialized.is_bool()) return serialized.get_bool() ? "true" : "false";
      if (is_number(serialized)) return inspect(serialized);
      if (serialized.is_string()) {
        const std::string s(serialized.get_string());
        if (type->kind == TypeKind::kEnum) return s;
        // An ID that looks like an integer prints as one.
        if (type->name == "ID" && !s.empty()) {
          bool integer = true;
          for (size_t i = 0; i < s.size(); ++i) {
            const bool digit = s[i] >= '0' && s[i] <= '9';
            if (!(digit || (i == 0 && s[i] == '-' && s.size() > 1))) integer = false;
          }
          if (integer && (s[0] != '0' || s.size() == 1)) return s;
        }
        return print_string(s);
      }
      // Not handled: objects and lists of custom scalars; graphql-js refuses them too.
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace stipple::graphql::detail
