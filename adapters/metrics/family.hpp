#pragma once

// A metric declared once: its name, help, type and label names, held by a
// subsystem's metrics struct that the subsystem builds when it starts
// (telegram_metrics, panel_metrics, ...). A series is taken by its label
// values in the declared order:
//
//   m.sent.with({method, "ok"}).inc();
//   m.queue_depth().set(n);       // a family without labels
//
// A family without labels resolves its one series when declared, so using
// it takes no lock; a labelled one looks its series up in the registry the
// first time a set of values is used and keeps it (series are never removed):
// the registry's lookup, under its one lock, had become a few percent of a
// busy bot's CPU.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "adapters/metrics/registry.hpp"

namespace vpnbot::metrics {

template <class Metric>
class family {
  static constexpr metric_type type = std::is_same_v<Metric, counter> ? metric_type::counter
                                      : std::is_same_v<Metric, gauge> ? metric_type::gauge
                                                                      : metric_type::histogram;

 public:
  family(registry& r, std::string name, std::string help, std::vector<std::string> label_names = {},
         std::vector<double> bounds = latency_buckets())
      : registry_(&r),
        name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {
    registry_->declare({name_, type, help_, label_names_});
    if (label_names_.empty()) single_ = &lookup({});
  }

  Metric& with(const std::vector<std::string>& values) const {
    if (values.size() != label_names_.size())
      throw std::logic_error("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                             " label values");
    if (single_) return *single_;
    {
      std::lock_guard guard{known_->mutex};
      if (auto it = known_->series.find(values); it != known_->series.end()) return *it->second;
    }
    labels l;
    l.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) l.emplace_back(label_names_[i], values[i]);
    auto& metric = lookup(l);
    std::lock_guard guard{known_->mutex};
    known_->series.emplace(values, &metric);
    return metric;
  }

  Metric& operator()() const { return with({}); }

  const std::string& name() const { return name_; }

 private:
  Metric& lookup(const labels& l) const {
    if constexpr (type == metric_type::counter)
      return registry_->get_counter(name_, help_, l);
    else if constexpr (type == metric_type::gauge)
      return registry_->get_gauge(name_, help_, l);
    else
      return registry_->get_histogram(name_, help_, l, bounds_);
  }

  registry* registry_;
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  Metric* single_ = nullptr;
  // The series used so far by their values; shared by copies of the family.
  struct known_series {
    std::mutex mutex;
    std::map<std::vector<std::string>, Metric*, std::less<>> series;
  };
  std::shared_ptr<known_series> known_ = std::make_shared<known_series>();
};

using counter_family = family<counter>;
using gauge_family = family<gauge>;
using histogram_family = family<histogram>;

}  // namespace vpnbot::metrics
