#pragma once

// Counters, gauges and histograms with labels, rendered in the Prometheus
// text exposition format 0.0.4. Metric objects live as long as the registry and
// never move, so callers may keep references and update them lock-free.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vpnbot::metrics {

using labels = std::vector<std::pair<std::string, std::string>>;

class counter {
 public:
  void inc(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1.0) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class histogram {
 public:
  explicit histogram(std::vector<double> upper_bounds);
  void observe(double v);

  struct snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  snapshot read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, last is +Inf
  std::atomic<double> sum_{0.0};
  std::atomic<uint64_t> count_{0};
};

// Latency buckets in seconds, from half a millisecond to half a minute.
std::vector<double> latency_buckets();

enum class metric_type { counter, gauge, histogram };

// What a family is: declared by a subsystem's metrics struct (family.hpp),
// listed in docs/METRICS.md (a test holds the two together).
struct declaration {
  std::string name;
  metric_type type;
  std::string help;
  std::vector<std::string> label_names;
};

class registry {
 public:
  // Declares a family without a series yet, so /metrics lists it (HELP and
  // TYPE) from the start; declaring it again with the same type is a no-op.
  void declare(const declaration& d);
  std::vector<declaration> declarations() const;

  counter& get_counter(const std::string& name, const std::string& help, const labels& l = {});
  gauge& get_gauge(const std::string& name, const std::string& help, const labels& l = {});
  histogram& get_histogram(const std::string& name, const std::string& help, const labels& l = {},
                           std::vector<double> bounds = latency_buckets());
  // A gauge whose value is computed at scrape time (process RSS, uptime, ...).
  void set_gauge_callback(const std::string& name, const std::string& help, const labels& l,
                          std::function<double()> fn);

  std::string render() const;

  // Value of one series, or nullopt-like NaN when absent (for tests and /readyz).
  double value(const std::string& name, const labels& l = {}) const;

 private:
  using kind = metric_type;
  struct series {
    std::unique_ptr<counter> c;
    std::unique_ptr<gauge> g;
    std::unique_ptr<histogram> h;
    std::function<double()> fn;
  };
  struct family {
    kind type;
    std::string help;
    std::vector<std::string> label_names;
    std::map<labels, series> members;
  };
  family& family_for(const std::string& name, const std::string& help, kind type);

  mutable std::mutex mutex_;
  std::map<std::string, family> families_;
};

// The process-wide registry /metrics renders.
registry& global();

}  // namespace vpnbot::metrics
