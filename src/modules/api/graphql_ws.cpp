#include "modules/api/graphql_ws.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "base/ids.h"
#include "base/log.h"
#include "modules/api/graphql_api.h"
#include "net/server.h"

namespace stipple::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

constexpr std::string_view kLegacyProtocol = "graphql-ws";
constexpr std::string_view kTransportProtocol = "graphql-transport-ws";
constexpr std::string_view kNeedToken = "You need a token to subscribe";

enum class Protocol { legacy, transport };

// graphql-transport-ws close codes.
constexpr uint16_t kBadRequest = 4400;
constexpr uint16_t kUnauthorized = 4401;
constexpr uint16_t kForbidden = 4403;
constexpr uint16_t kInitTimeout = 4408;
constexpr uint16_t kSubscriberExists = 4409;
constexpr uint16_t kTooManyInits = 4429;

// The first sub-protocol of the client's list that Stipple speaks; the newer one wins when a
// client offers both.
std::optional<Protocol> negotiate(std::string_view offered) {
  bool legacy = false;
  bool transport = false;
  while (!offered.empty()) {
    const auto comma = offered.find(',');
    std::string_view item = offered.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    legacy = legacy || item == kLegacyProtocol;
    transport = transport || item == kTransportProtocol;
    offered = comma == std::string_view::npos ? std::string_view() : offered.substr(comma + 1);
  }
  if (transport) return Protocol::transport;
  if (legacy) return Protocol::legacy;
  return std::nullopt;
}

json::array errors_json(const std::vector<graphql::GraphQLError>& errors) {
  json::array out;
  for (const auto& error : errors) out.push_back(error.to_json());
  return out;
}

// The operation type a request selects; nullopt when it cannot be told (the executor then
// reports why).
std::optional<graphql::ast::OperationType> operation_type(const graphql::Executor& executor,
                                                          const graphql::Request& request) {
  const auto prepared = executor.prepare(request.query);
  if (!prepared->errors.empty()) return std::nullopt;
  const auto& operations = prepared->document.operations;
  for (const auto& operation : operations) {
    if (request.operation_name ? operation.name == *request.operation_name
                               : operations.size() == 1) {
      return operation.operation;
    }
  }
  return std::nullopt;
}

class Connection;

// The open sockets, so that shutdown can close them (their coroutines would otherwise keep the
// event loop alive).
struct Registry {
  std::mutex mutex;
  std::map<Connection*, std::weak_ptr<Connection>> connections;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(beast::tcp_stream stream, Protocol protocol, GraphqlApi& api,
             const TokenCheck& check_token, const WebSocketOptions& options)
      : ws_(std::move(stream)),
        protocol_(protocol),
        api_(api),
        check_token_(check_token),
        options_(options),
        timer_(ws_.get_executor()),
        connection_id_(random_hex(8)) {}

  // Closes the socket with 1001 "going away"; safe from any thread.
  void shut_down() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->close(websocket::close_code::going_away, "Server shutting down");
    });
  }

  asio::awaitable<void> run(net::http::request<net::http::empty_body> request) {
    auto self = shared_from_this();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    const std::string accepted(protocol_ == Protocol::legacy ? kLegacyProtocol
                                                             : kTransportProtocol);
    ws_.set_option(websocket::stream_base::decorator([accepted](websocket::response_type& res) {
      res.set(net::http::field::sec_websocket_protocol, accepted);
      res.set(net::http::field::server, "Stipple");
    }));
    ws_.read_message_max(options_.max_message_bytes);
    ws_.text(true);
    beast::error_code ec;
    co_await ws_.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    log::debug("graphql_ws.opened", {{"connection", connection_id_}, {"protocol", accepted}});

    if (protocol_ == Protocol::transport) {
      asio::co_spawn(ws_.get_executor(), init_deadline(self), asio::detached);
    }
    co_await read_loop();

    // The socket is gone: end every operation and timer.
    closed_ = true;
    timer_.cancel();
    for (auto& [id, operation] : operations_) operation->cancel();
    operations_.clear();
    log::debug("graphql_ws.closed", {{"connection", connection_id_}});
  }

 private:
  struct Operation {
    bool cancelled = false;
    std::unique_ptr<graphql::EventStream> stream;
    void cancel() {
      cancelled = true;
      if (stream) stream->close();
    }
  };

  // --- reading -------------------------------------------------------------------------------

  asio::awaitable<void> read_loop() {
    beast::flat_buffer buffer;
    for (;;) {
      beast::error_code ec;
      co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == websocket::error::message_too_big) close(websocket::close_code::too_big, "");
        co_return;
      }
      const std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (closing_) continue;

      boost::system::error_code parse_error;
      json::value message = json::parse(text, parse_error);
      if (parse_error || !message.is_object()) {
        bad_message("Message must be a JSON object");
        continue;
      }
      const auto& object = message.as_object();
      const auto* type = object.if_contains("type");
      if (!type || !type->is_string()) {
        bad_message("Message is missing the 'type' property");
        continue;
      }
      if (protocol_ == Protocol::legacy) {
        co_await on_legacy_message(type->as_string(), object);
      } else {
        co_await on_transport_message(type->as_string(), object);
      }
    }
  }

  void bad_message(std::string_view reason) {
    if (protocol_ == Protocol::legacy) {
      send(json::object{{"type", "connection_error"},
                        {"payload", json::object{{"message", reason}}}});
    } else {
      close(kBadRequest, reason);
    }
  }

  static std::optional<std::string> message_id(const json::object& message) {
    const auto* id = message.if_contains("id");
    if (id && id->is_string() && !id->as_string().empty()) return std::string(id->as_string());
    if (id && id->is_int64()) return std::to_string(id->as_int64());
    return std::nullopt;
  }

  // Reads {query, variables, operationName} of a start/subscribe payload.
  static std::optional<graphql::Request> operation_request(const json::object& message) {
    const auto* payload = message.if_contains("payload");
    if (!payload || !payload->is_object()) return std::nullopt;
    const auto& object = payload->as_object();
    const auto* query = object.if_contains("query");
    if (!query || !query->is_string()) return std::nullopt;
    graphql::Request request;
    request.query = std::string(query->as_string());
    if (const auto* v = object.if_contains("variables"); v && !v->is_null()) {
      if (!v->is_object()) return std::nullopt;
      request.variables = v->as_object();
    }
    if (const auto* name = object.if_contains("operationName"); name && name->is_string()) {
      request.operation_name = std::string(name->as_string());
    }
    return request;
  }

  // --- legacy subscriptions-transport-ws -----------------------------------------------------

  asio::awaitable<void> on_legacy_message(std::string_view type, const json::object& message) {
    const auto id = message_id(message);
    if (type == "connection_init") {
      if (!co_await authenticate(message)) {
        send(json::object{{"type", "connection_error"},
                          {"payload", json::object{{"message", kNeedToken}}}});
        close(websocket::close_code::internal_error, "");
        co_return;
      }
      send(json::object{{"type", "connection_ack"}});
      send(json::object{{"type", "ka"}});
      asio::co_spawn(ws_.get_executor(), keep_alive(shared_from_this()), asio::detached);
    } else if (type == "start") {
      const auto request = operation_request(message);
      if (!id || !request) {
        send_error(id, "A start message needs an id and a payload with a query");
      } else if (!caller_) {
        send_error(id, kNeedToken);
      } else {
        // A start with an id in use replaces that operation, as the legacy server does.
        stop(*id);
        start(*id, *request);
      }
    } else if (type == "stop") {
      if (id) {
        stop(*id);
      }
    } else if (type == "connection_terminate") {
      close(websocket::close_code::normal, "");
    } else {
      send_error(id, "Invalid message type!");
    }
  }

  void send_error(const std::optional<std::string>& id, std::string_view message) {
    json::object out{{"type", "error"}, {"payload", json::object{{"message", message}}}};
    if (id) out["id"] = *id;
    send(std::move(out));
  }

  asio::awaitable<void> keep_alive([[maybe_unused]] std::shared_ptr<Connection> self) {
    for (;;) {
      timer_.expires_after(options_.keep_alive);
      beast::error_code ec;
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec || closed_ || closing_) co_return;
      send(json::object{{"type", "ka"}});
    }
  }

  // --- graphql-transport-ws ------------------------------------------------------------------

  asio::awaitable<void> on_transport_message(std::string_view type, const json::object& message) {
    const auto id = message_id(message);
    if (type == "connection_init") {
      if (init_received_) {
        close(kTooManyInits, "Too many initialisation requests");
        co_return;
      }
      init_received_ = true;
      if (!co_await authenticate(message)) {
        close(kForbidden, "Forbidden");
        co_return;
      }
      timer_.cancel();
      send(json::object{{"type", "connection_ack"}});
    } else if (type == "subscribe") {
      if (!caller_) {
        close(kUnauthorized, "Unauthorized");
        co_return;
      }
      const auto request = operation_request(message);
      if (!id || !request) {
        close(kBadRequest, "Invalid message received");
        co_return;
      }
      if (operations_.contains(*id)) {
        close(kSubscriberExists, "Subscriber for " + *id + " already exists");
        co_return;
      }
      start(*id, *request);
    } else if (type == "complete") {
      if (id) stop(*id, false);
    } else if (type == "ping") {
      json::object pong{{"type", "pong"}};
      if (const auto* payload = message.if_contains("payload")) pong["payload"] = *payload;
      send(std::move(pong));
    } else if (type == "pong") {
      // An answer to nothing we asked, or to a client's own ping: nothing to do.
    } else {
      close(kBadRequest, "Invalid message received");
    }
  }

  asio::awaitable<void> init_deadline([[maybe_unused]] std::shared_ptr<Connection> self) {
    timer_.expires_after(options_.init_timeout);
    beast::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !init_received_ && !closed_)
      close(kInitTimeout, "Connection initialisation timeout");
  }

  // --- both ----------------------------------------------------------------------------------

  asio::awaitable<bool> authenticate(const json::object& message) {
    const auto* payload = message.if_contains("payload");
    const auto token = payload ? token_from_init_payload(*payload) : std::nullopt;
    if (!token) co_return false;
    std::optional<auth::AuthContext> caller;
    try {
      caller = co_await check_token_(*token);
    } catch (const std::exception& e) {
      log::error("graphql_ws.auth_failed", {{"connection", connection_id_}, {"error", e.what()}});
    }
    if (!caller) co_return false;
    caller_ = std::move(caller);
    co_return true;
  }

  void start(const std::string& id, const graphql::Request& request) {
    auto operation = std::make_shared<Operation>();
    operations_[id] = operation;
    asio::co_spawn(ws_.get_executor(), run_operation(shared_from_this(), id, request, operation),
                   asio::detached);
  }

  // Ends an operation the client no longer wants; the legacy protocol confirms with complete.
  void stop(const std::string& id, bool confirm = true) {
    const auto it = operations_.find(id);
    if (it == operations_.end()) return;
    it->second->cancel();
    operations_.erase(it);
    if (confirm && protocol_ == Protocol::legacy) send_complete(id);
  }

  void send_result(const std::string& id, json::object result) {
    const char* type = protocol_ == Protocol::legacy ? "data" : "next";
    send(json::object{{"type", type}, {"id", id}, {"payload", std::move(result)}});
  }

  void send_complete(const std::string& id) {
    send(json::object{{"type", "complete"}, {"id", id}});
  }

  // The operation ended on the server's side: tell the client, unless it stopped it.
  void finish(const std::string& id, const std::shared_ptr<Operation>& operation) {
    if (operation->cancelled) return;
    const auto it = operations_.find(id);
    if (it != operations_.end() && it->second == operation) operations_.erase(it);
    send_complete(id);
  }

  // Errors found before anything ran: graphql-transport-ws has a message for them; the legacy
  // protocol sends them as a result, then completes.
  void fail_before_execution(const std::string& id, const std::shared_ptr<Operation>& operation,
                             const graphql::Response& response) {
    if (operation->cancelled) return;
    if (protocol_ == Protocol::transport) {
      operations_.erase(id);
      send(json::object{{"type", "error"}, {"id", id}, {"payload", errors_json(response.errors)}});
      return;
    }
    send_result(id, response.to_json());
    finish(id, operation);
  }

  asio::awaitable<void> run_operation([[maybe_unused]] std::shared_ptr<Connection> self,
                                      std::string id, graphql::Request request,
                                      std::shared_ptr<Operation> operation) {
    const auto& executor = api_.executor();
    const auto type = operation_type(executor, request);
    try {
      if (type != graphql::ast::OperationType::kSubscription) {
        // Queries and mutations run once.
        // Named, not temporaries in the co_await expression: see Database::run on GCC 12.
        const std::any call_context = context();
        auto response = co_await executor.execute(request, call_context);
        if (operation->cancelled) co_return;
        if (response.failed_before_execution()) {
          fail_before_execution(id, operation, response);
        } else {
          send_result(id, response.to_json());
          finish(id, operation);
        }
        co_return;
      }

      auto resolved = executor.subscribe(request);
      if (auto* failed = std::get_if<graphql::Response>(&resolved)) {
        fail_before_execution(id, operation, *failed);
        co_return;
      }
      const auto& subscription = std::get<graphql::Subscription>(resolved);
      const std::string field_name = subscription.field->name;
      std::unique_ptr<graphql::EventStream> stream;
      try {
        check_field_access(*subscription.field, caller_ ? *caller_ : auth::AuthContext{});
        const auto* source = api_.subscription_sources().find(field_name);
        if (!source) {
          throw graphql::Error("The subscription " + field_name + " is not available yet.",
                               "NOT_IMPLEMENTED");
        }
        const std::any open_context = context();
        stream = co_await (*source)(subscription, open_context);
      } catch (const graphql::Error& e) {
        graphql::GraphQLError error;
        error.message = e.what();
        error.extensions = e.extensions();
        error.extensions["code"] = e.code();
        error.path.push_back(json::string(subscription.response_key));
        graphql::Response refused;
        refused.errors.push_back(std::move(error));
        if (operation->cancelled) co_return;
        send_result(id, refused.to_json());
        finish(id, operation);
        co_return;
      }
      if (operation->cancelled) {
        stream->close();
        co_return;
      }
      operation->stream = std::move(stream);
      log::debug("graphql_ws.subscribed",
                 {{"connection", connection_id_}, {"operation", id}, {"field", field_name}});

      // One execution per event, with the event as the root field's value.
      while (auto event = co_await operation->stream->next()) {
        if (operation->cancelled) break;
        json::object root{{field_name, std::move(*event)}};
        const std::any event_context = context();
        const json::value root_value = std::move(root);
        auto response = co_await executor.execute(request, event_context, root_value);
        if (operation->cancelled) break;
        send_result(id, response.to_json());
      }
      finish(id, operation);
    } catch (const std::exception& e) {
      log::error("graphql_ws.operation_failed",
                 {{"connection", connection_id_}, {"operation", id}, {"error", e.what()}});
      finish(id, operation);
    }
  }

  RequestContext context() const {
    return api_.make_context(caller_ ? *caller_ : auth::AuthContext{}, "ws-" + connection_id_);
  }

  // --- writing -------------------------------------------------------------------------------
  // Frames go out one at a time, in order, from one writer coroutine on the socket's strand.

  struct Outgoing {
    std::string text;
    std::optional<websocket::close_reason> close;
  };

  void send(json::object message) {
    if (closed_ || closing_) return;
    outbox_.push_back(Outgoing{json::serialize(message), std::nullopt});
    pump();
  }

  void close(uint16_t code, std::string_view reason) {
    if (closed_ || closing_) return;
    closing_ = true;
    websocket::close_reason why(code);
    why.reason = std::string(reason.substr(0, 120));
    outbox_.push_back(Outgoing{{}, why});
    pump();
  }
  void close(websocket::close_code code, std::string_view reason) {
    close(static_cast<uint16_t>(code), reason);
  }

  void pump() {
    if (writing_) return;
    writing_ = true;
    asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), asio::detached);
  }

  asio::awaitable<void> write_loop([[maybe_unused]] std::shared_ptr<Connection> self) {
    while (!outbox_.empty() && !closed_) {
      Outgoing next = std::move(outbox_.front());
      outbox_.pop_front();
      beast::error_code ec;
      if (next.close) {
        co_await ws_.async_close(*next.close, asio::redirect_error(asio::use_awaitable, ec));
        closed_ = true;
      } else {
        co_await ws_.async_write(asio::buffer(next.text),
                                 asio::redirect_error(asio::use_awaitable, ec));
        if (ec) closed_ = true;
      }
    }
    outbox_.clear();
    writing_ = false;
  }

  websocket::stream<beast::tcp_stream> ws_;
  Protocol protocol_;
  GraphqlApi& api_;
  const TokenCheck& check_token_;
  const WebSocketOptions& options_;
  asio::steady_timer timer_;  // keep-alive (legacy) or the init deadline (transport)
  std::string connection_id_;

  std::optional<auth::AuthContext> caller_;
  bool init_received_ = false;
  std::map<std::string, std::shared_ptr<Operation>> operations_;
  std::deque<Outgoing> outbox_;
  bool writing_ = false;
  bool closing_ = false;  // a close frame is queued: nothing else goes out
  bool closed_ = false;
};

// Refuses a socket whose client speaks neither protocol: accepted, then closed as a protocol
// error, the way the legacy server answers such clients.
asio::awaitable<void> refuse(beast::tcp_stream stream,
                             net::http::request<net::http::empty_body> request) {
  websocket::stream<beast::tcp_stream> ws(std::move(stream));
  beast::error_code ec;
  co_await ws.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  websocket::close_reason why(websocket::close_code::protocol_error);
  why.reason = "Subprotocol not acceptable";
  co_await ws.async_close(why, asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

std::optional<std::string> token_from_init_payload(const json::value& payload) {
  const auto* object = payload.if_object();
  if (!object) return std::nullopt;
  auto header_in = [](const json::object& o) -> const json::value* {
    if (const auto* v = o.if_contains("Authorization")) return v;
    return o.if_contains("authorization");
  };
  const json::value* value = header_in(*object);
  if (!value) {
    if (const auto* headers = object->if_contains("headers"); headers && headers->is_object()) {
      value = header_in(headers->as_object());
    }
  }
  if (!value || !value->is_string()) return std::nullopt;
  std::string_view text = value->as_string();
  constexpr std::string_view kBearer = "Bearer ";
  if (text.starts_with(kBearer)) text.remove_prefix(kBearer.size());
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

void install_websocket(net::Server& server, GraphqlApi& api, TokenCheck check_token,
                       WebSocketOptions options) {
  // The handler lives as long as the server; connections refer to these.
  auto shared_check = std::make_shared<TokenCheck>(std::move(check_token));
  auto shared_options = std::make_shared<WebSocketOptions>(options);
  auto registry = std::make_shared<Registry>();
  server.on_shutdown([registry] {
    std::lock_guard lock(registry->mutex);
    for (const auto& [raw, weak] : registry->connections) {
      if (auto connection = weak.lock()) connection->shut_down();
    }
  });

  auto handler = [&api, shared_check, shared_options, registry](
                     beast::tcp_stream stream,
                     net::http::request<net::http::empty_body> request) -> asio::awaitable<void> {
    const auto protocol = negotiate(request[net::http::field::sec_websocket_protocol]);
    if (!protocol) {
      co_await refuse(std::move(stream), std::move(request));
      co_return;
    }
    auto connection = std::make_shared<Connection>(std::move(stream), *protocol, api, *shared_check,
                                                   *shared_options);
    {
      std::lock_guard lock(registry->mutex);
      registry->connections[connection.get()] = connection;
    }
    co_await connection->run(std::move(request));
    std::lock_guard lock(registry->mutex);
    registry->connections.erase(connection.get());
  };
  server.upgrade("/graphql", std::move(handler));
}

}  // namespace stipple::api
