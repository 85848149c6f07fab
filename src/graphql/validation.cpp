// The rules of the specification's Validation section, with graphql-js's messages. Every error
// is coded GRAPHQL_VALIDATION_FAILED.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "graphql/graphql.h"
#include "graphql/values.h"

namespace stipple::graphql {
namespace {

using Locations = std::vector<ast::Location>;

// ============================================================================================
// Suggestions ("Did you mean ...?")
// ============================================================================================

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance, ignoring case; nullopt beyond the threshold.
std::optional<size_t> lexical_distance(std::string_view input, std::string_view option,
                                       size_t threshold) {
  if (input == option) return 0;
  std::string a = lower(input);
  std::string b = lower(option);
  if (a == b) return 1;
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > threshold) return std::nullopt;
  std::vector<std::vector<size_t>> rows(3, std::vector<size_t>(b.size() + 1));
  for (size_t j = 0; j <= b.size(); ++j) rows[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    auto& up = rows[(i - 1) % 3];
    auto& cur = rows[i % 3];
    size_t smallest = cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t current = std::min({up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current = std::min(current, rows[(i - 2) % 3][j - 2] + 1);
      }
      smallest = std::min(smallest, current);
      cur[j] = current;
    }
    if (smallest > threshold) return std::nullopt;
  }
  const size_t d = rows[a.size() % 3][b.size()];
  if (d > threshold) return std::nullopt;
  return d;
}

std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string>& options) {
  const size_t threshold = input.size() * 4 / 10 + 1;
  std::vector<std::pair<size_t, std::string>> found;
  for (const auto& o : options) {
    if (auto d = lexical_distance(input, o, threshold)) found.emplace_back(*d, o);
  }
  std::stable_sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string did_you_mean(const std::vector<std::string>& suggestions, std::string_view sub = {}) {
  if (suggestions.empty()) return "";
  std::vector<std::string> quoted;
  for (size_t i = 0; i < suggestions.size() && i < 5; ++i) {
    quoted.push_back("\"" + suggestions[i] + "\"");
  }
  std::string out = " Did you mean ";
  if (!sub.empty()) out += std::string(sub) + " ";
  if (quoted.size() == 1) return out + quoted[0] + "?";
  if (quoted.size() == 2) return out + quoted[0] + " or " + quoted[1] + "?";
  for (size_t i = 0; i + 1 < quoted.size(); ++i) out += quoted[i] + ", ";
  return out + "or " + quoted.back() + "?";
}

// ============================================================================================
// Type relations
// ============================================================================================

bool is_sub_type(const Type* abstract, const Type* maybe_sub) {
  if (abstract->kind == TypeKind::kUnion) return abstract->is_possible_type(maybe_sub);
  if (abstract->kind != TypeKind::kInterface) return false;
  if (abstract->is_possible_type(maybe_sub)) return true;
  for (const Type* i : maybe_sub->interfaces) {
    if (i == abstract) return true;
  }
  return false;
}

bool is_type_sub_type_of(const Type* sub, const Type* super) {
  if (sub == super) return true;
  if (super->is_non_null()) {
    return sub->is_non_null() && is_type_sub_type_of(sub->of_type, super->of_type);
  }
  if (sub->is_non_null()) return is_type_sub_type_of(sub->of_type, super);
  if (super->kind == TypeKind::kList) {
    return sub->kind == TypeKind::kList && is_type_sub_type_of(sub->of_type, super->of_type);
  }
  if (sub->kind == TypeKind::kList) return false;
  return super->is_abstract() &&
         (sub->kind == TypeKind::kInterface || sub->kind == TypeKind::kObject) &&
         is_sub_type(super, sub);
}

// Whether two composite types can have an object in common.
bool types_overlap(const Type* a, const Type* b) {
  if (a == b) return true;
  if (a->is_abstract()) {
    if (b->is_abstract()) {
      for (const Type* t : a->possible_types) {
        if (b->is_possible_type(t)) return true;
      }
      return false;
    }
    return a->is_possible_type(b);
  }
  if (b->is_abstract()) return b->is_possible_type(a);
  return false;
}

// ============================================================================================
// The validator
// ============================================================================================

struct VariableUsage {
  std::string_view name;
  const Type* type = nullptr;  // the type expected where the variable is used, if known
  bool has_location_default = false;
  ast::Location loc;
};

// What a walk over an operation or a fragment gathers for the document-wide rules.
struct Scope {
  std::vector<VariableUsage> usages;
  std::vector<std::string_view> spreads;
};

class Validator {
 public:
  Validator(const Schema& schema, const ast::Document& doc) : s_(schema), doc_(doc) {
    for (const auto& f : doc_.fragments) fragments_.emplace(f.name, &f);
  }

  std::vector<GraphQLError> run() {
    executable_definitions();
    operation_names();
    fragment_names();
    for (const auto& op : doc_.operations) walk_operation(op);
    for (const auto& f : doc_.fragments) walk_fragment(f);
    unused_fragments();
    fragment_cycles();
    for (const auto& op : doc_.operations) operation_variables(op);
    overlapping_fields();
    return std::move(errors_);
  }

 private:
  void report(std::string message, Locations locs) {
    // Like graphql-js, stop listing errors after a hundred.
    if (errors_.size() > kMaxErrors) return;
    if (errors_.size() == kMaxErrors) {
      errors_.push_back(
          make_error("Too many validation errors, error limit reached. Validation "
                     "aborted.",
                     kValidationFailed));
      return;
    }
    errors_.push_back(make_error(std::move(message), kValidationFailed, std::move(locs)));
  }

  static constexpr size_t kMaxErrors = 100;

  // --- document-level rules --------------------------------------------------------------

  void executable_definitions() {
    for (const auto& def : doc_.types) {
      report("The \"" + def.name + "\" definition is not executable.", {def.loc});
    }
    for (const auto& def : doc_.schemas)
      report("The schema definition is not executable.", {def.loc});
    for (const auto& def : doc_.directives) {
      report("The \"" + def.name + "\" definition is not executable.", {def.loc});
    }
  }

  void operation_names() {
    std::unordered_map<std::string_view, const ast::OperationDefinition*> seen;
    for (const auto& op : doc_.operations) {
      if (op.name.empty()) {
        if (doc_.operations.size() > 1) {
          report("This anonymous operation must be the only defined operation.", {op.loc});
        }
        continue;
      }
      const auto [it, inserted] = seen.emplace(op.name, &op);
      if (!inserted) {
        report("There can be only one operation named \"" + op.name + "\".",
               {it->second->name_loc, op.name_loc});
      }
    }
    for (const auto& op : doc_.operations) {
      if (op.operation == ast::OperationType::kSubscription) single_field_subscription(op);
    }
  }

  void single_field_subscription(const ast::OperationDefinition& op) {
    const std::string who =
        op.name.empty() ? "Anonymous Subscription" : "Subscription \"" + op.name + "\"";
    std::vector<const ast::Selection*> fields;
    std::unordered_set<std::string_view> keys;
    std::unordered_set<std::string_view> visited;
    std::function<void(const ast::SelectionSet&)> collect = [&](const ast::SelectionSet& set) {
      for (const auto& sel : set) {
        if (skipped_literally(sel.directives)) continue;
        if (sel.kind == ast::Selection::Kind::kField) {
          fields.push_back(&sel);
        } else if (sel.kind == ast::Selection::Kind::kInlineFragment) {
          collect(sel.selection_set);
        } else if (visited.insert(sel.name).second) {
          if (const auto it = fragments_.find(sel.name); it != fragments_.end()) {
            collect(it->second->selection_set);
          }
        }
      }
    };
    collect(op.selection_set);
    Locations extra;
    for (const auto* f : fields) {
      if (!keys.insert(f->response_key()).second) continue;
      if (keys.size() > 1) extra.push_back(f->loc);
    }
    // Every selection after the first response key counts as extra.
    if (keys.size() > 1) {
      extra.clear();
      const std::string_view first = fields.front()->response_key();
      for (const auto* f : fields) {
        if (f->response_key() != first) extra.push_back(f->loc);
      }
      report(who + " must select only one top level field.", extra);
    }
    for (const auto* f : fields) {
      if (f->name.starts_with("__")) {
        report(who + " must not select an introspection top level field.", {f->loc});
      }
    }
  }

  static bool skipped_literally(const std::vector<ast::Directive>& dirs) {
    for (const auto& d : dirs) {
      for (const auto& a : d.arguments) {
        if (a.name != "if" || a.value->kind != ast::Value::Kind::kBoolean) continue;
        if (d.name == "skip" && a.value->boolean) return true;
        if (d.name == "include" && !a.value->boolean) return true;
      }
    }
    return false;
  }

  void fragment_names() {
    std::unordered_map<std::string_view, const ast::FragmentDefinition*> seen;
    for (const auto& f : doc_.fragments) {
      const auto [it, inserted] = seen.emplace(f.name, &f);
      if (!inserted) {
        report("There can be only one fragment named \"" + f.name + "\".",
               {it->second->name_loc, f.name_loc});
      }
    }
  }

  // --- walking operations and fragments ----------------------------------------------------

  void walk_operation(const ast::OperationDefinition& op) {
    Scope& scope = operation_scopes_[&op];
    const char* location = op.operation == ast::OperationType::kQuery      ? "QUERY"
                           : op.operation == ast::OperationType::kMutation ? "MUTATION"
                                                                           : "SUBSCRIPTION";
    const Type* root = op.operation == ast::OperationType::kQuery      ? s_.query_type()
                       : op.operation == ast::OperationType::kMutation ? s_.mutation_type()
                                                                       : s_.subscription_type();

    // Variable definitions.
    std::unordered_map<std::string_view, ast::Location> names;
    for (const auto& var : op.variables) {
      if (const auto [it, inserted] = names.emplace(var.name, var.name_loc); !inserted) {
        report("There can be only one variable named \"$" + var.name + "\".",
               {it->second, var.name_loc});
      }
      const std::string& type_name = var.type->named();
      const Type* named = s_.type(type_name);
      if (!named) {
        unknown_type(type_name, var.type->loc);
      } else if (!named->is_input()) {
        report("Variable \"$" + var.name + "\" cannot be non-input type \"" +
                   print_type(*var.type) + "\".",
               {var.type->loc});
      }
      const Type* type = named ? s_.type_from_ast(*var.type) : nullptr;
      if (var.default_value) {
        Scope ignored;
        check_value(*var.default_value, type && type->is_input() ? type : nullptr, ignored);
      }
      directives(var.directives, "VARIABLE_DEFINITION", scope);
    }

    directives(op.directives, location, scope);
    selection_set(root, op.selection_set, scope);
  }

  void walk_fragment(const ast::FragmentDefinition& f) {
    Scope& scope = fragment_scopes_[f.name];
    const Type* type = s_.type(f.type_condition);
    if (!type) {
      unknown_type(f.type_condition, f.type_condition_loc);
    } else if (!type->is_composite()) {
      report("Fragment \"" + f.name + "\" cannot condition on non composite type \"" +
                 f.type_condition + "\".",
             {f.type_condition_loc});
      type = nullptr;
    }
    directives(f.directives, "FRAGMENT_DEFINITION", scope);
    selection_set(type, f.selection_set, scope);
  }

  void unknown_type(const std::string& name, ast::Location loc) {
    std::vector<std::string> names;
    for (const Type* t : s_.types()) names.push_back(t->name);
    report("Unknown type \"" + name + "\"." + did_you_mean(suggestion_list(name, names)), {loc});
  }

  void selection_set(const Type* parent, const ast::SelectionSet& set, Scope& scope) {
    for (const auto& sel : set) {
      switch (sel.kind) {
        case ast::Selection::Kind::kField:
          field(parent, sel, scope);
          break;
        case ast::Selection::Kind::kInlineFragment:
          inline_fragment(parent, sel, scope);
          break;
        case ast::Selection::Kind::kFragmentSpread:
          spread(parent, sel, scope);
          break;
      }
    }
  }

  const FieldDef* lookup_field(const Type* parent, std::string_view name) const {
    if (name == "__typename") return s_.meta_field(name);
    if ((name == "__schema" || name == "__type") && parent == s_.query_type()) {
      return s_.meta_field(name);
    }
    if (parent->kind == TypeKind::kObject || parent->kind == TypeKind::kInterface) {
      return parent->field(name);
    }
    return nullptr;
  }

  void field(const Type* parent, const ast::Selection& sel, Scope& scope) {
    const FieldDef* def = parent ? lookup_field(parent, sel.name) : nullptr;
    if (parent && !def) unknown_field(parent, sel);

    arguments(sel.arguments, def ? &def->args : nullptr, scope, [&](const std::string& arg) {
      return "Unknown argument \"" + arg + "\" on field \"" + parent->name + "." + sel.name + "\".";
    });
    if (def) {
      for (const auto& a : def->args) {
        if (!a.type->is_non_null() || a.default_value) continue;
        if (!has_argument(sel.arguments, a.name)) {
          report("Field \"" + sel.name + "\" argument \"" + a.name + "\" of type \"" +
                     a.type->to_string() + "\" is required, but it was not provided.",
                 {sel.loc});
        }
      }
    }
    directives(sel.directives, "FIELD", scope);

    // Leaves take no selection; composites need one.
    const Type* named = def ? def->type->named() : nullptr;
    if (named && named->is_leaf() && !sel.selection_set.empty()) {
      report("Field \"" + sel.name + "\" must not have a selection since type \"" +
                 def->type->to_string() + "\" has no subfields.",
             {sel.selection_set_loc});
    } else if (named && named->is_composite() && sel.selection_set.empty()) {
      report("Field \"" + sel.name + "\" of type \"" + def->type->to_string() +
                 "\" must have a selection of subfields. Did you mean \"" + sel.name +
                 " { ... }\"?",
             {sel.loc});
    }
    if (named && (sel.name == "__schema" || sel.name == "__type")) introspection_depth(sel);
    selection_set(named && named->is_composite() ? named : nullptr, sel.selection_set, scope);
  }

  void unknown_field(const Type* parent, const ast::Selection& sel) {
    // Suggest types having the field (for abstract parents), else similar field names.
    std::string hint;
    if (parent->is_abstract()) {
      std::vector<std::string> interfaces;
      std::vector<std::string> objects;
      for (const Type* t : parent->possible_types) {
        if (!t->field(sel.name)) continue;
        objects.push_back(t->name);
        for (const Type* i : t->interfaces) {
          if (i->field(sel.name) &&
              std::find(interfaces.begin(), interfaces.end(), i->name) == interfaces.end()) {
            interfaces.push_back(i->name);
          }
        }
      }
      std::sort(objects.begin(), objects.end());
      interfaces.insert(interfaces.end(), objects.begin(), objects.end());
      hint = did_you_mean(interfaces, "to use an inline fragment on");
    }
    if (hint.empty() &&
        (parent->kind == TypeKind::kObject || parent->kind == TypeKind::kInterface)) {
      std::vector<std::string> names;
      for (const auto& f : parent->fields) names.push_back(f.name);
      hint = did_you_mean(suggestion_list(sel.name, names));
    }
    report("Cannot query field \"" + sel.name + "\" on type \"" + parent->name + "\"." + hint,
           {sel.loc});
  }

  static bool has_argument(const std::vector<ast::Argument>& args, std::string_view name) {
    return std::any_of(args.begin(), args.end(), [&](const auto& a) { return a.name == name; });
  }

  void arguments(const std::vector<ast::Argument>& args, const std::vector<InputValue>* defs,
                 Scope& scope, const std::function<std::string(const std::string&)>& unknown) {
    std::unordered_map<std::string_view, ast::Location> seen;
    for (const auto& a : args) {
      if (const auto [it, inserted] = seen.emplace(a.name, a.loc); !inserted) {
        report("There can be only one argument named \"" + a.name + "\".", {it->second, a.loc});
      }
      const InputValue* def = nullptr;
      if (defs) {
        for (const auto& d : *defs) {
          if (d.name == a.name) def = &d;
        }
        if (!def) {
          std::vector<std::string> names;
          for (const auto& d : *defs) names.push_back(d.name);
          report(unknown(a.name) + did_you_mean(suggestion_list(a.name, names)), {a.loc});
        }
      }
      check_value(*a.value, def ? def->type : nullptr, scope, def && def->default_value);
    }
  }

  void directives(const std::vector<ast::Directive>& dirs, const char* location, Scope& scope) {
    std::unordered_map<std::string_view, ast::Location> seen;
    for (const auto& d : dirs) {
      const DirectiveDef* def = s_.directive(d.name);
      if (!def) {
        report("Unknown directive \"@" + d.name + "\".", {d.loc});
      } else {
        if (std::find(def->locations.begin(), def->locations.end(), location) ==
            def->locations.end()) {
          report("Directive \"@" + d.name + "\" may not be used on " + location + ".", {d.loc});
        }
        if (!def->repeatable) {
          if (const auto [it, inserted] = seen.emplace(d.name, d.loc); !inserted) {
            report("The directive \"@" + d.name + "\" can only be used once at this location.",
                   {it->second, d.loc});
          }
        }
        for (const auto& a : def->args) {
          if (a.type->is_non_null() && !a.default_value && !has_argument(d.arguments, a.name)) {
            report("Directive \"@" + d.name + "\" argument \"" + a.name + "\" of type \"" +
                       a.type->to_string() + "\" is required, but it was not provided.",
                   {d.loc});
          }
        }
      }
      arguments(d.arguments, def ? &def->args : nullptr, scope, [&](const std::string& arg) {
        return "Unknown argument \"" + arg + "\" on directive \"@" + d.name + "\".";
      });
    }
  }

  void inline_fragment(const Type* parent, const ast::Selection& sel, Scope& scope) {
    const Type* type = parent;
    if (!sel.type_condition.empty()) {
      type = s_.type(sel.type_condition);
      if (!type) {
        unknown_type(sel.type_condition, sel.type_condition_loc);
      } else if (!type->is_composite()) {
        report("Fragment cannot condition on non composite type \"" + sel.type_condition + "\".",
               {sel.type_condition_loc});
        type = nullptr;
      } else if (parent && !types_overlap(type, parent)) {
        report("Fragment cannot be spread here as objects of type \"" + parent->name +
                   "\" can never be of type \"" + type->name + "\".",
               {sel.loc});
      }
    }
    directives(sel.directives, "INLINE_FRAGMENT", scope);
    selection_set(type, sel.selection_set, scope);
  }

  void spread(const Type* parent, const ast::Selection& sel, Scope& scope) {
    scope.spreads.push_back(sel.name);
    const auto it = fragments_.find(sel.name);
    if (it == fragments_.end()) {
      report("Unknown fragment \"" + sel.name + "\".", {sel.name_loc});
    } else if (parent) {
      const Type* type = s_.type(it->second->type_condition);
      if (type && type->is_composite() && !types_overlap(type, parent)) {
        report("Fragment \"" + sel.name + "\" cannot be spread here as objects of type \"" +
                   parent->name + "\" can never be of type \"" + type->name + "\".",
               {sel.loc});
      }
    }
    directives(sel.directives, "FRAGMENT_SPREAD", scope);
  }

  // --- values ------------------------------------------------------------------------------

  void expected(const Type* type, const ast::Value& value, const std::string& why = {}) {
    report("Expected value of type \"" + type->to_string() + "\", found " + print_value(value) +
               (why.empty() ? "." : "; " + why),
           {value.loc});
  }

  // ValuesOfCorrectType and UniqueInputFieldNames for one value; records variable usages.
  void check_value(const ast::Value& value, const Type* type, Scope& scope,
                   bool location_default = false) {
    using K = ast::Value::Kind;
    if (value.kind == K::kVariable) {
      scope.usages.push_back({value.text, type, location_default, value.loc});
      return;
    }
    if (value.kind == K::kObject) {
      std::unordered_map<std::string_view, ast::Location> seen;
      for (const auto& f : value.fields) {
        if (const auto [it, inserted] = seen.emplace(f.name, f.loc); !inserted) {
          report("There can be only one input field named \"" + f.name + "\".",
                 {it->second, f.loc});
        }
      }
    }
    if (!type) {
      // Unknown position: still find the variables inside.
      for (const auto& item : value.list) check_value(*item, nullptr, scope);
      for (const auto& f : value.fields) check_value(*f.value, nullptr, scope);
      return;
    }
    if (type->is_non_null()) {
      if (value.kind == K::kNull) {
        expected(type, value);
        return;
      }
      type = type->of_type;
    }
    if (value.kind == K::kNull) return;

    if (type->kind == TypeKind::kList) {
      if (value.kind == K::kList) {
        for (const auto& item : value.list) check_value(*item, type->of_type, scope);
      } else {
        check_value(value, type->of_type, scope);
      }
      return;
    }
    if (type->kind == TypeKind::kInputObject) {
      if (value.kind != K::kObject) {
        expected(type, value);
        check_value(value, nullptr, scope);
        return;
      }
      input_object(value, *type, scope);
      return;
    }

    // Scalars and enums parse the literal; variables inside are usages without a type.
    if (value.kind == K::kList || value.kind == K::kObject) check_value(value, nullptr, scope);
    try {
      detail::parse_leaf_literal(*type, value, nullptr);
    } catch (const detail::CoercionError& e) {
      // Built-in scalars and enums explain themselves, as graphql-js's GraphQLErrors do.
      std::string why = e.what();
      if (type->kind == TypeKind::kEnum) why += enum_hint(*type, value);
      if (why.empty()) {
        expected(type, value);
      } else {
        report(why, {value.loc});
      }
    } catch (const std::exception& e) {
      expected(type, value, e.what());
    }
  }

  static std::string enum_hint(const Type& type, const ast::Value& value) {
    if (value.kind != ast::Value::Kind::kEnum && value.kind != ast::Value::Kind::kString) {
      return "";
    }
    std::vector<std::string> names;
    for (const auto& v : type.enum_values) names.push_back(v.name);
    std::string hint = did_you_mean(suggestion_list(value.text, names), "the enum value");
    // graphql-js puts the hint before the closing period of the enum's message.
    return hint;
  }

  void input_object(const ast::Value& value, const Type& type, Scope& scope) {
    for (const auto& f : type.input_fields) {
      const bool given = std::any_of(value.fields.begin(), value.fields.end(),
                                     [&](const auto& g) { return g.name == f.name; });
      if (!given && f.type->is_non_null() && !f.default_value) {
        report("Field \"" + type.name + "." + f.name + "\" of required type \"" +
                   f.type->to_string() + "\" was not provided.",
               {value.loc});
      }
    }
    for (const auto& g : value.fields) {
      const InputValue* def = type.input_field(g.name);
      if (!def) {
        std::vector<std::string> names;
        for (const auto& f : type.input_fields) names.push_back(f.name);
        report("Field \"" + g.name + "\" is not defined by type \"" + type.name + "\"." +
                   did_you_mean(suggestion_list(g.name, names)),
               {g.loc});
        check_value(*g.value, nullptr, scope);
        continue;
      }
      check_value(*g.value, def->type, scope, def->default_value.has_value());
    }
    if (type.one_of) {
      if (value.fields.size() != 1) {
        report("OneOf Input Object \"" + type.name + "\" must specify exactly one key.",
               {value.loc});
      } else if (value.fields.front().value->kind == ast::Value::Kind::kNull) {
        report("Field \"" + type.name + "." + value.fields.front().name + "\" must be non-null.",
               {value.loc});
      }
    }
  }

  // --- fragments ---------------------------------------------------------------------------

  // Fragments reachable from an operation's scope, in discovery order.
  std::vector<std::string_view> reachable_fragments(const Scope& scope) const {
    std::vector<std::string_view> out;
    std::unordered_set<std::string_view> seen;
    std::vector<std::string_view> stack(scope.spreads.rbegin(), scope.spreads.rend());
    while (!stack.empty()) {
      const std::string_view name = stack.back();
      stack.pop_back();
      if (!seen.insert(name).second) continue;
      const auto it = fragment_scopes_.find(name);
      if (it == fragment_scopes_.end()) continue;
      out.push_back(name);
      for (auto s = it->second.spreads.rbegin(); s != it->second.spreads.rend(); ++s) {
        stack.push_back(*s);
      }
    }
    return out;
  }

  void unused_fragments() {
    std::unordered_set<std::string_view> used;
    for (const auto& [op, scope] : operation_scopes_) {
      for (auto name : reachable_fragments(scope)) used.insert(name);
    }
    for (const auto& f : doc_.fragments) {
      if (!used.count(f.name)) report("Fragment \"" + f.name + "\" is never used.", {f.loc});
    }
  }

  void fragment_cycles() {
    std::unordered_set<std::string_view> visited;
    std::vector<const ast::Selection*> path;
    std::unordered_map<std::string_view, size_t> index_in_path;

    std::function<void(const ast::FragmentDefinition&)> detect =
        [&](const ast::FragmentDefinition& f) {
          if (!visited.insert(f.name).second) return;
          std::vector<const ast::Selection*> spreads;
          collect_spreads(f.selection_set, spreads);
          if (spreads.empty()) return;
          index_in_path[f.name] = path.size();
          for (const ast::Selection* s : spreads) {
            const auto cycle = index_in_path.find(s->name);
            path.push_back(s);
            if (cycle == index_in_path.end()) {
              if (const auto it = fragments_.find(s->name); it != fragments_.end()) {
                detect(*it->second);
              }
            } else {
              std::string via;
              Locations locs;
              for (size_t i = cycle->second; i < path.size(); ++i) {
                locs.push_back(path[i]->loc);
                if (i + 1 < path.size())
                  via += (via.empty() ? "\"" : ", \"") + path[i]->name + "\"";
              }
              report("Cannot spread fragment \"" + s->name + "\" within itself" +
                         (via.empty() ? "." : " via " + via + "."),
                     locs);
            }
            path.pop_back();
          }
          index_in_path.erase(f.name);
        };
    for (const auto& f : doc_.fragments) detect(f);
  }

  static void collect_spreads(const ast::SelectionSet& set,
                              std::vector<const ast::Selection*>& out) {
    for (const auto& sel : set) {
      if (sel.kind == ast::Selection::Kind::kFragmentSpread) {
        out.push_back(&sel);
      } else {
        collect_spreads(sel.selection_set, out);
      }
    }
  }

  void introspection_depth(const ast::Selection& root) {
    constexpr int kMaxListsDepth = 3;
    std::unordered_map<std::string_view, int> checked;
    std::function<bool(const ast::SelectionSet&, int, std::unordered_map<std::string_view, int>&)>
        check = [&](const ast::SelectionSet& set, int depth,
                    std::unordered_map<std::string_view, int>& visiting) -> bool {
      for (const auto& sel : set) {
        if (sel.kind == ast::Selection::Kind::kFragmentSpread) {
          if (const auto v = visiting.find(sel.name); v != visiting.end() && v->second >= depth) {
            continue;
          }
          if (const auto c = checked.find(sel.name); c != checked.end() && c->second >= depth) {
            continue;
          }
          const auto it = fragments_.find(sel.name);
          if (it == fragments_.end()) continue;
          visiting[sel.name] = depth;
          if (check(it->second->selection_set, depth, visiting)) return true;
          checked[sel.name] = depth;
          continue;
        }
        int d = depth;
        if (sel.kind == ast::Selection::Kind::kField &&
            (sel.name == "fields" || sel.name == "interfaces" || sel.name == "possibleTypes" ||
             sel.name == "inputFields")) {
          if (++d >= kMaxListsDepth) return true;
        }
        if (check(sel.selection_set, d, visiting)) return true;
      }
      return false;
    };
    std::unordered_map<std::string_view, int> visiting;
    if (check(root.selection_set, 0, visiting)) {
      report("Maximum introspection depth exceeded", {root.loc});
    }
  }

  // --- variables of each operation ---------------------------------------------------------

  void operation_variables(const ast::OperationDefinition& op) {
    const Scope& scope = operation_scopes_.at(&op);
    std::vector<const VariableUsage*> usages;
    for (const auto& u : scope.usages) usages.push_back(&u);
    for (auto name : reachable_fragments(scope)) {
      for (const auto& u : fragment_scopes_.at(name).usages) usages.push_back(&u);
    }

    std::unordered_map<std::string_view, const ast::VariableDefinition*> defs;
    for (const auto& v : op.variables) defs.emplace(v.name, &v);
    std::unordered_set<std::string_view> used;
    for (const VariableUsage* u : usages) {
      used.insert(u->name);
      const auto it = defs.find(u->name);
      if (it == defs.end()) {
        report("Variable \"$" + std::string(u->name) + "\" is not defined" +
                   (op.name.empty() ? "." : " by operation \"" + op.name + "\"."),
               {u->loc, op.loc});
        continue;
      }
      allowed_position(*it->second, *u);
    }
    for (const auto& v : op.variables) {
      if (!used.count(v.name)) {
        report("Variable \"$" + v.name + "\" is never used" +
                   (op.name.empty() ? "." : " in operation \"" + op.name + "\"."),
               {v.loc});
      }
    }
  }

  void allowed_position(const ast::VariableDefinition& def, const VariableUsage& usage) {
    if (!usage.type) return;
    const Type* var_type = s_.type_from_ast(*def.type);
    if (!var_type) return;
    bool ok = false;
    if (usage.type->is_non_null() && !var_type->is_non_null()) {
      const bool var_default =
          def.default_value && def.default_value->kind != ast::Value::Kind::kNull;
      ok = (var_default || usage.has_location_default) &&
           is_type_sub_type_of(var_type, usage.type->of_type);
    } else {
      ok = is_type_sub_type_of(var_type, usage.type);
    }
    if (!ok) {
      report("Variable \"$" + def.name + "\" of type \"" + var_type->to_string() +
                 "\" used in position expecting type \"" + usage.type->to_string() + "\".",
             {def.loc, usage.loc});
    }
  }

  // --- OverlappingFieldsCanBeMerged --------------------------------------------------------

  struct FieldAndParent {
    const Type* parent;  // null when unknown
    const ast::Selection* node;
    const FieldDef* def;
  };
  using FieldMap = std::vector<std::pair<std::string_view, std::vector<FieldAndParent>>>;

  void gather(const Type* parent, const ast::SelectionSet& set, FieldMap& out,
              std::unordered_map<std::string_view, size_t>& index,
              std::unordered_set<std::string_view>& visited) const {
    for (const auto& sel : set) {
      switch (sel.kind) {
        case ast::Selection::Kind::kField: {
          const FieldDef* def = parent ? lookup_field(parent, sel.name) : nullptr;
          const auto [it, inserted] = index.emplace(sel.response_key(), out.size());
          if (inserted) out.emplace_back(sel.response_key(), std::vector<FieldAndParent>{});
          out[it->second].second.push_back({parent, &sel, def});
          break;
        }
        case ast::Selection::Kind::kInlineFragment: {
          const Type* t = sel.type_condition.empty() ? parent : s_.type(sel.type_condition);
          gather(t, sel.selection_set, out, index, visited);
          break;
        }
        case ast::Selection::Kind::kFragmentSpread: {
          if (!visited.insert(sel.name).second) break;
          const auto it = fragments_.find(sel.name);
          if (it == fragments_.end()) break;
          gather(s_.type(it->second->type_condition), it->second->selection_set, out, index,
                 visited);
          break;
        }
      }
    }
  }

  FieldMap gather_sets(
      const std::vector<std::pair<const Type*, const ast::SelectionSet*>>& sets) const {
    FieldMap out;
    std::unordered_map<std::string_view, size_t> index;
    std::unordered_set<std::string_view> visited;
    for (const auto& [t, set] : sets) gather(t, *set, out, index, visited);
    return out;
  }

  static bool same_arguments(const ast::Selection& a, const ast::Selection& b) {
    if (a.arguments.size() != b.arguments.size()) return false;
    for (const auto& x : a.arguments) {
      const auto it = std::find_if(b.arguments.begin(), b.arguments.end(),
                                   [&](const auto& y) { return y.name == x.name; });
      if (it == b.arguments.end() || print_value(*x.value) != print_value(*it->value)) {
        return false;
      }
    }
    return true;
  }

  static bool types_conflict(const Type* a, const Type* b) {
    if (a->kind == TypeKind::kList) {
      return b->kind != TypeKind::kList || types_conflict(a->of_type, b->of_type);
    }
    if (b->kind == TypeKind::kList) return true;
    if (a->is_non_null()) return !b->is_non_null() || types_conflict(a->of_type, b->of_type);
    if (b->is_non_null()) return true;
    if (a->is_leaf() || b->is_leaf()) return a != b;
    return false;
  }

  // The reason two fields of one response key cannot merge, or empty.
  // conflict(), memoized: documents repeating a field at every level would otherwise cost time
  // exponential in their depth.
  std::string conflict(const FieldAndParent& a, const FieldAndParent& b, bool exclusive,
                       Locations& left_locs, Locations& right_locs, int depth) {
    const ConflictKey key{a.node, a.parent, b.node, b.parent, exclusive};
    auto it = conflicts_.find(key);
    if (it == conflicts_.end()) {
      Conflict c;
      c.reason = compute_conflict(a, b, exclusive, c.left, c.right, depth);
      it = conflicts_.emplace(key, std::move(c)).first;
    }
    left_locs.insert(left_locs.end(), it->second.left.begin(), it->second.left.end());
    right_locs.insert(right_locs.end(), it->second.right.begin(), it->second.right.end());
    return it->second.reason;
  }

  std::string compute_conflict(const FieldAndParent& a, const FieldAndParent& b, bool exclusive,
                               Locations& left_locs, Locations& right_locs, int depth) {
    if (depth > 64) return "";  // pathological nesting; deeper conflicts go unreported
    exclusive =
        exclusive || (a.parent != b.parent && a.parent && b.parent &&
                      a.parent->kind == TypeKind::kObject && b.parent->kind == TypeKind::kObject);
    if (!exclusive) {
      if (a.node->name != b.node->name) {
        return "\"" + a.node->name + "\" and \"" + b.node->name + "\" are different fields";
      }
      if (!same_arguments(*a.node, *b.node)) return "they have differing arguments";
    }
    if (a.def && b.def && types_conflict(a.def->type, b.def->type)) {
      return "they return conflicting types \"" + a.def->type->to_string() + "\" and \"" +
             b.def->type->to_string() + "\"";
    }
    if (a.node->selection_set.empty() || b.node->selection_set.empty()) return "";

    // Compare the sub-selections of both fields as one selection set.
    const Type* ta = a.def ? a.def->type->named() : nullptr;
    const Type* tb = b.def ? b.def->type->named() : nullptr;
    const FieldMap left = gather_sets({{ta, &a.node->selection_set}});
    const FieldMap right = gather_sets({{tb, &b.node->selection_set}});
    std::string reasons;
    for (const auto& [left_key, lfields] : left) {
      const std::string_view key = left_key;
      const auto r =
          std::find_if(right.begin(), right.end(), [&](const auto& e) { return e.first == key; });
      if (r == right.end()) continue;
      for (const auto& lf : lfields) {
        for (const auto& rf : r->second) {
          Locations sub_left;
          Locations sub_right;
          const std::string why = conflict(lf, rf, exclusive, sub_left, sub_right, depth + 1);
          if (why.empty()) continue;
          if (!reasons.empty()) reasons += " and ";
          reasons += "subfields \"" + std::string(key) + "\" conflict because " + why;
          left_locs.push_back(lf.node->loc);
          left_locs.insert(left_locs.end(), sub_left.begin(), sub_left.end());
          right_locs.push_back(rf.node->loc);
          right_locs.insert(right_locs.end(), sub_right.begin(), sub_right.end());
          goto next_key;  // one reason per response key is enough
        }
      }
    next_key:;
    }
    return reasons;
  }

  void check_set(const Type* parent, const ast::SelectionSet& set) {
    const FieldMap fields = gather_sets({{parent, &set}});
    for (const auto& [key, list] : fields) {
      for (size_t i = 0; i < list.size(); ++i) {
        for (size_t j = i + 1; j < list.size(); ++j) {
          if (list[i].node == list[j].node) continue;
          const std::pair<const void*, const void*> pair{list[i].node, list[j].node};
          if (!reported_pairs_.insert(pair).second) continue;
          Locations left{list[i].node->loc};
          Locations right{list[j].node->loc};
          const std::string why = conflict(list[i], list[j], false, left, right, 0);
          if (why.empty()) continue;
          Locations locs = std::move(left);
          locs.insert(locs.end(), right.begin(), right.end());
          report("Fields \"" + std::string(key) + "\" conflict because " + why +
                     ". Use different aliases on the fields to fetch both if this was "
                     "intentional.",
                 locs);
        }
      }
    }
  }

  void overlapping_in(const Type* parent, const ast::SelectionSet& set) {
    if (set.empty()) return;
    check_set(parent, set);
    for (const auto& sel : set) {
      if (sel.kind == ast::Selection::Kind::kField) {
        const FieldDef* def = parent ? lookup_field(parent, sel.name) : nullptr;
        const Type* t = def ? def->type->named() : nullptr;
        overlapping_in(t && t->is_composite() ? t : nullptr, sel.selection_set);
      } else if (sel.kind == ast::Selection::Kind::kInlineFragment) {
        const Type* t = sel.type_condition.empty() ? parent : s_.type(sel.type_condition);
        overlapping_in(t && t->is_composite() ? t : nullptr, sel.selection_set);
      }
    }
  }

  void overlapping_fields() {
    // Fragment cycles would make the gathering loop; that rule already reported them.
    for (const auto& e : errors_) {
      if (e.message.starts_with("Cannot spread fragment")) return;
    }
    for (const auto& op : doc_.operations) {
      const Type* root = op.operation == ast::OperationType::kQuery      ? s_.query_type()
                         : op.operation == ast::OperationType::kMutation ? s_.mutation_type()
                                                                         : s_.subscription_type();
      overlapping_in(root, op.selection_set);
    }
    for (const auto& f : doc_.fragments) {
      const Type* t = s_.type(f.type_condition);
      overlapping_in(t && t->is_composite() ? t : nullptr, f.selection_set);
    }
  }

  const Schema& s_;
  const ast::Document& doc_;
  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::unordered_map<const ast::OperationDefinition*, Scope> operation_scopes_;
  std::unordered_map<std::string_view, Scope> fragment_scopes_;
  std::set<std::pair<const void*, const void*>> reported_pairs_;
  using ConflictKey = std::tuple<const void*, const void*, const void*, const void*, bool>;
  struct Conflict {
    std::string reason;
    Locations left;
    Locations right;
  };
  std::map<ConflictKey, Conflict> conflicts_;
  std::vector<GraphQLError> errors_;
};

}  // namespace

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document) {
  return Validator(schema, document).run();
}

}  // namespace stipple::graphql
