// A batch loader (the DataLoader pattern): resolvers ask for one key each; the loader collects
// the keys asked for while the event loop has other work ready, then loads them in one call.
//
//   graphql::Loader<std::string, json::value> users{
//       [&db](std::vector<std::string> ids) -> asio::awaitable<std::vector<json::value>> {
//         co_return co_await db.users_by_ids(ids);  // one value per id, in order
//       }};
//   json::value user = co_await users.load(id);
//
// Make one loader per request (keep it in the request context): it caches every value it loaded
// for its whole life. A loader is used from one executor at a time and must outlive the
// execution that uses it.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stipple::graphql {

template <class K, class V, class Hash = std::hash<K>>
class Loader {
 public:
  // Loads many keys at once; returns one value per key, in the order of the keys.
  using BatchFn = std::function<boost::asio::awaitable<std::vector<V>>(std::vector<K>)>;

  explicit Loader(BatchFn batch, size_t max_batch = 500)
      : batch_(std::move(batch)), max_batch_(max_batch) {}

  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // The value of one key, loaded with the other keys asked for in the same tick.
  boost::asio::awaitable<V> load(K key) {
    namespace asio = boost::asio;
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second->done) {
      if (it->second->error) std::rethrow_exception(it->second->error);
      co_return *it->second->value;
    }

    // A new key joins the pending batch; a known one waits for the batch it is in.
    std::shared_ptr<Entry> entry;
    if (it == entries_.end()) {
      entry = std::make_shared<Entry>();
      entries_.emplace(key, entry);
      pending_.push_back(std::move(key));
      schedule(co_await asio::this_coro::executor);
    } else {
      entry = it->second;
    }
    // The initiation holds a plain pointer (the frame's `entry` keeps the entry alive): GCC 12
    // destroys capturing temporaries of a co_await expression twice.
    Entry* const waiting = entry.get();
    const auto initiation = [waiting](auto handler) {
      waiting->waiters.emplace_back(std::move(handler));
    };
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                            void(std::exception_ptr, V)>(initiation,
                                                                         asio::use_awaitable);
  }

  // The values of several keys, in order.
  boost::asio::awaitable<std::vector<V>> load_many(std::vector<K> keys) {
    // Ask for every key before waiting for the first, so that they share a batch.
    for (const K& k : keys) {
      if (!entries_.count(k)) {
        entries_.emplace(k, std::make_shared<Entry>());
        pending_.push_back(k);
      }
    }
    if (!pending_.empty()) schedule(co_await boost::asio::this_coro::executor);
    std::vector<V> out;
    out.reserve(keys.size());
    for (K& k : keys) out.push_back(co_await load(std::move(k)));
    co_return out;
  }

  // Seeds the cache with a value loaded elsewhere.
  void prime(const K& key, V value) {
    if (entries_.count(key)) return;
    auto entry = std::make_shared<Entry>();
    entry->done = true;
    entry->value = std::move(value);
    entries_.emplace(key, std::move(entry));
  }

 private:
  using Handler = boost::asio::any_completion_handler<void(std::exception_ptr, V)>;

  struct Entry {
    bool done = false;
    std::optional<V> value;
    std::exception_ptr error;
    std::vector<Handler> waiters;
  };

  // Coroutines that are ready to run may still ask for keys: the batch waits for a tick in which
  // no key was added, at most this many ticks.
  static constexpr int kMaxWaitTicks = 8;

  void schedule(const boost::asio::any_io_executor& ex) {
    if (scheduled_) return;
    scheduled_ = true;
    boost::asio::co_spawn(ex, dispatch(), boost::asio::detached);
  }

  boost::asio::awaitable<void> dispatch() {
    namespace asio = boost::asio;
    auto ex = co_await asio::this_coro::executor;
    for (int tick = 0; tick < kMaxWaitTicks; ++tick) {
      const size_t before = pending_.size();
      co_await asio::post(ex, asio::use_awaitable);
      if (pending_.size() == before) break;
    }
    scheduled_ = false;
    std::vector<K> keys = std::move(pending_);
    pending_.clear();

    // Load in chunks of at most max_batch_ keys.
    for (size_t start = 0; start < keys.size(); start += max_batch_) {
      const size_t end = std::min(keys.size(), start + max_batch_);
      std::vector<K> chunk(keys.begin() + static_cast<std::ptrdiff_t>(start),
                           keys.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<V> values;
      std::exception_ptr error;
      try {
        values = co_await batch_(chunk);
        if (values.size() != chunk.size()) {
          throw std::logic_error("batch function returned " + std::to_string(values.size()) +
                                 " values for " + std::to_string(chunk.size()) + " keys");
        }
      } catch (...) {
        error = std::current_exception();
      }
      for (size_t i = 0; i < chunk.size(); ++i) {
        const auto& entry = entries_.at(chunk[i]);
        entry->done = true;
        if (error) {
          entry->error = error;
        } else {
          entry->value = std::move(values[i]);
        }
        complete(ex, *entry);
      }
    }
  }

  // Wakes the waiters of an entry, each through the executor.
  static void complete(const boost::asio::any_io_executor& ex, Entry& entry) {
    std::vector<Handler> waiters = std::move(entry.waiters);
    entry.waiters.clear();
    for (Handler& h : waiters) {
      boost::asio::post(ex, [h = std::move(h), error = entry.error,
                             value = entry.value ? *entry.value : V{}]() mutable {
        std::move(h)(error, std::move(value));
      });
    }
  }

  BatchFn batch_;
  size_t max_batch_;
  std::unordered_map<K, std::shared_ptr<Entry>, Hash> entries_;
  std::vector<K> pending_;
  bool scheduled_ = false;
};

}  // namespace stipple::graphql
