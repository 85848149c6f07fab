#include "net/metrics.h"

#include <prometheus/text_serializer.h>

namespace stipple::net {

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("stipple_http_requests_total")
                    .Help("HTTP requests answered, by method, route template and status")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("stipple_http_request_duration_seconds")
                     .Help("Time from the request's headers to the end of its response")
                     .Register(*registry_)) {}

void Metrics::observe_request(std::string_view method, std::string_view route, int status,
                              double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  const std::map<std::string, std::string> labels = {{"method", std::string(method)},
                                                     {"route", std::string(route)},
                                                     {"status", std::to_string(status)}};
  requests_.Add(labels).Increment();
  durations_.Add(labels, kBuckets).Observe(seconds);
}

void Metrics::on_scrape(std::function<void()> refresh) {
  std::lock_guard lock(mutex_);
  refreshers_.push_back(std::move(refresh));
}

std::string Metrics::render() {
  {
    std::lock_guard lock(mutex_);
    for (const auto& refresh : refreshers_) refresh();
  }
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace stipple::net
