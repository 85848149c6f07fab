#include "modules/events/event_bus.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/log.h"
#include "bus/redis.h"

namespace stipple::events {

namespace json = boost::json;

// --- listeners -----------------------------------------------------------------------------------

ListenerHandle& ListenerHandle::operator=(ListenerHandle&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = std::exchange(other.bus_, nullptr);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void ListenerHandle::reset() {
  if (bus_) bus_->unlisten(id_);
  bus_ = nullptr;
  id_ = 0;
}

ListenerHandle EventBus::listen(std::string channel, Listener listener) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  listeners_[id] = Entry{std::move(channel), std::make_shared<const Listener>(std::move(listener))};
  return ListenerHandle(this, id);
}

void EventBus::unlisten(uint64_t id) {
  std::lock_guard delivering(delivering_);
  std::lock_guard lock(mutex_);
  listeners_.erase(id);
}

std::size_t EventBus::listener_count() const {
  std::lock_guard lock(mutex_);
  return listeners_.size();
}

void EventBus::deliver(std::string_view channel, const json::value& payload) const {
  std::lock_guard delivering(delivering_);
  std::vector<std::shared_ptr<const Listener>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : listeners_) {
      if (entry.channel == channel) targets.push_back(entry.listener);
    }
  }
  for (const auto& listener : targets) {
    try {
      (*listener)(payload);
    } catch (const std::exception& e) {
      log::error("events.listener_failed", {{"channel", channel}, {"error", e.what()}});
    }
  }
}

// --- in process ----------------------------------------------------------------------------------

namespace {

class LocalBus final : public EventBus {
 public:
  void publish(std::string_view channel, const json::value& payload) override {
    deliver(channel, payload);
  }
};

}  // namespace

std::unique_ptr<EventBus> make_local_bus() {
  return std::make_unique<LocalBus>();
}

// --- Redis ---------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kChannelPrefix = "stipple:";

using bus::RedisAddress;
using ContextPtr = bus::RedisContextPtr;
using ReplyPtr = bus::RedisReplyPtr;

class RedisBus final : public EventBus {
 public:
  explicit RedisBus(RedisAddress address) : address_(std::move(address)) {
    reader_ = std::thread([this] { read_loop(); });
    // Events published before the subscription is in place would be lost; wait for it briefly.
    std::unique_lock lock(state_mutex_);
    state_changed_.wait_for(lock, std::chrono::seconds(5), [this] { return subscribed_; });
  }

  ~RedisBus() override {
    stopping_ = true;
    {
      std::lock_guard lock(reader_mutex_);
      // Unblocks the reader's pending read.
      if (reader_context_) shutdown(reader_context_->fd, SHUT_RDWR);
    }
    reader_.join();
    if (publisher_) redisFree(publisher_);
  }

  void publish(std::string_view channel, const json::value& payload) override {
    const std::string message = json::serialize(payload);
    const std::string key = std::string(kChannelPrefix) + std::string(channel);
    std::lock_guard lock(publish_mutex_);
    // One retry on a fresh connection: the first attempt may meet a connection Redis closed.
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!publisher_)
          publisher_ = bus::redis_connect(address_, std::chrono::seconds(2)).release();
        auto reply = bus::redis_command(publisher_, {"PUBLISH", key, message});
        if (reply && reply->type != REDIS_REPLY_ERROR) return;
        const std::string reason = reply ? reply->str : publisher_->errstr;
        redisFree(publisher_);
        publisher_ = nullptr;
        if (attempt == 1) throw std::runtime_error(reason);
      } catch (const std::exception& e) {
        if (publisher_) redisFree(publisher_);
        publisher_ = nullptr;
        if (attempt == 1) {
          log::error("events.publish_failed", {{"channel", channel}, {"error", e.what()}},
                     "event dropped: Redis is unreachable");
        }
      }
    }
  }

 private:
  void read_loop() {
    auto backoff = std::chrono::milliseconds(100);
    while (!stopping_) {
      try {
        ContextPtr context = bus::redis_connect(address_, std::chrono::seconds(2));
        // Reads block without a deadline: a quiet channel is normal.
        redisSetTimeout(context.get(), timeval{0, 0});
        auto reply =
            bus::redis_command(context.get(), {"PSUBSCRIBE", std::string(kChannelPrefix) + "*"});
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
          throw std::runtime_error(reply ? reply->str : context->errstr);
        }
        {
          std::lock_guard lock(reader_mutex_);
          reader_context_ = context.get();
        }
        mark_subscribed(true);
        log::info("events.redis_subscribed", {{"host", address_.host}, {"port", address_.port}});
        backoff = std::chrono::milliseconds(100);
        read_messages(context.get());
        {
          std::lock_guard lock(reader_mutex_);
          reader_context_ = nullptr;
        }
        mark_subscribed(false);
      } catch (const std::exception& e) {
        if (stopping_) break;
        log::warn("events.redis_unavailable",
                  {{"error", e.what()}, {"retry_ms", static_cast<int64_t>(backoff.count())}},
                  "live updates from other processes are paused");
      }
      if (stopping_) break;
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
    mark_subscribed(false);
  }

  // Delivers pmessage replies until the connection fails or the bus stops.
  void read_messages(redisContext* context) {
    while (!stopping_) {
      void* raw = nullptr;
      if (redisGetReply(context, &raw) != REDIS_OK) {
        if (!stopping_) throw std::runtime_error(context->errstr);
        return;
      }
      ReplyPtr reply(static_cast<redisReply*>(raw), freeReplyObject);
      // ["pmessage", pattern, channel, message]
      if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 4) continue;
      const std::string_view kind(reply->element[0]->str, reply->element[0]->len);
      if (kind != "pmessage") continue;
      std::string_view channel(reply->element[2]->str, reply->element[2]->len);
      channel.remove_prefix(std::min(channel.size(), kChannelPrefix.size()));
      boost::system::error_code error;
      const json::value payload =
          json::parse(std::string_view(reply->element[3]->str, reply->element[3]->len), error);
      if (error) {
        log::warn("events.bad_message", {{"channel", channel}}, "not JSON; dropped");
        continue;
      }
      deliver(channel, payload);
    }
  }

  void mark_subscribed(bool value) {
    std::lock_guard lock(state_mutex_);
    subscribed_ = value;
    state_changed_.notify_all();
  }

  RedisAddress address_;
  std::atomic<bool> stopping_{false};
  std::thread reader_;
  std::mutex reader_mutex_;
  redisContext* reader_context_ = nullptr;
  std::mutex state_mutex_;
  std::condition_variable state_changed_;
  bool subscribed_ = false;
  std::mutex publish_mutex_;
  redisContext* publisher_ = nullptr;
};

}  // namespace

std::unique_ptr<EventBus> make_redis_bus(const std::string& redis_url) {
  return std::make_unique<RedisBus>(bus::parse_redis_url(redis_url));
}

}  // namespace stipple::events
