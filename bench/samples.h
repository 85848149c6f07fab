// Latency samples of the C++ benchmarks: durations of single iterations, printed as microsecond
// percentiles.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace stipple::bench {

class Samples {
 public:
  void add(std::chrono::steady_clock::duration d) {
    ns_.push_back(std::chrono::duration<double, std::nano>(d).count());
  }

  double percentile(double p) {
    std::sort(ns_.begin(), ns_.end());
    const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(ns_.size() - 1));
    return ns_[at];
  }

  double mean() const {
    double sum = 0;
    for (const double v : ns_) sum += v;
    return sum / static_cast<double>(ns_.size());
  }

  std::size_t size() const { return ns_.size(); }

 private:
  std::vector<double> ns_;
};

// One line of microsecond figures: p50, p90, p99, max and mean over the samples.
inline void print_micros(const char* label, Samples& s) {
  std::printf("  %-34s %9.2f %9.2f %9.2f %9.2f %9.2f   (%zu runs)\n", label, s.percentile(50) / 1e3,
              s.percentile(90) / 1e3, s.percentile(99) / 1e3, s.percentile(100) / 1e3,
              s.mean() / 1e3, s.size());
}

}  // namespace stipple::bench
