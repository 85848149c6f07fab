// The seam between a subscription transport (WebSocket) and the application that produces events.
// The transport resolves a subscription request with Executor::subscribe(), asks the source
// registered for its root field to open a stream, then, for every payload the stream yields,
// calls Executor::execute() with the same request, the caller's context and
// `{"<field name>": payload}` as the root value.
#pragma once

#include <any>
#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "graphql/graphql.h"

namespace stipple::graphql {

// One subscriber's events for one subscription. The source filters and authorises: what next()
// yields is meant for this subscriber.
class EventStream {
 public:
  virtual ~EventStream() = default;

  // Waits for the next payload; nullopt once the stream has ended (closed, or its source gone).
  virtual boost::asio::awaitable<std::optional<boost::json::value>> next() = 0;

  // Ends the stream: a pending or later next() answers nullopt. Idempotent and thread-safe.
  virtual void close() = 0;
};

// Opens the stream of a subscription request. `context` is the one the transport hands to
// execute() (the application's request context). Throws GraphQLError to refuse the subscription
// (e.g. FORBIDDEN); the transport reports it as the subscription's error.
using SubscriptionSource = std::function<boost::asio::awaitable<std::unique_ptr<EventStream>>(
    const Subscription& subscription, const std::any& context)>;

// The sources, by root field name of the Subscription type. Filled before serving starts, read
// concurrently afterwards.
class SubscriptionSources {
 public:
  void add(std::string field_name, SubscriptionSource source) {
    sources_[std::move(field_name)] = std::move(source);
  }

  // The source of a field, or nullptr when no module serves it.
  const SubscriptionSource* find(std::string_view field_name) const {
    const auto it = sources_.find(field_name);
    return it == sources_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, SubscriptionSource, std::less<>> sources_;
};

}  // namespace stipple::graphql
