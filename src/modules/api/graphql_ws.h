// GraphQL over WebSocket on /graphql, in both protocols Speckle clients meet:
//
// - the legacy subscriptions-transport-ws protocol (sub-protocol `graphql-ws`), which every
//   Speckle client and the web app use: connection_init / connection_ack / ka, start / stop,
//   data / error / complete, connection_error, connection_terminate;
// - the newer graphql-transport-ws protocol (sub-protocol `graphql-transport-ws`):
//   connection_init / connection_ack, subscribe / next / error / complete, ping / pong, and
//   errors answered by closing the socket with the protocol's 44xx codes.
//
// Either way the token comes only from the connection_init payload (`Authorization`,
// `authorization`, or either inside `headers`; "Bearer <token>"), as upstream reads it, and a
// socket without a valid token cannot subscribe. Each operation runs on the socket's strand:
// subscriptions open their event stream from the source registered for their root field and
// execute the operation once per event; queries and mutations run once and complete.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "modules/auth/context.h"

namespace stipple::net {
class Server;
}

namespace stipple::api {

class GraphqlApi;

// Turns a presented token into its caller; nullopt for a token that is not valid.
using TokenCheck =
    std::function<boost::asio::awaitable<std::optional<auth::AuthContext>>(std::string token)>;

struct WebSocketOptions {
  std::chrono::milliseconds keep_alive{30000};   // legacy protocol: `ka` interval
  std::chrono::milliseconds init_timeout{3000};  // graphql-transport-ws: connection_init deadline
  std::size_t max_message_bytes = 1 << 20;
};

// Serves GraphQL over WebSocket on `/graphql` of `server`, with `api`'s executor and sources.
void install_websocket(net::Server& server, GraphqlApi& api, TokenCheck check_token,
                       WebSocketOptions options);

// The token in a connection_init payload, "Bearer " removed; nullopt when there is none.
std::optional<std::string> token_from_init_payload(const boost::json::value& payload);

}  // namespace stipple::api
