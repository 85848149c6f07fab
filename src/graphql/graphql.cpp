#include "graphql/graphql.h"

#include "graphql/execution.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace stipple::graphql {
namespace {

// ============================================================================================
// Limits
// ============================================================================================

struct DocumentSize {
  size_t fields = 0;
  size_t aliases = 0;
};

void count_selections(const ast::SelectionSet& set, DocumentSize& size) {
  for (const auto& sel : set) {
    if (sel.kind == ast::Selection::Kind::kField) {
      ++size.fields;
      if (!sel.alias.empty()) ++size.aliases;
    }
    count_selections(sel.selection_set, size);
  }
}

// Depth of field nesting, fragments expanded. Runs before validation: unknown fragments count as
// empty, a fragment spread inside itself stops the walk, and the memo keeps shared fragments from
// being walked again.
class DepthMeter {
 public:
  explicit DepthMeter(const ast::Document& doc) {
    for (const auto& f : doc.fragments) fragments_.emplace(f.name, &f);
  }

  size_t depth(const ast::SelectionSet& set) {
    size_t deepest = 0;
    for (const auto& sel : set) {
      switch (sel.kind) {
        case ast::Selection::Kind::kField:
          deepest = std::max(deepest, 1 + depth(sel.selection_set));
          break;
        case ast::Selection::Kind::kInlineFragment:
          deepest = std::max(deepest, depth(sel.selection_set));
          break;
        case ast::Selection::Kind::kFragmentSpread:
          deepest = std::max(deepest, fragment_depth(sel.name));
          break;
      }
    }
    return deepest;
  }

 private:
  size_t fragment_depth(const std::string& name) {
    if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
    const auto it = fragments_.find(name);
    if (it == fragments_.end() || !visiting_.insert(name).second) return 0;
    const size_t d = depth(it->second->selection_set);
    visiting_.erase(name);
    memo_[name] = d;
    return d;
  }

  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::unordered_map<std::string, size_t> memo_;
  std::unordered_set<std::string> visiting_;
};

void check_limits(const ast::Document& doc, const Limits& limits,
                  std::vector<GraphQLError>& errors) {
  DocumentSize size;
  for (const auto& op : doc.operations) count_selections(op.selection_set, size);
  for (const auto& f : doc.fragments) count_selections(f.selection_set, size);
  if (size.fields > limits.max_fields) {
    errors.push_back(make_error("The document selects " + std::to_string(size.fields) +
                                    " fields; at most " + std::to_string(limits.max_fields) +
                                    " are allowed.",
                                kValidationFailed));
  }
  if (size.aliases > limits.max_aliases) {
    errors.push_back(make_error("The document uses " + std::to_string(size.aliases) +
                                    " aliases; at most " + std::to_string(limits.max_aliases) +
                                    " are allowed.",
                                kValidationFailed));
  }
  DepthMeter meter(doc);
  for (const auto& op : doc.operations) {
    const size_t depth = meter.depth(op.selection_set);
    if (depth > limits.max_depth) {
      errors.push_back(make_error("The operation nests fields " + std::to_string(depth) +
                                      " deep; at most " + std::to_string(limits.max_depth) +
                                      " levels are allowed.",
                                  kValidationFailed, {op.loc}));
    }
  }
}

}  // namespace

// ============================================================================================
// Executor
// ============================================================================================

Executor::Executor(std::shared_ptr<Schema> schema, Limits limits)
    : schema_(std::move(schema)), limits_(limits) {
  schema_->finalize();
}

std::shared_ptr<const PreparedDocument> Executor::prepare_uncached(std::string_view query) const {
  auto prepared = std::make_shared<PreparedDocument>();

  // Refuse oversized documents before parsing them.
  if (query.size() > limits_.max_document_bytes) {
    prepared->errors.push_back(
        make_error("The document is " + std::to_string(query.size()) + " bytes long; at most " +
                       std::to_string(limits_.max_document_bytes) + " are allowed.",
                   kParseFailed));
    return prepared;
  }

  try {
    prepared->document = parse(query, limits_.parse);
  } catch (const SyntaxError& e) {
    prepared->errors.push_back(make_error(e.what(), kParseFailed, {e.location()}));
    return prepared;
  }

  // Limits first: they are cheap, and they bound the work of validation.
  check_limits(prepared->document, limits_, prepared->errors);
  if (prepared->errors.empty()) prepared->errors = validate(*schema_, prepared->document);
  return prepared;
}

std::shared_ptr<const PreparedDocument> Executor::prepare(std::string_view query) const {
  // A hit moves the entry to the front.
  {
    const std::lock_guard lock(cache_mutex_);
    if (const auto it = cache_index_.find(query); it != cache_index_.end()) {
      cache_list_.splice(cache_list_.begin(), cache_list_, it->second);
      return it->second->second;
    }
  }

  // Parse outside the lock; two threads may prepare the same text, and the second one wins.
  auto prepared = prepare_uncached(query);
  if (limits_.cache_entries == 0) return prepared;

  const std::lock_guard lock(cache_mutex_);
  if (const auto it = cache_index_.find(query); it != cache_index_.end()) {
    cache_list_.erase(it->second);
    cache_index_.erase(it);
  }
  cache_list_.emplace_front(std::string(query), prepared);
  cache_index_.emplace(cache_list_.front().first, cache_list_.begin());
  while (cache_list_.size() > limits_.cache_entries) {
    cache_index_.erase(cache_list_.back().first);
    cache_list_.pop_back();
  }
  return prepared;
}

asio::awaitable<Response> Executor::execute(Request request, std::any context,
                                            json::value root_value) const {
  const auto prepared = prepare(request.query);
  if (!prepared->errors.empty()) {
    Response failed;
    failed.errors = prepared->errors;
    co_return failed;
  }
  co_return co_await execute_document(*schema_, prepared->document, request.variables,
                                      request.operation_name, context, root_value);
}

std::variant<Subscription, Response> Executor::subscribe(const Request& request) const {
  Response failed;
  const auto prepared = prepare(request.query);
  if (!prepared->errors.empty()) {
    failed.errors = prepared->errors;
    return failed;
  }

  // The operation must be a subscription.
  const ast::Document& doc = prepared->document;
  const ast::OperationDefinition* op =
      detail::select_operation(doc, request.operation_name, failed.errors);
  if (!op) return failed;
  if (op->operation != ast::OperationType::kSubscription || !schema_->subscription_type()) {
    failed.errors.push_back(
        make_error("The operation is not a subscription.", kBadRequest, {op->loc}));
    return failed;
  }

  // Variables, then the root field and its arguments.
  auto variables = detail::coerce_variables(*schema_, *op, request.variables, failed.errors);
  if (!variables) return failed;
  std::any no_context;
  detail::Execution execution(*schema_, doc, *op, *variables, no_context);
  detail::GroupedFields fields;
  std::unordered_set<std::string_view> visited;
  execution.collect_fields(*schema_->subscription_type(), op->selection_set, fields, visited);
  if (fields.groups.empty()) {
    failed.errors.push_back(
        make_error("The subscription selects no field.", kBadRequest, {op->loc}));
    return failed;
  }
  const ast::Selection& node = *fields.groups.front().second.front();
  Subscription out;
  out.field = schema_->subscription_type()->field(node.name);
  out.response_key = node.response_key();
  std::string error;
  auto args =
      out.field ? detail::coerce_arguments(*out.field, node, *variables, error) : std::nullopt;
  if (!args) {
    failed.errors.push_back(make_error(error, kBadUserInput, {node.loc}));
    return failed;
  }
  out.arguments = std::move(*args);
  out.variables = std::move(*variables);
  return out;
}

}  // namespace stipple::graphql
