// A GraphQL subscription's event stream fed by the event bus: it listens on one channel, keeps the
// events its filter accepts in a queue, and hands them to the transport one by one.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "graphql/subscription_source.h"
#include "modules/events/event_bus.h"

namespace stipple::events {

// Decides on the delivering thread whether a subscriber wants an event, and what it receives:
// nullopt drops the event. Must be cheap and must not block.
using EventFilter = std::function<std::optional<boost::json::value>(const boost::json::value&)>;

// Opens a stream of `channel`'s events that pass `filter`. Its next() must be awaited on
// `executor`, a strand (the subscriber's connection). A subscriber that falls more than
// `max_queued` events behind loses the oldest ones (logged).
std::unique_ptr<graphql::EventStream> open_bus_stream(EventBus& bus,
                                                      boost::asio::any_io_executor executor,
                                                      std::string channel, EventFilter filter,
                                                      std::size_t max_queued = 1000);

}  // namespace stipple::events
