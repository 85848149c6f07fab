#include "modules/events/bus_stream.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>

#include "base/log.h"

namespace stipple::events {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// What the listener and the stream share; the listener may outlive the stream by one delivery.
struct Queue {
  explicit Queue(asio::any_io_executor executor) : wakeup(std::move(executor)) {}

  std::mutex mutex;
  std::deque<json::value> events;
  bool closed = false;
  std::size_t dropped = 0;
  asio::steady_timer wakeup;  // waits on the subscriber's executor; cancelled to wake it

  // Wakes a pending next(): the cancel runs on the subscriber's executor, so it cannot slip in
  // between next()'s check of the queue and its wait.
  void notify(const std::shared_ptr<Queue>& self) {
    asio::post(wakeup.get_executor(), [self] { self->wakeup.cancel(); });
  }
};

class BusStream final : public graphql::EventStream {
 public:
  BusStream(std::shared_ptr<Queue> queue, ListenerHandle handle)
      : queue_(std::move(queue)), handle_(std::move(handle)) {}
  ~BusStream() override { close(); }

  asio::awaitable<std::optional<json::value>> next() override {
    for (;;) {
      {
        std::lock_guard lock(queue_->mutex);
        if (queue_->closed) co_return std::nullopt;
        if (!queue_->events.empty()) {
          json::value event = std::move(queue_->events.front());
          queue_->events.pop_front();
          co_return event;
        }
      }
      queue_->wakeup.expires_at(asio::steady_timer::time_point::max());
      boost::system::error_code ignored;
      co_await queue_->wakeup.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
  }

  void close() override {
    {
      std::lock_guard lock(queue_->mutex);
      if (queue_->closed) return;
      queue_->closed = true;
    }
    handle_.reset();
    queue_->notify(queue_);
  }

 private:
  std::shared_ptr<Queue> queue_;
  ListenerHandle handle_;
};

}  // namespace

std::unique_ptr<graphql::EventStream> open_bus_stream(EventBus& bus, asio::any_io_executor executor,
                                                      std::string channel, EventFilter filter,
                                                      std::size_t max_queued) {
  auto queue = std::make_shared<Queue>(std::move(executor));
  std::weak_ptr<Queue> weak = queue;
  auto handle = bus.listen(
      channel, [weak, filter = std::move(filter), max_queued, channel](const json::value& payload) {
        const auto queue = weak.lock();
        if (!queue) return;
        auto accepted = filter(payload);
        if (!accepted) return;
        {
          std::lock_guard lock(queue->mutex);
          if (queue->closed) return;
          queue->events.push_back(std::move(*accepted));
          if (queue->events.size() > max_queued) {
            queue->events.pop_front();
            if (queue->dropped++ % 100 == 0) {
              log::warn("events.subscriber_behind", {{"channel", channel}},
                        "a slow subscriber lost its oldest events");
            }
          }
        }
        queue->notify(queue);
      });
  return std::make_unique<BusStream>(std::move(queue), std::move(handle));
}

}  // namespace stipple::events
