#include "modules/api/graphql_api.h"

#include <algorithm>
#include <boost/json.hpp>

#include "base/embedded.h"
#include "base/error.h"
#include "base/error_details.h"
#include "base/log.h"
#include "graphql/parser.h"
#include "net/server.h"

namespace stipple::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using net::Exchange;
using net::http::status;

constexpr std::string_view kJsonType = "application/json; charset=utf-8";
constexpr std::string_view kCsrfMessage =
    "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please "
    "either specify a 'content-type' header (with a type that is not one of "
    "application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty "
    "value for one of the following headers: x-apollo-operation-name, apollo-require-preflight";
constexpr std::string_view kBadPostBody =
    "POST body missing, invalid Content-Type, or JSON object has no keys.";
constexpr std::string_view kMissingQuery =
    "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.";

// A request-level failure answered before any operation runs, in Apollo's shape.
struct RequestFailure {
  status http_status;
  std::string message;
};

json::object request_error(std::string_view message, std::string_view code = "BAD_REQUEST") {
  json::object error{{"message", message}, {"extensions", json::object{{"code", code}}}};
  return json::object{{"errors", json::array{std::move(error)}}};
}

// The media type of a Content-Type header, lower-cased, parameters dropped.
std::string media_type(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(), ::tolower);
  return type;
}

// Apollo's CSRF prevention: a request a browser could send without a preflight must carry a
// header that forces one.
bool blocked_as_csrf(Exchange& ex) {
  if (!ex.header("x-apollo-operation-name").empty() ||
      !ex.header("apollo-require-preflight").empty()) {
    return false;
  }
  const std::string type = media_type(ex.header(net::http::field::content_type));
  return type.empty() || type == "text/plain" || type == "multipart/form-data" ||
         type == "application/x-www-form-urlencoded";
}

// Reads {query, variables, operationName} of one operation; throws RequestFailure.
graphql::Request parse_operation(const json::value& item, bool from_get) {
  if (!item.is_object() || item.as_object().empty()) {
    throw RequestFailure{status::bad_request, std::string(kBadPostBody)};
  }
  const auto& object = item.as_object();
  graphql::Request request;

  const auto* query = object.if_contains("query");
  if (!query || query->is_null() || (query->is_string() && query->as_string().empty())) {
    throw RequestFailure{status::bad_request, std::string(kMissingQuery)};
  }
  if (!query->is_string()) {
    throw RequestFailure{status::bad_request, "GraphQL queries must be strings."};
  }
  request.query = std::string(query->as_string());

  if (const auto* variables = object.if_contains("variables"); variables && !variables->is_null()) {
    if (!variables->is_object()) {
      throw RequestFailure{status::bad_request,
                           from_get ? "`variables` in a GET request must be a JSON object."
                                    : "`variables` in a POST body should be provided as an "
                                      "object, not a recursively JSON-encoded string."};
    }
    request.variables = variables->as_object();
  }
  if (const auto* name = object.if_contains("operationName"); name && !name->is_null()) {
    if (!name->is_string()) {
      throw RequestFailure{status::bad_request,
                           "`operationName` in a POST body must be a string if provided."};
    }
    request.operation_name = std::string(name->as_string());
  }
  return request;
}

// Apollo's status for what ran: 429 when rate limited, 400 when an operation could not be
// executed (parse, validation, variables, operation selection), 200 otherwise.
status response_status(bool rate_limited, bool failed_before_execution) {
  if (rate_limited) return status::too_many_requests;
  return failed_before_execution ? status::bad_request : status::ok;
}

bool has_code(const graphql::Response& response, std::string_view code) {
  return std::any_of(response.errors.begin(), response.errors.end(),
                     [&](const graphql::GraphQLError& e) { return e.code() == code; });
}

// Whether the chosen operation of `query` is a mutation (GET may only run queries).
bool selects_mutation(const graphql::Executor& executor, const graphql::Request& request) {
  const auto prepared = executor.prepare(request.query);
  if (!prepared->errors.empty()) return false;
  const graphql::ast::OperationDefinition* chosen = nullptr;
  const auto& operations = prepared->document.operations;
  for (const auto& operation : operations) {
    if (!request.operation_name || operation.name == *request.operation_name) chosen = &operation;
  }
  if (!chosen || (operations.size() > 1 && !request.operation_name)) return false;
  return chosen->operation == graphql::ast::OperationType::kMutation;
}

}  // namespace

// --- schema --------------------------------------------------------------------------------------

std::vector<std::string_view> embedded_sdl() {
  std::vector<std::string_view> texts;
  const EmbeddedFile* base = nullptr;
  for (const auto& file : embedded_files()) {
    if (!file.path.starts_with("schema/") || !file.path.ends_with(".graphql")) continue;
    if (file.path == "schema/base.graphql") {
      base = &file;
    } else {
      texts.push_back(file.content);
    }
  }
  if (!base) throw internal_error("schema/base.graphql is not embedded");
  texts.insert(texts.begin(), base->content);
  return texts;
}

int server_role_weight(std::string_view role) {
  if (role == auth::kServerAdmin) return 1000;
  if (role == auth::kServerUser) return 100;
  if (role == auth::kServerGuest) return 50;
  if (role == auth::kServerArchivedUser) return 10;
  return 0;
}

namespace {

// SERVER_ADMIN -> server:admin; STREAM_OWNER -> stream:owner.
std::string role_from_enum(std::string_view value) {
  std::string out;
  const auto underscore = value.find('_');
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = static_cast<char>(::tolower(value[i]));
    if (i == underscore)
      c = ':';
    else if (c == '_')
      c = '-';
    out += c;
  }
  return out;
}

int project_role_weight_upstream(std::string_view role) {
  if (role == auth::kProjectOwner) return 1000;
  if (role == auth::kProjectContributor) return 500;
  if (role == auth::kProjectReviewer) return 100;
  return 0;
}

std::string parent_id(const graphql::ResolveContext& ctx) {
  if (const auto* object = ctx.parent.if_object()) {
    if (const auto* id = object->if_contains("id"); id && id->is_string()) {
      return std::string(id->as_string());
    }
  }
  return {};
}

// What a field's directives demand of its caller.
struct FieldRules {
  std::vector<std::string> scopes;
  std::string server_role;
  std::string stream_role;
  bool owner_only = false;
};

FieldRules rules_of(const graphql::FieldDef& field) {
  FieldRules rules;
  if (const auto* d = field.directive("hasScope")) {
    rules.scopes.emplace_back(d->arguments.at("scope").as_string());
    // Upstream's schema asks userNotificationPreferencesUpdate for "profile:update", a scope no
    // token can hold, so nobody can save their preferences there. Stipple reads it as the
    // registered scope meant for profile changes.
    if (rules.scopes.back() == "profile:update") rules.scopes.back() = "profile:write";
  }
  if (const auto* d = field.directive("hasScopes")) {
    for (const auto& s : d->arguments.at("scopes").as_array()) {
      if (s.is_string()) rules.scopes.emplace_back(s.as_string());
    }
  }
  if (const auto* d = field.directive("hasServerRole")) {
    rules.server_role = role_from_enum(d->arguments.at("role").as_string());
  }
  if (const auto* d = field.directive("hasStreamRole")) {
    rules.stream_role = role_from_enum(d->arguments.at("role").as_string());
  }
  rules.owner_only = field.directive("isOwner") != nullptr;
  return rules;
}

// The checks that need nothing but the caller: server role, then scopes.
void check_caller(const FieldRules& rules, const auth::AuthContext& caller) {
  // Server role: authentication first, then the weight; admins pass.
  if (!rules.server_role.empty()) {
    if (!caller.authenticated) {
      throw graphql::Error("Must provide an auth token", "UNAUTHORIZED");
    }
    if (server_role_weight(caller.server_role) < server_role_weight(rules.server_role)) {
      throw graphql::Error("You do not have the required server role", "FORBIDDEN");
    }
  }

  // Scopes are only checked when a token was presented.
  if (caller.authenticated) {
    for (const auto& scope : rules.scopes) {
      if (!caller.has_scope(scope)) {
        throw graphql::Error("Your auth token does not have the required scope: " + scope,
                             "FORBIDDEN");
      }
    }
  }
}

}  // namespace

void check_field_access(const graphql::FieldDef& field, const auth::AuthContext& caller) {
  check_caller(rules_of(field), caller);
}

void install_directive_checks(graphql::Schema& schema) {
  // A JSONObject variable must hold an object, as upstream's scalar requires.
  graphql::ScalarCoercion json_object;
  json_object.parse_value = [](const json::value& value) -> json::value {
    if (!value.is_object()) {
      throw graphql::Error(
          "JSONObject cannot represent non-object value: " + json::serialize(value),
          "BAD_USER_INPUT");
    }
    return value;
  };
  schema.scalar("JSONObject", std::move(json_object));

  schema.wrap([](const graphql::FieldDef& field, graphql::Resolver next) -> graphql::Resolver {
    // Every field is wrapped, so that a stipple::Error thrown anywhere below becomes a GraphQL
    // error with its code.
    return [next,
            rules = rules_of(field)](graphql::ResolveContext& ctx) -> asio::awaitable<json::value> {
      auto& request = ctx.user<RequestContext>();
      const auto& caller = request.caller;
      check_caller(rules, caller);
      const bool owner_only = rules.owner_only;
      const std::string& stream_role = rules.stream_role;

      if (owner_only && (!caller.authenticated || parent_id(ctx) != caller.user_id)) {
        throw graphql::Error("You are not authorized to access this resource.", "FORBIDDEN");
      }

      if (!stream_role.empty()) {
        const std::string project_id = parent_id(ctx);
        std::string role;
        if (caller.authenticated && !project_id.empty()) {
          // A named lambda passed by reference: see Database::run on GCC 12 and temporaries.
          const std::string& user_id = caller.user_id;
          auto lookup = [&project_id, &user_id](db::Connection& c) {
            const auto r =
                c.query("SELECT role FROM project_acl WHERE user_id = $1 AND project_id = $2",
                        {std::string_view(user_id), std::string_view(project_id)});
            return r.empty() ? std::string() : r[0].text(0);
          };
          role = co_await request.database->run(std::ref(lookup));
        }
        if (project_role_weight_upstream(role) < project_role_weight_upstream(stream_role)) {
          throw graphql::Error("You do not have the required stream role", "FORBIDDEN");
        }
      }

      try {
        co_return co_await next(ctx);
      } catch (const Error& e) {
        json::object extensions;
        if (const auto* detailed = dynamic_cast<const DetailedError*>(&e)) {
          boost::system::error_code error;
          auto details = json::parse(detailed->details(), error);
          if (!error && details.is_object()) extensions = std::move(details.as_object());
        }
        extensions["statusCode"] = e.http_status();
        throw graphql::Error(e.what(), e.code(), std::move(extensions));
      }
    };
  });
}

// --- transport -----------------------------------------------------------------------------------

GraphqlApi::GraphqlApi(const Config& config, db::Database& database)
    : config_(config), database_(database), ide_(web_assets()) {}

RequestContext GraphqlApi::make_context(const auth::AuthContext& caller,
                                        std::string request_id) const {
  RequestContext context;
  context.caller = caller;
  context.database = &database_;
  context.config = &config_;
  context.request_id = std::move(request_id);
  context.events = events_;
  return context;
}

// --- fields not implemented yet
// -------------------------------------------------------------------

namespace {

// A field no module binds yet answers this instead of a silent null.
graphql::Error not_implemented(const std::string& field) {
  return graphql::Error(field + " is not implemented yet.", "NOT_IMPLEMENTED");
}

// Binds the fields that no module binds, among those the served modules define (the files under
// schema/disabled/ describe modules served switched off, and answer as such):
// - root fields and the fields of mutation namespaces answer NOT_IMPLEMENTED;
// - fields a module beyond core adds to another module's type (`extend type Project { ... }`)
//   read their parent's member, as unbound fields do, and answer NOT_IMPLEMENTED when the parent
//   has none.
// The other fields of a module's own types are reached only through a parent that builds them,
// and keep the default resolver. Returns "Type.field" of each field bound here.
std::vector<std::string> answer_unbound_fields(graphql::Schema& schema) {
  std::vector<std::string> bound;
  for (const auto& file : embedded_files()) {
    if (!file.path.starts_with("schema/") || !file.path.ends_with(".graphql")) continue;
    if (file.path.starts_with("schema/disabled/")) continue;
    const bool core = file.path == "schema/core.graphql" || file.path == "schema/base.graphql";

    for (const auto& definition : graphql::parse(file.content).types) {
      if (definition.kind != graphql::ast::TypeDefinitionKind::kObject) continue;
      if (definition.name == "Subscription") continue;  // the transports answer these
      const bool root = definition.name == "Query" || definition.name == "Mutation" ||
                        definition.name.ends_with("Mutations");
      if (!root && (core || !definition.is_extension)) continue;
      const auto* type = schema.type(definition.name);
      for (const auto& field_definition : definition.fields) {
        const auto* field = type ? type->field(field_definition.name) : nullptr;
        if (!field || field->resolver || field->sync_resolver) continue;
        const std::string name = definition.name + "." + field_definition.name;
        const std::string member = field_definition.name;
        schema.resolve(
            definition.name, member,
            [name, member, root](graphql::ResolveContext& ctx) -> asio::awaitable<json::value> {
              if (!root && ctx.parent.is_object()) {
                if (const auto* value = ctx.parent.get_object().if_contains(member)) {
                  co_return *value;
                }
              }
              throw not_implemented(name);
            });
        bound.push_back(name);
      }
    }
  }
  std::sort(bound.begin(), bound.end());
  return bound;
}

}  // namespace

void GraphqlApi::install(net::Server& server) {
  schema_ = graphql::Schema::from_sdl_texts(embedded_sdl());

  // The placeholders every Speckle server answers.
  schema_->resolve_sync("Query", "_", [](graphql::ResolveContext&) -> json::value {
    return "Ph'nglui mglw'nafh Cthulhu R'lyeh wgah'nagl fhtagn.";
  });
  schema_->resolve_sync("Mutation", "_",
                        [](graphql::ResolveContext&) -> json::value { return nullptr; });

  for (const auto& bind : binders_) bind(*schema_);
  const auto unbound = answer_unbound_fields(*schema_);
  install_directive_checks(*schema_);
  executor_ = std::make_shared<graphql::Executor>(schema_);

  server.route(net::Route{net::http::verb::post, "/graphql",
                          [this](Exchange& ex) { return handle_post(ex); }});
  server.route(net::Route{net::http::verb::get, "/graphql",
                          [this](Exchange& ex) { return handle_get(ex); }});
  // For the coverage test and docs/api-coverage.md: the fields answering NOT_IMPLEMENTED.
  if (config_.test_routes) {
    server.get("/api/_test/not-implemented", [unbound](Exchange& ex) -> asio::awaitable<void> {
      json::array fields;
      for (const auto& name : unbound) fields.emplace_back(name);
      ex.respond_json(status::ok, json::object{{"fields", std::move(fields)}});
      co_return;
    });
  }
  server.get(std::string(QueryIde::kAssetRoute), [this](Exchange& ex) -> asio::awaitable<void> {
    ide_.respond_asset(ex);
    co_return;
  });
}

asio::awaitable<void> GraphqlApi::handle_post(Exchange& ex) {
  if (blocked_as_csrf(ex)) {
    ex.respond_json(status::bad_request, request_error(kCsrfMessage));
    co_return;
  }
  if (media_type(ex.header(net::http::field::content_type)) != "application/json" ||
      ex.body().empty()) {
    ex.respond_json(status::bad_request, request_error(kBadPostBody));
    co_return;
  }

  // A body that is not JSON is refused before GraphQL, in the REST error shape.
  boost::system::error_code parse_error;
  const json::value body = json::parse(ex.body(), parse_error);
  if (parse_error) {
    ex.respond_json(status::bad_request,
                    json::object{{"error", json::object{{"code", "USER_INPUT_ERROR"},
                                                        {"message", "Invalid request body: " +
                                                                        parse_error.message()}}}});
    co_return;
  }

  const auto context = make_context(auth::caller(ex), ex.request_id());

  // One operation, or a batch answered as an array.
  const bool batch = body.is_array();
  std::vector<const json::value*> items;
  if (batch) {
    for (const auto& item : body.as_array()) items.push_back(&item);
    if (items.empty()) {
      ex.respond_json(status::bad_request, request_error("No operations found in request."));
      co_return;
    }
  } else {
    items.push_back(&body);
  }

  json::array results;
  bool any_failed = false;
  bool rate_limited = false;
  for (const auto* item : items) {
    try {
      const auto request = parse_operation(*item, false);
      auto response = co_await executor_->execute(request, context);
      any_failed = any_failed || response.failed_before_execution();
      rate_limited = rate_limited || has_code(response, "RATE_LIMIT_ERROR");
      results.push_back(response.to_json());
    } catch (const RequestFailure& failure) {
      if (!batch) {
        ex.respond_json(failure.http_status, request_error(failure.message));
        co_return;
      }
      any_failed = true;
      results.push_back(request_error(failure.message));
    }
  }

  const status code = response_status(rate_limited, any_failed);
  if (batch) {
    ex.respond_json(code, results);
  } else {
    ex.respond_json(code, results.front());
  }
}

asio::awaitable<void> GraphqlApi::handle_get(Exchange& ex) {
  const auto query = ex.query("query");
  if (!query && ex.header(net::http::field::accept).find("text/html") != std::string_view::npos) {
    ide_.respond_page(ex);
    co_return;
  }
  if (blocked_as_csrf(ex) &&
      media_type(ex.header(net::http::field::content_type)) != "application/json") {
    ex.respond_json(status::bad_request, request_error(kCsrfMessage));
    co_return;
  }

  try {
    json::object item;
    if (query) item["query"] = *query;
    if (const auto variables = ex.query("variables")) {
      boost::system::error_code error;
      auto parsed = json::parse(*variables, error);
      if (error) {
        throw RequestFailure{status::bad_request,
                             "`variables` in a GET request must be valid JSON."};
      }
      item["variables"] = std::move(parsed);
    }
    if (const auto name = ex.query("operationName")) item["operationName"] = *name;
    if (!query) throw RequestFailure{status::bad_request, std::string(kMissingQuery)};
    const auto request = parse_operation(item, true);

    if (selects_mutation(*executor_, request)) {
      ex.respond_json(status::method_not_allowed,
                      request_error("GET requests only support query operations, not mutation "
                                    "operations"));
      co_return;
    }
    const auto context = make_context(auth::caller(ex), ex.request_id());
    auto response = co_await executor_->execute(request, context);
    const status code =
        response_status(has_code(response, "RATE_LIMIT_ERROR"), response.failed_before_execution());
    ex.respond_json(code, response.to_json());
  } catch (const RequestFailure& failure) {
    ex.respond_json(failure.http_status, request_error(failure.message));
  }
}

}  // namespace stipple::api
