#include "graphql/execution.h"

#include <cassert>
#include <memory>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "graphql/graphql.h"
#include "graphql/parser.h"
#include "graphql/values.h"

namespace stipple::graphql {
namespace detail {
namespace {

namespace asio = boost::asio;

// Runs tasks concurrently on the current executor and waits for all of them. Rethrows the
// first exception a task let escape (tasks are expected to catch their own).
asio::awaitable<void> when_all(std::vector<asio::awaitable<void>> tasks) {
  if (tasks.empty()) co_return;
  if (tasks.size() == 1) {
    co_await std::move(tasks.front());
    co_return;
  }
  struct State {
    size_t remaining = 0;
    std::exception_ptr error;
    std::optional<asio::any_completion_handler<void()>> done;
  };
  auto state = std::make_shared<State>();
  state->remaining = tasks.size();
  const auto ex = co_await asio::this_coro::executor;
  co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
      [&](auto handler) {
        state->done.emplace(std::move(handler));
        for (auto& task : tasks) {
          asio::co_spawn(ex, std::move(task), [state](std::exception_ptr e) {
            if (e && !state->error) state->error = e;
            if (--state->remaining == 0) {
              auto done = std::move(*state->done);
              state->done.reset();
              std::move(done)();
            }
          });
        }
      },
      asio::use_awaitable);
  if (state->error) std::rethrow_exception(state->error);
}

// `Type.field`, as graphql-js names a field in messages.
std::string field_label(const FieldDef& field) {
  return (field.owner ? field.owner->name : std::string()) + "." + field.name;
}

const ast::Argument* find_argument(const std::vector<ast::Argument>& args, std::string_view name) {
  for (const auto& a : args) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace

json::array path_to_json(const PathNode* node) {
  std::vector<const PathNode*> steps;
  for (; node; node = node->prev) steps.push_back(node);
  json::array out;
  out.reserve(steps.size());
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if ((*it)->is_index) {
      out.emplace_back(static_cast<int64_t>((*it)->index));
    } else {
      out.emplace_back(json::string((*it)->key));
    }
  }
  return out;
}

void GroupedFields::add(const ast::Selection& field) {
  const std::string_view key = field.response_key();
  const auto it = index.find(key);
  if (it != index.end()) {
    groups[it->second].second.push_back(&field);
    return;
  }
  index.emplace(key, groups.size());
  groups.emplace_back(key, FieldNodes{&field});
}

// ============================================================================================
// Variables
// ============================================================================================

std::optional<json::object> coerce_variables(const Schema& schema,
                                             const ast::OperationDefinition& operation,
                                             const json::object& inputs,
                                             std::vector<GraphQLError>& errors) {
  json::object coerced;
  const size_t errors_before = errors.size();
  for (const auto& def : operation.variables) {
    const std::string var = "Variable \"$" + def.name + "\"";
    const Type* type = schema.type_from_ast(*def.type);
    if (!type || !type->is_input()) {
      errors.push_back(make_error(var + " expected value of type \"" + print_type(*def.type) +
                                      "\" which cannot be used as an input type.",
                                  kBadUserInput, {def.loc}));
      continue;
    }

    // An absent variable takes its default; a required one must be given.
    const json::value* given = inputs.if_contains(def.name);
    if (!given) {
      if (def.default_value) {
        if (auto v = value_from_ast(def.default_value.get(), type, nullptr)) coerced[def.name] = *v;
      } else if (type->is_non_null()) {
        errors.push_back(
            make_error(var + " of required type \"" + type->to_string() + "\" was not provided.",
                       kBadUserInput, {def.loc}));
      }
      continue;
    }
    if (given->is_null() && type->is_non_null()) {
      errors.push_back(
          make_error(var + " of non-null type \"" + type->to_string() + "\" must not be null.",
                     kBadUserInput, {def.loc}));
      continue;
    }
    coerced[def.name] = coerce_input_value(
        *given, type,
        [&](const json::array& path, const json::value& invalid, const std::string& message) {
          std::string prefix = var + " got invalid value " + inspect(invalid);
          if (!path.empty()) {
            prefix += " at \"" + def.name;
            for (const auto& step : path) {
              if (step.is_string()) {
                prefix += '.';
                prefix += step.get_string();
              } else {
                prefix += '[';
                prefix += std::to_string(step.to_number<int64_t>());
                prefix += ']';
              }
            }
            prefix += "\"";
          }
          errors.push_back(make_error(prefix + "; " + message, kBadUserInput, {def.loc}));
        });
  }
  if (errors.size() != errors_before) return std::nullopt;
  return coerced;
}

const ast::OperationDefinition* select_operation(const ast::Document& document,
                                                 const std::optional<std::string>& name,
                                                 std::vector<GraphQLError>& errors) {
  if (name && !name->empty()) {
    for (const auto& op : document.operations) {
      if (op.name == *name) return &op;
    }
    errors.push_back(
        make_error("Unknown operation named \"" + *name + "\".", kOperationResolutionFailure));
    return nullptr;
  }
  if (document.operations.size() == 1) return &document.operations.front();
  errors.push_back(make_error(document.operations.empty()
                                  ? "Must provide an operation."
                                  : "Must provide operation name if query contains multiple "
                                    "operations.",
                              kOperationResolutionFailure));
  return nullptr;
}

// ============================================================================================
// Execution
// ============================================================================================

Execution::Execution(const Schema& schema, const ast::Document& document,
                     const ast::OperationDefinition& operation, json::object variables,
                     std::any& context)
    : schema_(schema),
      document_(document),
      operation_(operation),
      variables_(std::move(variables)),
      context_(context) {
  for (const auto& f : document_.fragments) fragments_.emplace(f.name, &f);
}

asio::awaitable<json::value> Execution::run(const json::value& root_value) {
  const Type* root = operation_.operation == ast::OperationType::kQuery ? schema_.query_type()
                     : operation_.operation == ast::OperationType::kMutation
                         ? schema_.mutation_type()
                         : schema_.subscription_type();
  assert(root);  // the caller checked that the schema supports the operation

  GroupedFields fields;
  std::unordered_set<std::string_view> visited;
  collect_fields(*root, operation_.selection_set, fields, visited);

  // Mutation fields run one after the other; query fields concurrently.
  const bool serial = operation_.operation == ast::OperationType::kMutation;
  Result data = co_await execute_fields(*root, root_value, fields, nullptr, serial);
  co_return data ? std::move(*data) : json::value(nullptr);
}

bool Execution::should_include(const std::vector<ast::Directive>& directives) const {
  for (const auto& d : directives) {
    if (d.name != "skip" && d.name != "include") continue;
    const ast::Argument* arg = find_argument(d.arguments, "if");
    if (!arg) continue;
    bool value = false;
    if (arg->value->kind == ast::Value::Kind::kBoolean) {
      value = arg->value->boolean;
    } else if (arg->value->kind == ast::Value::Kind::kVariable) {
      const auto* v = variables_.if_contains(arg->value->text);
      value = v && v->is_bool() && v->get_bool();
    }
    if (d.name == "skip" && value) return false;
    if (d.name == "include" && !value) return false;
  }
  return true;
}

bool Execution::fragment_applies(const Type& object_type, std::string_view type_condition) const {
  if (type_condition.empty() || type_condition == object_type.name) return true;
  const Type* condition = schema_.type(type_condition);
  return condition && condition->is_abstract() && condition->is_possible_type(&object_type);
}

void Execution::collect_fields(const Type& object_type, const ast::SelectionSet& selections,
                               GroupedFields& out,
                               std::unordered_set<std::string_view>& visited) const {
  for (const auto& sel : selections) {
    if (!should_include(sel.directives)) continue;
    switch (sel.kind) {
      case ast::Selection::Kind::kField:
        out.add(sel);
        break;
      case ast::Selection::Kind::kInlineFragment:
        if (fragment_applies(object_type, sel.type_condition)) {
          collect_fields(object_type, sel.selection_set, out, visited);
        }
        break;
      case ast::Selection::Kind::kFragmentSpread: {
        if (!visited.insert(sel.name).second) break;
        const auto it = fragments_.find(sel.name);
        if (it == fragments_.end()) break;
        if (!fragment_applies(object_type, it->second->type_condition)) break;
        collect_fields(object_type, it->second->selection_set, out, visited);
        break;
      }
    }
  }
}

GroupedFields Execution::collect_subfields(const Type& object_type, const FieldNodes& nodes) const {
  GroupedFields out;
  std::unordered_set<std::string_view> visited;
  for (const ast::Selection* node : nodes) {
    collect_fields(object_type, node->selection_set, out, visited);
  }
  return out;
}

const FieldDef* Execution::field_def(const Type& parent_type, std::string_view name) const {
  if (name.starts_with("__")) {
    if (name == "__typename") return schema_.meta_field(name);
    if (&parent_type == schema_.query_type() && (name == "__schema" || name == "__type")) {
      return schema_.meta_field(name);
    }
  }
  return parent_type.field(name);
}

bool Execution::is_sync_field(const FieldDef& field) const {
  const Type* named = field.type->named();
  return !field.resolver && (named->is_leaf() || named->sync_subtree);
}

const GroupedFields& Execution::subfields(const Type& object_type, const FieldNodes& nodes) {
  // Items of a list share their field nodes, so each (type, nodes) pair is collected once.
  const auto key = std::make_pair(&object_type, &nodes);
  auto it = subfields_.find(key);
  if (it == subfields_.end())
    it = subfields_.emplace(key, collect_subfields(object_type, nodes)).first;
  return it->second;
}

Execution::Result Execution::execute_fields_sync(const Type& type, const json::value& parent,
                                                 const GroupedFields& fields,
                                                 const PathNode* path) {
  json::object out;
  out.reserve(fields.groups.size());
  for (const auto& [key, nodes] : fields.groups) {
    const PathNode step{path, key, 0, false};
    const FieldDef* def = field_def(type, nodes.front()->name);
    Result r = json::value(nullptr);
    if (def && is_sync_field(*def)) {
      r = execute_field_sync(type, *def, parent, nodes, &step);
    } else if (def) {
      // Only a resolver bound after the Executor was built can land here.
      record("Resolver of " + field_label(*def) + " was bound after the schema was finalized.",
             kInternalServerError, nodes, &step);
      r = def->type->is_non_null() ? Result() : Result(nullptr);
    }
    if (!r) return std::nullopt;
    out.emplace(key, std::move(*r));
  }
  return json::value(std::move(out));
}

Execution::Result Execution::complete_value_sync(const Type* type, const FieldDef& field,
                                                 const FieldNodes& nodes, const json::value& value,
                                                 const PathNode* path) {
  if (type->is_non_null()) {
    Result r = complete_value_sync(type->of_type, field, nodes, value, path);
    if (r && r->is_null()) {
      record("Cannot return null for non-nullable field " + field_label(field) + ".",
             kInternalServerError, nodes, path);
      return std::nullopt;
    }
    return r;
  }
  if (value.is_null()) return json::value(nullptr);
  if (type->kind == TypeKind::kList) {
    if (!value.is_array()) {
      record("Expected Iterable, but did not find one for field \"" + field_label(field) + "\".",
             kInternalServerError, nodes, path);
      return std::nullopt;
    }
    const auto& items = value.get_array();
    json::array out;
    out.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      const PathNode step{path, {}, i, true};
      Result r = complete_value_sync(type->of_type, field, nodes, items[i], &step);
      if (!r) {
        if (type->of_type->is_non_null()) return std::nullopt;
        r = json::value(nullptr);
      }
      out.push_back(std::move(*r));
    }
    return json::value(std::move(out));
  }
  if (type->is_leaf()) {
    try {
      return serialize_leaf(*type, value);
    } catch (...) {
      record(std::current_exception(), nodes, path);
      return std::nullopt;
    }
  }
  const Type* object_type = type;
  if (type->is_abstract()) {
    object_type = resolve_abstract(*type, field, value, nodes, path);
    if (!object_type) return std::nullopt;
  }
  return execute_fields_sync(*object_type, value, subfields(*object_type, nodes), path);
}

asio::awaitable<Execution::Result> Execution::execute_fields(const Type& type,
                                                             const json::value& parent,
                                                             const GroupedFields& fields,
                                                             const PathNode* path, bool serial) {
  const size_t n = fields.groups.size();
  std::vector<Result> results(n);
  std::vector<PathNode> steps(n);
  std::vector<asio::awaitable<void>> tasks;

  for (size_t i = 0; i < n; ++i) {
    const auto& [key, nodes] = fields.groups[i];
    steps[i] = PathNode{path, key, 0, false};
    const FieldDef* def = field_def(type, nodes.front()->name);
    if (!def) {
      // Validation guarantees fields exist; a missing one is left out, as graphql-js does.
      results[i] = json::value(nullptr);
      continue;
    }

    // Leaf fields without an asynchronous resolver complete here, without a coroutine.
    if (is_sync_field(*def)) {
      results[i] = execute_field_sync(type, *def, parent, nodes, &steps[i]);
    } else if (serial) {
      results[i] = co_await execute_field(type, parent, nodes, &steps[i]);
    } else {
      tasks.push_back([](Execution* self, const Type& t, const json::value& p, const FieldNodes& ns,
                         const PathNode* step, Result* out) -> asio::awaitable<void> {
        *out = co_await self->execute_field(t, p, ns, step);
      }(this, type, parent, nodes, &steps[i], &results[i]));
    }
  }
  co_await when_all(std::move(tasks));

  // Assemble the object in selection order; a propagated null makes the whole object null.
  json::object out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!results[i]) co_return std::nullopt;
    out.emplace(fields.groups[i].first, std::move(*results[i]));
  }
  co_return json::value(std::move(out));
}

std::optional<json::object> coerce_arguments(const FieldDef& field, const ast::Selection& node,
                                             const json::object& variables, std::string& error) {
  json::object out;
  for (const auto& def : field.args) {
    const ast::Argument* given = find_argument(node.arguments, def.name);
    const std::string arg = "Argument \"" + def.name + "\"";
    const bool missing_variable = given && given->value->kind == ast::Value::Kind::kVariable &&
                                  !variables.contains(given->value->text);
    if (!given || missing_variable) {
      if (def.default_value) {
        out[def.name] = *def.default_value;
      } else if (def.type->is_non_null()) {
        error = given
                    ? arg + " of required type \"" + def.type->to_string() +
                          "\" was provided the variable \"$" + given->value->text +
                          "\" which was not provided a runtime value."
                    : arg + " of required type \"" + def.type->to_string() + "\" was not provided.";
        return std::nullopt;
      }
      continue;
    }
    auto value = value_from_ast(given->value.get(), def.type, &variables);
    if (!value) {
      error = arg + " has invalid value " + print_value(*given->value) + ".";
      return std::nullopt;
    }
    out[def.name] = std::move(*value);
  }
  return out;
}

std::optional<json::object> Execution::coerce_arguments(const FieldDef& field,
                                                        const ast::Selection& node,
                                                        const PathNode* path) {
  std::string error;
  auto out = detail::coerce_arguments(field, node, variables_, error);
  if (!out) record(std::move(error), kBadUserInput, {&node}, path);
  return out;
}

Execution::Result Execution::execute_field_sync(const Type& parent_type, const FieldDef& field,
                                                const json::value& parent, const FieldNodes& nodes,
                                                const PathNode* path) {
  // __typename needs neither arguments nor resolver.
  if (field.owner && field.owner->name == "__Meta" && field.name == "__typename") {
    return json::value(json::string(parent_type.name));
  }
  const auto args = coerce_arguments(field, *nodes.front(), path);
  if (!args) return field.type->is_non_null() ? Result() : Result(nullptr);

  json::value value;
  if (field.sync_resolver) {
    ResolveContext ctx{parent, *args, context_, field, parent_type, nodes, *this, path};
    try {
      value = field.sync_resolver(ctx);
    } catch (...) {
      record(std::current_exception(), nodes, path);
      return field.type->is_non_null() ? Result() : Result(nullptr);
    }
  } else if (parent.is_object()) {
    if (const auto* member = parent.get_object().if_contains(field.name)) value = *member;
  }
  Result r = complete_value_sync(field.type, field, nodes, value, path);
  if (!r && !field.type->is_non_null()) return json::value(nullptr);
  return r;
}

asio::awaitable<Execution::Result> Execution::execute_field(const Type& parent_type,
                                                            const json::value& parent,
                                                            const FieldNodes& nodes,
                                                            const PathNode* path) {
  const FieldDef& field = *field_def(parent_type, nodes.front()->name);
  const auto args = coerce_arguments(field, *nodes.front(), path);
  if (!args) co_return field.type->is_non_null() ? Result() : Result(nullptr);

  // Resolve, then complete; a failure is recorded and becomes null here if the field is
  // nullable, or propagates to the parent.
  json::value value;
  ResolveContext ctx{parent, *args, context_, field, parent_type, nodes, *this, path};
  std::exception_ptr error;
  try {
    if (field.resolver) {
      value = co_await field.resolver(ctx);
    } else if (field.sync_resolver) {
      value = field.sync_resolver(ctx);
    } else if (parent.is_object()) {
      if (const auto* member = parent.get_object().if_contains(field.name)) value = *member;
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    record(error, nodes, path);
    co_return field.type->is_non_null() ? Result() : Result(nullptr);
  }
  Result r = co_await complete_value(field.type, field, nodes, value, path);
  if (!r && !field.type->is_non_null()) co_return json::value(nullptr);
  co_return r;
}

asio::awaitable<Execution::Result> Execution::complete_value(const Type* type,
                                                             const FieldDef& field,
                                                             const FieldNodes& nodes,
                                                             const json::value& value,
                                                             const PathNode* path) {
  if (type->named()->is_leaf() || type->named()->sync_subtree) {
    co_return complete_value_sync(type, field, nodes, value, path);
  }

  if (type->is_non_null()) {
    Result r = co_await complete_value(type->of_type, field, nodes, value, path);
    if (r && r->is_null()) {
      record("Cannot return null for non-nullable field " + field_label(field) + ".",
             kInternalServerError, nodes, path);
      co_return std::nullopt;
    }
    co_return r;
  }
  if (value.is_null()) co_return json::value(nullptr);

  if (type->kind == TypeKind::kList) {
    if (!value.is_array()) {
      record("Expected Iterable, but did not find one for field \"" + field_label(field) + "\".",
             kInternalServerError, nodes, path);
      co_return std::nullopt;
    }
    // Items complete concurrently, so that their resolvers share loader batches.
    const auto& items = value.get_array();
    std::vector<Result> results(items.size());
    std::vector<PathNode> steps(items.size());
    std::vector<asio::awaitable<void>> tasks;
    tasks.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      steps[i] = PathNode{path, {}, i, true};
      tasks.push_back([](Execution* self, const Type* t, const FieldDef& f, const FieldNodes& ns,
                         const json::value& item, const PathNode* step,
                         Result* out) -> asio::awaitable<void> {
        *out = co_await self->complete_value(t, f, ns, item, step);
      }(this, type->of_type, field, nodes, items[i], &steps[i], &results[i]));
    }
    co_await when_all(std::move(tasks));
    json::array out;
    out.reserve(items.size());
    for (auto& r : results) {
      if (!r) {
        if (type->of_type->is_non_null()) co_return std::nullopt;
        r = json::value(nullptr);
      }
      out.push_back(std::move(*r));
    }
    co_return json::value(std::move(out));
  }

  // Objects, interfaces and unions: find the object type, then execute the sub-selection.
  const Type* object_type = type;
  if (type->is_abstract()) {
    object_type = resolve_abstract(*type, field, value, nodes, path);
    if (!object_type) co_return std::nullopt;
  }
  co_return co_await execute_fields(*object_type, value, subfields(*object_type, nodes), path,
                                    false);
}

const Type* Execution::resolve_abstract(const Type& abstract, const FieldDef& field,
                                        const json::value& value, const FieldNodes& nodes,
                                        const PathNode* path) {
  std::string name;
  if (abstract.type_resolver) {
    try {
      static const json::object kNoArgs;
      ResolveContext ctx{value, kNoArgs, context_, field, abstract, nodes, *this, path};
      name = abstract.type_resolver(value, ctx);
    } catch (...) {
      record(std::current_exception(), nodes, path);
      return nullptr;
    }
  } else if (value.is_object()) {
    if (const auto* t = value.get_object().if_contains("__typename"); t && t->is_string()) {
      name = std::string(t->get_string());
    }
  }
  const std::string field_name = field_label(field);
  if (name.empty()) {
    record("Abstract type \"" + abstract.name +
               "\" must resolve to an Object type at runtime for field \"" + field_name +
               "\". Either the \"" + abstract.name +
               "\" type should provide a \"resolveType\" function or each possible type should "
               "provide an \"isTypeOf\" function.",
           kInternalServerError, nodes, path);
    return nullptr;
  }
  const Type* object = schema_.type(name);
  if (!object || object->kind != TypeKind::kObject) {
    record("Abstract type \"" + abstract.name + "\" was resolved to a type \"" + name +
               "\" that does not exist inside the schema.",
           kInternalServerError, nodes, path);
    return nullptr;
  }
  if (!abstract.is_possible_type(object)) {
    record("Runtime Object type \"" + name + "\" is not a possible type for \"" + abstract.name +
               "\".",
           kInternalServerError, nodes, path);
    return nullptr;
  }
  return object;
}

void Execution::record(const std::exception_ptr& error, const FieldNodes& nodes,
                       const PathNode* path) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    GraphQLError out = make_error(e.what(), e.code().c_str(), {nodes.front()->loc});
    for (const auto& kv : e.extensions()) {
      if (kv.key() != "code") out.extensions[kv.key()] = kv.value();
    }
    out.path = path_to_json(path);
    errors_.push_back(std::move(out));
  } catch (const std::exception& e) {
    record(e.what(), kInternalServerError, nodes, path);
  } catch (...) {
    record("Unknown error", kInternalServerError, nodes, path);
  }
}

void Execution::record(std::string message, std::string code, const FieldNodes& nodes,
                       const PathNode* path) {
  GraphQLError out = make_error(std::move(message), code.c_str(), {nodes.front()->loc});
  out.path = path_to_json(path);
  errors_.push_back(std::move(out));
}

}  // namespace detail

// ============================================================================================
// Public pieces
// ============================================================================================

std::string GraphQLError::code() const {
  const auto* c = extensions.if_contains("code");
  return c && c->is_string() ? std::string(c->get_string()) : std::string();
}

json::object GraphQLError::to_json() const {
  json::object out;
  out["message"] = message;
  if (!locations.empty()) {
    json::array locs;
    for (const auto& l : locations) {
      locs.push_back(json::object{{"line", l.line}, {"column", l.column}});
    }
    out["locations"] = std::move(locs);
  }
  if (!path.empty()) out["path"] = path;
  out["extensions"] = extensions;
  return out;
}

GraphQLError make_error(std::string message, const char* code,
                        std::vector<ast::Location> locations) {
  GraphQLError e;
  e.message = std::move(message);
  e.locations = std::move(locations);
  e.extensions["code"] = code;
  return e;
}

json::object Response::to_json() const {
  json::object out;
  if (!errors.empty()) {
    json::array list;
    for (const auto& e : errors) list.push_back(e.to_json());
    out["errors"] = std::move(list);
  }
  if (data) out["data"] = *data;
  return out;
}

json::array ResolveContext::path() const {
  return detail::path_to_json(path_node);
}
const json::object& ResolveContext::variables() const {
  return execution.variables();
}
const Schema& ResolveContext::schema() const {
  return execution.schema();
}

std::vector<std::string> ResolveContext::selected_fields(std::string_view type_name) const {
  const Type* t = type_name.empty() ? field.type->named() : schema().type(type_name);
  std::vector<std::string> out;
  if (!t || t->kind != TypeKind::kObject) {
    // For an abstract type without a runtime type, list the fields selected directly.
    for (const auto* node : nodes) {
      for (const auto& sel : node->selection_set) {
        if (sel.kind == ast::Selection::Kind::kField) out.push_back(sel.name);
      }
    }
    return out;
  }
  const auto grouped = execution.collect_subfields(*t, nodes);
  for (const auto& [key, fields] : grouped.groups) out.push_back(fields.front()->name);
  return out;
}

asio::awaitable<json::value> default_resolver(ResolveContext& ctx) {
  if (ctx.parent.is_object()) {
    if (const auto* member = ctx.parent.get_object().if_contains(ctx.field.name)) {
      co_return *member;
    }
  }
  co_return nullptr;
}

asio::awaitable<Response> execute_document(const Schema& schema, const ast::Document& document,
                                           const json::object& variables,
                                           const std::optional<std::string>& operation_name,
                                           std::any& context, const json::value& root_value) {
  Response response;

  const ast::OperationDefinition* operation =
      detail::select_operation(document, operation_name, response.errors);
  if (!operation) co_return response;

  // The schema must support the operation's kind.
  const char* kind = nullptr;
  if (operation->operation == ast::OperationType::kMutation && !schema.mutation_type()) {
    kind = "mutation";
  } else if (operation->operation == ast::OperationType::kSubscription &&
             !schema.subscription_type()) {
    kind = "subscription";
  }
  if (kind) {
    // graphql-js reports this as an execution error, with null data.
    response.errors.push_back(
        make_error(std::string("Schema is not configured to execute ") + kind + " operation.",
                   kInternalServerError, {operation->loc}));
    response.data = nullptr;
    co_return response;
  }

  auto coerced = detail::coerce_variables(schema, *operation, variables, response.errors);
  if (!coerced) co_return response;

  // The execution's coroutines share state: a strand keeps them off each other's toes when the
  // io_context runs on several threads.
  detail::Execution execution(schema, document, *operation, std::move(*coerced), context);
  const auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto run = execution.run(root_value);
  response.data = co_await asio::co_spawn(strand, std::move(run), asio::use_awaitable);
  response.errors = std::move(execution.errors());
  co_return response;
}

}  // namespace stipple::graphql
