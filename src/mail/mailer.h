// The outbox: requests hand messages to the mailer and return at once; one background thread
// delivers them through the transport, retrying a failed send a few times with growing delays
// before giving up. Every failure is logged; nothing is reported back to the request that asked.
//
// Not handled yet: the outbox lives in memory. When the mailer is destroyed it keeps sending for
// up to kDrainOnStop; messages still waiting after that (e.g. for a retry) are lost, each logged
// as dropped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "mail/message.h"
#include "mail/transport.h"

namespace stipple::mail {

inline constexpr std::chrono::seconds kDrainOnStop{5};

struct RetryPolicy {
  int attempts = 4;                             // sends tried per message, the first included
  std::chrono::milliseconds first_delay{2000};  // wait before the second attempt
  int backoff = 5;                              // each later wait is this many times longer
};

class Mailer {
 public:
  explicit Mailer(std::unique_ptr<Transport> transport, RetryPolicy policy = {});
  // Sends what it can within kDrainOnStop, then stops the worker; the rest is dropped.
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // Queues the message; never waits for the network.
  void send(Message message);

  // Waits until every queued message was delivered or given up; false on timeout. For tests and
  // for shutting down gracefully.
  bool wait_idle(std::chrono::milliseconds timeout);

  std::string_view kind() const { return transport_->kind(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Message message;
    int attempt = 0;  // sends tried so far
    Clock::time_point due;
  };

  void work();
  void deliver(Entry entry);
  void enqueue(Entry entry);  // with mutex_ held

  std::unique_ptr<Transport> transport_;
  RetryPolicy policy_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Entry> queue_;  // ordered by due time
  bool busy_ = false;        // a send is in progress
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace stipple::mail
