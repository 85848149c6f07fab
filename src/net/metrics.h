// Prometheus metrics of the process. Modules add their own families to registry(); the HTTP
// server records request counts and durations by method, route template and status.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace stipple::net {

class Metrics {
 public:
  Metrics();

  prometheus::Registry& registry() { return *registry_; }

  void observe_request(std::string_view method, std::string_view route, int status, double seconds);

  // Called before every scrape, so gauges that mirror other state (pool sizes) are fresh.
  void on_scrape(std::function<void()> refresh);

  // The text exposition format (version 0.0.4).
  std::string render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  std::mutex mutex_;
  std::vector<std::function<void()>> refreshers_;
};

}  // namespace stipple::net
