// Resolvers of the introspection types (__Schema, __Type, ...) and of the meta fields __schema
// and __type. The values passed between them are pointers into the schema, carried as unsigned
// JSON integers: only these resolvers ever see them.
#include <cstdint>

#include "graphql/graphql.h"
#include "graphql/values.h"

namespace stipple::graphql::detail {
namespace {

template <class T>
json::value ref(const T* p) {
  if (!p) return nullptr;
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

template <class T>
const T& deref(const json::value& v) {
  return *reinterpret_cast<const T*>(static_cast<uintptr_t>(v.get_uint64()));
}

json::value optional_string(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::string(*s);
}

bool include_deprecated(const ResolveContext& ctx) {
  const auto* v = ctx.arg("includeDeprecated");
  return v && v->is_bool() && v->get_bool();
}

const char* kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar:
      return "SCALAR";
    case TypeKind::kObject:
      return "OBJECT";
    case TypeKind::kInterface:
      return "INTERFACE";
    case TypeKind::kUnion:
      return "UNION";
    case TypeKind::kEnum:
      return "ENUM";
    case TypeKind::kInputObject:
      return "INPUT_OBJECT";
    case TypeKind::kList:
      return "LIST";
    case TypeKind::kNonNull:
      return "NON_NULL";
  }
  return "";
}

json::value input_values(const std::vector<InputValue>& values, bool with_deprecated) {
  json::array out;
  for (const auto& v : values) {
    if (v.deprecation_reason && !with_deprecated) continue;
    out.push_back(ref(&v));
  }
  return out;
}

}  // namespace

void install_introspection(Schema& schema) {
  auto on = [&](const char* type, const char* field, SyncResolver fn) {
    schema.all_types_.at(type)->field(field)->sync_resolver = std::move(fn);
  };

  // --- meta fields ---------------------------------------------------------------------------
  on("__Meta", "__schema", [](ResolveContext& ctx) { return ref(&ctx.schema()); });
  on("__Meta", "__type", [](ResolveContext& ctx) {
    const auto* name = ctx.arg("name");
    return ref(name && name->is_string() ? ctx.schema().type(name->get_string()) : nullptr);
  });

  // --- __Schema ------------------------------------------------------------------------------
  on("__Schema", "description",
     [](ResolveContext& ctx) { return optional_string(deref<Schema>(ctx.parent).description()); });
  on("__Schema", "types", [](ResolveContext& ctx) {
    json::array out;
    for (const Type* t : deref<Schema>(ctx.parent).types()) out.push_back(ref(t));
    return json::value(std::move(out));
  });
  on("__Schema", "queryType",
     [](ResolveContext& ctx) { return ref(deref<Schema>(ctx.parent).query_type()); });
  on("__Schema", "mutationType",
     [](ResolveContext& ctx) { return ref(deref<Schema>(ctx.parent).mutation_type()); });
  on("__Schema", "subscriptionType",
     [](ResolveContext& ctx) { return ref(deref<Schema>(ctx.parent).subscription_type()); });
  on("__Schema", "directives", [](ResolveContext& ctx) {
    json::array out;
    for (const DirectiveDef* d : deref<Schema>(ctx.parent).directives()) out.push_back(ref(d));
    return json::value(std::move(out));
  });

  // --- __Type --------------------------------------------------------------------------------
  on("__Type", "kind",
     [](ResolveContext& ctx) { return json::value(kind_name(deref<Type>(ctx.parent).kind)); });
  on("__Type", "name", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    return t.name.empty() ? json::value(nullptr) : json::value(t.name);
  });
  on("__Type", "description",
     [](ResolveContext& ctx) { return optional_string(deref<Type>(ctx.parent).description); });
  on("__Type", "specifiedByURL",
     [](ResolveContext& ctx) { return optional_string(deref<Type>(ctx.parent).specified_by_url); });
  on("__Type", "fields", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) return json::value();
    json::array out;
    for (const auto& f : t.fields) {
      if (f.deprecation_reason && !include_deprecated(ctx)) continue;
      out.push_back(ref(&f));
    }
    return json::value(std::move(out));
  });
  on("__Type", "interfaces", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) return json::value();
    json::array out;
    for (const Type* i : t.interfaces) out.push_back(ref(i));
    return json::value(std::move(out));
  });
  on("__Type", "possibleTypes", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    if (!t.is_abstract()) return json::value();
    json::array out;
    for (const Type* p : t.possible_types) out.push_back(ref(p));
    return json::value(std::move(out));
  });
  on("__Type", "enumValues", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    if (t.kind != TypeKind::kEnum) return json::value();
    json::array out;
    for (const auto& v : t.enum_values) {
      if (v.deprecation_reason && !include_deprecated(ctx)) continue;
      out.push_back(ref(&v));
    }
    return json::value(std::move(out));
  });
  on("__Type", "inputFields", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    if (t.kind != TypeKind::kInputObject) return json::value();
    return input_values(t.input_fields, include_deprecated(ctx));
  });
  on("__Type", "ofType", [](ResolveContext& ctx) { return ref(deref<Type>(ctx.parent).of_type); });
  on("__Type", "isOneOf", [](ResolveContext& ctx) {
    const Type& t = deref<Type>(ctx.parent);
    return t.kind == TypeKind::kInputObject ? json::value(t.one_of) : json::value();
  });

  // --- __Field -------------------------------------------------------------------------------
  on("__Field", "name",
     [](ResolveContext& ctx) { return json::value(deref<FieldDef>(ctx.parent).name); });
  on("__Field", "description",
     [](ResolveContext& ctx) { return optional_string(deref<FieldDef>(ctx.parent).description); });
  on("__Field", "args", [](ResolveContext& ctx) {
    return input_values(deref<FieldDef>(ctx.parent).args, include_deprecated(ctx));
  });
  on("__Field", "type", [](ResolveContext& ctx) { return ref(deref<FieldDef>(ctx.parent).type); });
  on("__Field", "isDeprecated", [](ResolveContext& ctx) {
    return json::value(deref<FieldDef>(ctx.parent).deprecation_reason.has_value());
  });
  on("__Field", "deprecationReason", [](ResolveContext& ctx) {
    return optional_string(deref<FieldDef>(ctx.parent).deprecation_reason);
  });

  // --- __InputValue --------------------------------------------------------------------------
  on("__InputValue", "name",
     [](ResolveContext& ctx) { return json::value(deref<InputValue>(ctx.parent).name); });
  on("__InputValue", "description", [](ResolveContext& ctx) {
    return optional_string(deref<InputValue>(ctx.parent).description);
  });
  on("__InputValue", "type",
     [](ResolveContext& ctx) { return ref(deref<InputValue>(ctx.parent).type); });
  on("__InputValue", "defaultValue", [](ResolveContext& ctx) {
    const InputValue& v = deref<InputValue>(ctx.parent);
    if (!v.default_value) return json::value();
    const auto printed = print_literal(*v.default_value, v.type);
    return printed ? json::value(*printed) : json::value();
  });
  on("__InputValue", "isDeprecated", [](ResolveContext& ctx) {
    return json::value(deref<InputValue>(ctx.parent).deprecation_reason.has_value());
  });
  on("__InputValue", "deprecationReason", [](ResolveContext& ctx) {
    return optional_string(deref<InputValue>(ctx.parent).deprecation_reason);
  });

  // --- __EnumValue ---------------------------------------------------------------------------
  on("__EnumValue", "name",
     [](ResolveContext& ctx) { return json::value(deref<EnumValueDef>(ctx.parent).name); });
  on("__EnumValue", "description", [](ResolveContext& ctx) {
    return optional_string(deref<EnumValueDef>(ctx.parent).description);
  });
  on("__EnumValue", "isDeprecated", [](ResolveContext& ctx) {
    return json::value(deref<EnumValueDef>(ctx.parent).deprecation_reason.has_value());
  });
  on("__EnumValue", "deprecationReason", [](ResolveContext& ctx) {
    return optional_string(deref<EnumValueDef>(ctx.parent).deprecation_reason);
  });

  // --- __Directive ---------------------------------------------------------------------------
  on("__Directive", "name",
     [](ResolveContext& ctx) { return json::value(deref<DirectiveDef>(ctx.parent).name); });
  on("__Directive", "description", [](ResolveContext& ctx) {
    return optional_string(deref<DirectiveDef>(ctx.parent).description);
  });
  on("__Directive", "isRepeatable",
     [](ResolveContext& ctx) { return json::value(deref<DirectiveDef>(ctx.parent).repeatable); });
  on("__Directive", "locations", [](ResolveContext& ctx) {
    json::array out;
    for (const auto& l : deref<DirectiveDef>(ctx.parent).locations) out.emplace_back(l);
    return json::value(std::move(out));
  });
  on("__Directive", "args", [](ResolveContext& ctx) {
    return input_values(deref<DirectiveDef>(ctx.parent).args, include_deprecated(ctx));
  });
  // Directive definitions carry no directives of their own in SDL, so none is deprecated.
  on("__Directive", "isDeprecated", [](ResolveContext&) { return json::value(false); });
  on("__Directive", "deprecationReason", [](ResolveContext&) { return json::value(); });
}

}  // namespace stipple::graphql::detail
