// The event bus behind live updates: modules publish what changed on a named channel, and every
// listener of that channel — GraphQL subscriptions, later webhooks — receives the payload.
//
// On the embedded default the bus lives in the process. With REDIS_URL set, every event goes
// through Redis pub/sub, so that all Stipple processes sharing that Redis (replicas behind one
// load balancer) deliver it to their own listeners: a process hears its own events back from
// Redis, never directly, so every process sees the same order.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace stipple::events {

// Called on the thread that delivers the event (the publisher's, or the Redis reader's); it
// must not block. The payload is shared by every listener, hence const.
using Listener = std::function<void(const boost::json::value& payload)>;

class EventBus;

// Keeps a listener registered; unregisters on destruction. After the destructor returns the
// listener is never called again.
class ListenerHandle {
 public:
  ListenerHandle() = default;
  ListenerHandle(EventBus* bus, uint64_t id) : bus_(bus), id_(id) {}
  ListenerHandle(ListenerHandle&& other) noexcept { *this = std::move(other); }
  ListenerHandle& operator=(ListenerHandle&& other) noexcept;
  ListenerHandle(const ListenerHandle&) = delete;
  ListenerHandle& operator=(const ListenerHandle&) = delete;
  ~ListenerHandle() { reset(); }
  void reset();

 private:
  EventBus* bus_ = nullptr;
  uint64_t id_ = 0;
};

class EventBus {
 public:
  virtual ~EventBus() = default;

  // Sends an event to every listener of `channel`, in every process of the deployment.
  // Never throws: a bus that cannot reach Redis logs and drops the event (live updates are
  // best effort; the data itself is already stored).
  virtual void publish(std::string_view channel, const boost::json::value& payload) = 0;

  // Registers a listener of `channel`.
  ListenerHandle listen(std::string channel, Listener listener);

  std::size_t listener_count() const;

 protected:
  // Delivers an event to this process's listeners of `channel`.
  void deliver(std::string_view channel, const boost::json::value& payload) const;

 private:
  friend class ListenerHandle;
  void unlisten(uint64_t id);

  struct Entry {
    std::string channel;
    std::shared_ptr<const Listener> listener;
  };
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Entry> listeners_;
  // Unregistering waits until no delivery is running, so a listener never outlives its handle.
  mutable std::recursive_mutex delivering_;
};

// The in-process bus: publish() delivers synchronously to this process's listeners.
std::unique_ptr<EventBus> make_local_bus();

// The Redis bus: PUBLISH on `stipple:<channel>`; one reader thread holds a PSUBSCRIBE on
// `stipple:*` and delivers to this process's listeners. Reconnects with back-off when Redis goes
// away. `redis_url`: redis://[:password@]host[:port][/db].
std::unique_ptr<EventBus> make_redis_bus(const std::string& redis_url);

}  // namespace stipple::events
