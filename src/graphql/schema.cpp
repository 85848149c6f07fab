#include "graphql/schema.h"

#include <algorithm>
#include <cassert>
#include <list>
#include <set>
#include <unordered_set>

#include "graphql/builtin_sdl.h"
#include "graphql/graphql.h"
#include "graphql/parser.h"
#include "graphql/values.h"

namespace stipple::graphql {

// ============================================================================================
// Lookups
// ============================================================================================

namespace {

template <class Items>
auto* find_named(Items& items, std::string_view name) {
  for (auto& item : items) {
    if (item.name == name) return &item;
  }
  return static_cast<decltype(&items.front())>(nullptr);
}

const AppliedDirective* find_directive(const std::vector<AppliedDirective>& dirs,
                                       std::string_view name) {
  for (const auto& d : dirs) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace

const InputValue* FieldDef::arg(std::string_view n) const {
  return find_named(args, n);
}
const AppliedDirective* FieldDef::directive(std::string_view n) const {
  return find_directive(directives, n);
}
const InputValue* DirectiveDef::arg(std::string_view n) const {
  return find_named(args, n);
}

const FieldDef* Type::field(std::string_view n) const {
  const auto it = field_index_.find(n);
  return it == field_index_.end() ? nullptr : &fields[it->second];
}
FieldDef* Type::field(std::string_view n) {
  const auto it = field_index_.find(n);
  return it == field_index_.end() ? nullptr : &fields[it->second];
}
const InputValue* Type::input_field(std::string_view n) const {
  return find_named(input_fields, n);
}
const EnumValueDef* Type::enum_value(std::string_view n) const {
  return find_named(enum_values, n);
}
const AppliedDirective* Type::directive(std::string_view n) const {
  return find_directive(directives, n);
}

bool Type::is_possible_type(const Type* object) const {
  if (this == object) return true;
  for (const Type* t : possible_types) {
    if (t == object) return true;
  }
  return false;
}

bool Type::is_input() const {
  const Type* n = named();
  return n->kind == TypeKind::kScalar || n->kind == TypeKind::kEnum ||
         n->kind == TypeKind::kInputObject;
}

bool Type::is_output() const {
  return named()->kind != TypeKind::kInputObject;
}

std::string Type::to_string() const {
  switch (kind) {
    case TypeKind::kList:
      return "[" + of_type->to_string() + "]";
    case TypeKind::kNonNull:
      return of_type->to_string() + "!";
    default:
      return name;
  }
}

// ============================================================================================
// Builder
// ============================================================================================

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Schema& schema) : s_(schema) {}

  void build(const std::vector<std::string_view>& sdls) {
    // Parse the built-in definitions, then the application's.
    std::vector<ast::Document> docs;
    docs.push_back(parse(detail::kBuiltinSdl));
    for (auto sdl : sdls) docs.push_back(parse(sdl));

    // Create every named type, then fill them in: fields may refer to types defined later.
    for (size_t d = 0; d < docs.size(); ++d) {
      for (const auto& def : docs[d].types) {
        if (!def.is_extension) create_type(def, d == 0);
      }
      if (!docs[d].operations.empty() || !docs[d].fragments.empty()) {
        throw SchemaError("SDL may not hold operations or fragments.");
      }
    }
    for (const auto& doc : docs) {
      for (const auto& def : doc.directives) create_directive(def, &doc == &docs[0]);
    }
    // Definitions first, then extensions, each in document order: graphql-js lists a type's
    // own fields before those of its extensions wherever the extensions are written.
    for (const auto& doc : docs) {
      for (const auto& def : doc.types) {
        if (!def.is_extension) fill_type(def);
      }
    }
    for (const auto& doc : docs) {
      for (const auto& def : doc.types) {
        if (def.is_extension) fill_type(def);
      }
      for (const auto& def : doc.schemas) read_schema_definition(def);
    }
    for (const auto& doc : docs) {
      for (const auto& def : doc.directives) fill_directive(def);
    }
    compute_defaults();
    resolve_roots();
    order_types();
    check_types();
  }

 private:
  // --- creating --------------------------------------------------------------------------

  void create_type(const ast::TypeDefinition& def, bool builtin) {
    if (s_.all_types_.count(def.name)) {
      // Redefining a built-in scalar keeps the built-in, as graphql-js does.
      if (builtin_names_.count(def.name)) return;
      throw SchemaError("There can be only one type named \"" + def.name + "\".");
    }
    Type& t = s_.storage_.emplace_back();
    t.name = def.name;
    t.description = def.description;
    switch (def.kind) {
      case ast::TypeDefinitionKind::kScalar:
        t.kind = TypeKind::kScalar;
        break;
      case ast::TypeDefinitionKind::kObject:
        t.kind = TypeKind::kObject;
        break;
      case ast::TypeDefinitionKind::kInterface:
        t.kind = TypeKind::kInterface;
        break;
      case ast::TypeDefinitionKind::kUnion:
        t.kind = TypeKind::kUnion;
        break;
      case ast::TypeDefinitionKind::kEnum:
        t.kind = TypeKind::kEnum;
        break;
      case ast::TypeDefinitionKind::kInputObject:
        t.kind = TypeKind::kInputObject;
        break;
    }
    s_.all_types_[t.name] = &t;
    if (builtin) {
      builtin_names_.insert(t.name);
    } else {
      config_types_.push_back(&t);
    }
    defined_.insert(&def);
  }

  void create_directive(const ast::DirectiveDefinition& def, bool builtin) {
    if (s_.directives_by_name_.count(def.name)) {
      if (builtin_directives_.count(def.name)) {
        // The application redefines a specified directive: its definition wins.
        auto it = std::find_if(s_.directive_storage_.begin(), s_.directive_storage_.end(),
                               [&](const DirectiveDef& d) { return d.name == def.name; });
        it->name = "";
        builtin_directives_.erase(def.name);
        s_.directives_by_name_.erase(def.name);
      } else {
        throw SchemaError("There can be only one directive named \"@" + def.name + "\".");
      }
    }
    DirectiveDef& d = s_.directive_storage_.emplace_back();
    d.name = def.name;
    s_.directives_by_name_[d.name] = &d;
    if (builtin) builtin_directives_.insert(d.name);
  }

  Type& existing(const std::string& name, const char* what) {
    const auto it = s_.all_types_.find(name);
    if (it == s_.all_types_.end()) {
      throw SchemaError(std::string("Cannot extend ") + what + " \"" + name +
                        "\" because it is not defined.");
    }
    return *it->second;
  }

  const Type* resolve_ref(const ast::TypeRef& ref) {
    switch (ref.kind) {
      case ast::TypeRef::Kind::kNamed: {
        const auto it = s_.all_types_.find(ref.name);
        if (it == s_.all_types_.end()) throw SchemaError("Unknown type \"" + ref.name + "\".");
        return it->second;
      }
      case ast::TypeRef::Kind::kList:
        return s_.list_of(resolve_ref(*ref.of));
      case ast::TypeRef::Kind::kNonNull:
        return s_.non_null(resolve_ref(*ref.of));
    }
    return nullptr;
  }

  // --- filling ---------------------------------------------------------------------------

  std::vector<AppliedDirective> applied(const std::vector<ast::Directive>& dirs) {
    std::vector<AppliedDirective> out;
    for (const auto& d : dirs) {
      if (!s_.directives_by_name_.count(d.name)) {
        throw SchemaError("Unknown directive \"@" + d.name + "\".");
      }
      AppliedDirective a;
      a.name = d.name;
      for (const auto& arg : d.arguments) {
        a.arguments[arg.name] = detail::value_from_ast_untyped(*arg.value, nullptr);
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  static std::optional<std::string> deprecation(const std::vector<AppliedDirective>& dirs) {
    const AppliedDirective* d = find_directive(dirs, "deprecated");
    if (!d) return std::nullopt;
    const auto* reason = d->arguments.if_contains("reason");
    if (reason && reason->is_string()) return std::string(reason->get_string());
    return std::string("No longer supported");
  }

  InputValue input_value(const ast::InputValueDefinition& def) {
    InputValue v;
    v.name = def.name;
    v.description = def.description;
    v.type = resolve_ref(*def.type);
    if (!v.type->is_input()) {
      throw SchemaError("The type of \"" + def.name +
                        "\" must be Input Type but got: " + v.type->to_string() + ".");
    }
    v.default_literal = def.default_value;
    v.directives = applied(def.directives);
    v.deprecation_reason = deprecation(v.directives);
    return v;
  }

  void fill_type(const ast::TypeDefinition& def) {
    if (!def.is_extension && !defined_.count(&def)) return;  // a redefined built-in scalar
    Type& t = existing(def.name, "type");
    if (def.is_extension && builtin_names_.count(def.name)) {
      throw SchemaError("Cannot extend built-in type \"" + def.name + "\".");
    }

    // Directives, then the members of the kind.
    for (auto& d : applied(def.directives)) t.directives.push_back(std::move(d));
    for (const auto& name : def.interfaces) {
      const Type* iface = resolve_ref(ast::TypeRef{ast::TypeRef::Kind::kNamed, name, {}, {}});
      if (iface->kind != TypeKind::kInterface) {
        throw SchemaError("Type " + t.name +
                          " must only implement Interface types, it cannot "
                          "implement " +
                          name + ".");
      }
      t.interfaces.push_back(iface);
    }
    // The index is rebuilt below: it points into `fields`, which grows here.
    t.field_index_.clear();
    std::unordered_set<std::string> names;
    for (const auto& f : t.fields) names.insert(f.name);
    for (const auto& fd : def.fields) {
      if (!names.insert(fd.name).second) {
        throw SchemaError("Field \"" + t.name + "." + fd.name + "\" can only be defined once.");
      }
      FieldDef f;
      f.name = fd.name;
      f.description = fd.description;
      f.type = resolve_ref(*fd.type);
      if (!f.type->is_output()) {
        throw SchemaError("The type of " + t.name + "." + fd.name +
                          " must be Output Type but got: " + f.type->to_string() + ".");
      }
      f.owner = &t;
      for (const auto& a : fd.arguments) f.args.push_back(input_value(a));
      f.directives = applied(fd.directives);
      f.deprecation_reason = deprecation(f.directives);
      t.fields.push_back(std::move(f));
    }
    for (const auto& name : def.members) {
      const Type* member = resolve_ref(ast::TypeRef{ast::TypeRef::Kind::kNamed, name, {}, {}});
      if (member->kind != TypeKind::kObject) {
        throw SchemaError("Union type " + t.name +
                          " can only include Object types, it cannot "
                          "include " +
                          name + ".");
      }
      t.possible_types.push_back(member);
    }
    for (const auto& vd : def.values) {
      EnumValueDef v;
      v.name = vd.name;
      v.description = vd.description;
      v.directives = applied(vd.directives);
      v.deprecation_reason = deprecation(v.directives);
      t.enum_values.push_back(std::move(v));
    }
    for (const auto& fd : def.input_fields) t.input_fields.push_back(input_value(fd));

    // Rebuild the field index: the vector may have moved.
    t.field_index_.clear();
    for (size_t i = 0; i < t.fields.size(); ++i) t.field_index_[t.fields[i].name] = i;
    if (const auto* sb = t.directive("specifiedBy")) {
      if (const auto* url = sb->arguments.if_contains("url"); url && url->is_string()) {
        t.specified_by_url = std::string(url->get_string());
      }
    }
    t.one_of = t.directive("oneOf") != nullptr;
  }

  void fill_directive(const ast::DirectiveDefinition& def) {
    DirectiveDef* d = nullptr;
    for (auto& candidate : s_.directive_storage_) {
      if (candidate.name == def.name) d = &candidate;
    }
    assert(d);
    if (!d->locations.empty()) return;  // a specified directive the application redefined
    d->description = def.description;
    d->repeatable = def.repeatable;
    d->locations = def.locations;
    for (const auto& a : def.arguments) d->args.push_back(input_value(a));
  }

  void read_schema_definition(const ast::SchemaDefinition& def) {
    if (!def.is_extension) {
      if (has_schema_definition_) throw SchemaError("Must provide only one schema definition.");
      has_schema_definition_ = true;
      s_.description_ = def.description;
    }
    for (const auto& root : def.operation_types) {
      const Type* t = resolve_ref(ast::TypeRef{ast::TypeRef::Kind::kNamed, root.type_name, {}, {}});
      const Type** slot = root.operation == ast::OperationType::kQuery      ? &s_.query_
                          : root.operation == ast::OperationType::kMutation ? &s_.mutation_
                                                                            : &s_.subscription_;
      if (*slot) throw SchemaError("Type for " + root.type_name + " already defined.");
      *slot = t;
    }
  }

  // Coerces default values. An input object's own field defaults must be known before a default
  // of that type is coerced, so types are visited depth first.
  void compute_defaults() {
    std::unordered_set<const Type*> done;
    std::unordered_set<const Type*> visiting;
    std::function<void(const Type*)> ensure = [&](const Type* type) {
      const Type* n = type->named();
      if (n->kind != TypeKind::kInputObject || done.count(n) || visiting.count(n)) return;
      visiting.insert(n);
      Type* t = s_.all_types_.at(n->name);
      for (auto& f : t->input_fields) {
        ensure(f.type);
        coerce_default(f);
      }
      visiting.erase(n);
      done.insert(n);
    };
    auto coerce_args = [&](std::vector<InputValue>& args) {
      for (auto& a : args) {
        ensure(a.type);
        coerce_default(a);
      }
    };
    for (auto& t : s_.storage_) {
      ensure(&t);
      for (auto& f : t.fields) coerce_args(f.args);
    }
    for (auto& d : s_.directive_storage_) coerce_args(d.args);

    // Fill in the defaults of the arguments of applied directives.
    for (auto& t : s_.storage_) {
      directive_defaults(t.directives);
      for (auto& f : t.fields) {
        directive_defaults(f.directives);
        for (auto& a : f.args) directive_defaults(a.directives);
      }
      for (auto& v : t.enum_values) directive_defaults(v.directives);
      for (auto& f : t.input_fields) directive_defaults(f.directives);
    }
  }

  void directive_defaults(std::vector<AppliedDirective>& dirs) {
    for (AppliedDirective& a : dirs) {
      const auto it = s_.directives_by_name_.find(a.name);
      if (it == s_.directives_by_name_.end()) continue;
      for (const auto& arg : it->second->args) {
        if (!a.arguments.contains(arg.name) && arg.default_value) {
          a.arguments[arg.name] = *arg.default_value;
        }
      }
    }
  }

  void coerce_default(InputValue& v) {
    if (!v.default_literal || v.default_value) return;
    v.default_value = detail::value_from_ast(v.default_literal.get(), v.type, nullptr);
    if (!v.default_value) {
      throw SchemaError("Default value " + print_value(*v.default_literal) + " of \"" + v.name +
                        "\" is not valid for type " + v.type->to_string() + ".");
    }
  }

  void resolve_roots() {
    if (!has_schema_definition_) {
      auto find = [&](const char* name) -> const Type* {
        const auto it = s_.all_types_.find(name);
        return it == s_.all_types_.end() || builtin_names_.count(name) ? nullptr : it->second;
      };
      if (!s_.query_) s_.query_ = find("Query");
      if (!s_.mutation_) s_.mutation_ = find("Mutation");
      if (!s_.subscription_) s_.subscription_ = find("Subscription");
    }
    if (!s_.query_) throw SchemaError("Query root type must be provided.");
    for (const Type* root : {s_.query_, s_.mutation_, s_.subscription_}) {
      if (root && root->kind != TypeKind::kObject) {
        throw SchemaError("Root type " + root->name + " must be an Object type.");
      }
    }
  }

  // Lists the types the way graphql-js's GraphQLSchema constructor collects them: the types of
  // the SDL in order, each followed by the built-in types first reached from it, then those
  // reached from the directives and from introspection.
  void order_types() {
    std::list<Type*> order;
    std::unordered_map<const Type*, std::list<Type*>::iterator> where;
    auto add = [&](const Type* t) {
      where[t] = order.insert(order.end(), s_.all_types_.at(t->name));
    };
    std::function<void(const Type*)> collect = [&](const Type* type) {
      const Type* n = type->named();
      if (where.count(n)) return;
      add(n);
      for (const Type* m : n->possible_types) {
        if (n->kind == TypeKind::kUnion) collect(m);
      }
      for (const Type* i : n->interfaces) collect(i);
      for (const auto& f : n->fields) {
        collect(f.type);
        for (const auto& a : f.args) collect(a.type);
      }
      for (const auto& f : n->input_fields) collect(f.type);
    };

    for (Type* t : config_types_) add(t);
    for (Type* t : config_types_) {
      order.erase(where.at(t));
      where.erase(t);
      collect(t);
    }
    for (const Type* root : {s_.query_, s_.mutation_, s_.subscription_}) {
      if (root) collect(root);
    }
    // Directives: the application's first, then the specified ones it did not redefine.
    for (const auto& d : s_.directive_storage_) {
      if (!d.name.empty() && !builtin_directives_.count(d.name)) {
        s_.ordered_directives_.push_back(&d);
      }
    }
    for (const auto& d : s_.directive_storage_) {
      if (!d.name.empty() && builtin_directives_.count(d.name)) {
        s_.ordered_directives_.push_back(&d);
      }
    }
    for (const DirectiveDef* d : s_.ordered_directives_) {
      for (const auto& a : d->args) collect(a.type);
    }
    collect(s_.all_types_.at("__Schema"));

    for (Type* t : order) {
      s_.ordered_types_.push_back(t);
      s_.visible_types_[t->name] = t;
    }

    // The objects implementing each interface, in type order.
    for (Type* t : order) {
      if (t->kind != TypeKind::kObject) continue;
      for (const Type* i : t->interfaces) s_.all_types_.at(i->name)->possible_types.push_back(t);
    }
  }

  // Checks that every object implements the fields of its interfaces.
  void check_types() {
    for (const Type* t : s_.ordered_types_) {
      if ((t->kind == TypeKind::kObject || t->kind == TypeKind::kInterface) && t->fields.empty() &&
          !builtin_names_.count(t->name)) {
        throw SchemaError("Type " + t->name + " must define one or more fields.");
      }
      for (const Type* i : t->interfaces) {
        for (const auto& f : i->fields) {
          if (!t->field(f.name)) {
            throw SchemaError("Interface field " + i->name + "." + f.name + " expected but " +
                              t->name + " does not provide it.");
          }
        }
      }
    }
  }

  Schema& s_;
  std::vector<Type*> config_types_;
  std::unordered_set<std::string> builtin_names_;
  std::set<std::string> builtin_directives_;
  std::unordered_set<const ast::TypeDefinition*> defined_;
  bool has_schema_definition_ = false;
};

// ============================================================================================
// Schema
// ============================================================================================

std::shared_ptr<Schema> Schema::from_sdl(std::string_view sdl) {
  return from_sdl_texts({sdl});
}

std::shared_ptr<Schema> Schema::from_sdl_texts(const std::vector<std::string_view>& sdls) {
  std::shared_ptr<Schema> schema(new Schema());
  SchemaBuilder(*schema).build(sdls);
  detail::install_introspection(*schema);
  return schema;
}

const Type* Schema::type(std::string_view name) const {
  const auto it = visible_types_.find(name);
  return it == visible_types_.end() ? nullptr : it->second;
}

Type* Schema::type(std::string_view name) {
  const auto it = visible_types_.find(name);
  return it == visible_types_.end() ? nullptr : it->second;
}

const FieldDef* Schema::meta_field(std::string_view name) const {
  return all_types_.at("__Meta")->field(name);
}

const DirectiveDef* Schema::directive(std::string_view name) const {
  const auto it = directives_by_name_.find(name);
  return it == directives_by_name_.end() ? nullptr : it->second;
}

const Type* Schema::list_of(const Type* type) const {
  const std::lock_guard lock(wrapper_mutex_);
  auto& slot = wrappers_[{type, TypeKind::kList}];
  if (!slot) {
    Type& t = wrapper_storage_.emplace_back();
    t.kind = TypeKind::kList;
    t.of_type = type;
    slot = &t;
  }
  return slot;
}

const Type* Schema::non_null(const Type* type) const {
  assert(type->kind != TypeKind::kNonNull);
  const std::lock_guard lock(wrapper_mutex_);
  auto& slot = wrappers_[{type, TypeKind::kNonNull}];
  if (!slot) {
    Type& t = wrapper_storage_.emplace_back();
    t.kind = TypeKind::kNonNull;
    t.of_type = type;
    slot = &t;
  }
  return slot;
}

const Type* Schema::type_from_ast(const ast::TypeRef& ref) const {
  switch (ref.kind) {
    case ast::TypeRef::Kind::kNamed:
      return type(ref.name);
    case ast::TypeRef::Kind::kList: {
      const Type* inner = type_from_ast(*ref.of);
      return inner ? list_of(inner) : nullptr;
    }
    case ast::TypeRef::Kind::kNonNull: {
      const Type* inner = type_from_ast(*ref.of);
      return inner ? non_null(inner) : nullptr;
    }
  }
  return nullptr;
}

namespace {

FieldDef& field_or_throw(Schema& schema, std::string_view type, std::string_view field) {
  Type* t = schema.type(type);
  if (!t || (t->kind != TypeKind::kObject && t->kind != TypeKind::kInterface)) {
    throw SchemaError("No object type \"" + std::string(type) + "\" to bind a resolver to.");
  }
  FieldDef* f = t->field(field);
  if (!f) {
    throw SchemaError("No field \"" + std::string(type) + "." + std::string(field) +
                      "\" to bind a resolver to.");
  }
  return *f;
}

}  // namespace

void Schema::resolve(std::string_view type, std::string_view field, Resolver resolver) {
  FieldDef& f = field_or_throw(*this, type, field);
  f.resolver = std::move(resolver);
  f.sync_resolver = nullptr;
}

void Schema::resolve_sync(std::string_view type, std::string_view field, SyncResolver resolver) {
  FieldDef& f = field_or_throw(*this, type, field);
  f.sync_resolver = std::move(resolver);
  f.resolver = nullptr;
}

void Schema::resolve_type(std::string_view abstract_type, TypeResolver resolver) {
  Type* t = type(abstract_type);
  if (!t || !t->is_abstract()) {
    throw SchemaError("No interface or union \"" + std::string(abstract_type) + "\".");
  }
  t->type_resolver = std::move(resolver);
}

void Schema::scalar(std::string_view name, ScalarCoercion coercion) {
  const auto it = all_types_.find(name);
  if (it == all_types_.end() || it->second->kind != TypeKind::kScalar) {
    throw SchemaError("No scalar \"" + std::string(name) + "\".");
  }
  it->second->scalar = std::move(coercion);
}

void Schema::wrap(ResolverWrapper wrapper) {
  resolver_wrappers_.push_back(std::move(wrapper));
}

void Schema::finalize() {
  if (finalized_) return;
  finalized_ = true;
  apply_wrappers();
  mark_sync_subtrees();
}

void Schema::mark_sync_subtrees() {
  // Start from "every composite type is synchronous" and clear the flag until nothing changes:
  // a type is asynchronous if one of its fields has an asynchronous resolver or returns an
  // asynchronous type.
  for (const Type* t : ordered_types_) const_cast<Type*>(t)->sync_subtree = t->is_composite();
  for (bool changed = true; changed;) {
    changed = false;
    for (const Type* t : ordered_types_) {
      if (!t->sync_subtree) continue;
      bool sync = true;
      for (const FieldDef& f : t->fields) {
        const Type* n = f.type->named();
        if ((t->kind == TypeKind::kObject && f.resolver) ||
            (n->is_composite() && !n->sync_subtree)) {
          sync = false;
        }
      }
      for (const Type* p : t->possible_types) sync = sync && p->sync_subtree;
      if (!sync) {
        const_cast<Type*>(t)->sync_subtree = false;
        changed = true;
      }
    }
  }
}

void Schema::apply_wrappers() {
  for (const auto& entry : visible_types_) {
    Type* t = entry.second;
    if (t->kind != TypeKind::kObject || t->name.starts_with("__")) continue;
    for (FieldDef& f : t->fields) {
      for (const auto& wrapper : resolver_wrappers_) {
        Resolver next = f.resolver;
        if (!next && f.sync_resolver) {
          next = [sync = f.sync_resolver](ResolveContext& ctx) -> asio::awaitable<json::value> {
            co_return sync(ctx);
          };
        }
        if (!next) next = default_resolver;
        Resolver wrapped = wrapper(f, std::move(next));
        if (wrapped) {
          f.resolver = std::move(wrapped);
          f.sync_resolver = nullptr;
        }
      }
    }
  }
}

}  // namespace stipple::graphql
