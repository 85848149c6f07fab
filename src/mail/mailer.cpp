#include "mail/mailer.h"

#include <algorithm>
#include <cassert>

#include "base/log.h"

namespace stipple::mail {

Mailer::Mailer(std::unique_ptr<Transport> transport, RetryPolicy policy)
    : transport_(std::move(transport)), policy_(policy) {
  assert(transport_ && policy_.attempts >= 1);
  worker_ = std::thread([this] { work(); });
}

Mailer::~Mailer() {
  wait_idle(kDrainOnStop);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
  for (const auto& entry : queue_) {
    log::warn("mail.dropped", {{"to", entry.message.to}, {"subject", entry.message.subject}},
              "e-mail not sent: the server stopped first");
  }
}

void Mailer::send(Message message) {
  {
    std::lock_guard lock(mutex_);
    enqueue(Entry{std::move(message), 0, Clock::now()});
  }
  changed_.notify_all();
}

bool Mailer::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void Mailer::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    // Sleep until the earliest message is due, a new one arrives, or we stop.
    if (stopping_) return;
    if (queue_.empty()) {
      changed_.wait(lock);
      continue;
    }
    if (queue_.front().due > Clock::now()) {
      changed_.wait_until(lock, queue_.front().due);
      continue;
    }

    // Send outside the lock so requests can queue meanwhile.
    Entry entry = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    deliver(std::move(entry));
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

void Mailer::deliver(Entry entry) {
  ++entry.attempt;
  try {
    transport_->send(entry.message);
    log::info("mail.sent",
              {{"to", entry.message.to},
               {"subject", entry.message.subject},
               {"attempt", entry.attempt},
               {"transport", transport_->kind()}},
              "e-mail sent");
    return;
  } catch (const std::exception& e) {
    if (entry.attempt >= policy_.attempts) {
      log::error("mail.failed",
                 {{"to", entry.message.to},
                  {"subject", entry.message.subject},
                  {"attempts", entry.attempt},
                  {"error", e.what()}},
                 "e-mail not sent; giving up");
      return;
    }
    log::warn("mail.retry",
              {{"to", entry.message.to}, {"attempt", entry.attempt}, {"error", e.what()}},
              "e-mail not sent; will try again");
  }

  // Try again later: first_delay, then backoff times longer each time.
  auto delay = policy_.first_delay;
  for (int i = 1; i < entry.attempt; ++i) delay *= policy_.backoff;
  entry.due = Clock::now() + delay;
  {
    std::lock_guard lock(mutex_);
    enqueue(std::move(entry));
  }
  changed_.notify_all();
}

void Mailer::enqueue(Entry entry) {
  // Keep the queue ordered by due time; equal times keep their arrival order.
  const auto at = std::find_if(queue_.begin(), queue_.end(),
                               [&](const Entry& other) { return other.due > entry.due; });
  queue_.insert(at, std::move(entry));
}

}  // namespace stipple::mail
