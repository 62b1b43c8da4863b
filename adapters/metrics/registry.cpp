#include "adapters/metrics/registry.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace vpnbot::metrics {
namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

std::string label_text(const labels& l, const std::string& extra_key = {},
                       const std::string& extra_value = {}) {
  if (l.empty() && extra_key.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : l) {
    if (!first) out += ',';
    first = false;
    out += k + "=\"" + escape_label(v) + "\"";
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += extra_key + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

void add_double(std::atomic<double>& a, double v) {
  a.fetch_add(v, std::memory_order_relaxed);
}

}  // namespace

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  for (size_t i = 1; i < bounds_.size(); ++i)
    if (!(bounds_[i - 1] < bounds_[i]))
      throw std::invalid_argument("histogram bounds must be strictly increasing");
}

void histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  add_double(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  s.count = running;
  return s;
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

registry::family& registry::family_for(const std::string& name, const std::string& help,
                                       kind type) {
  auto [it, added] = families_.try_emplace(name);
  if (added) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  return it->second;
}

void registry::declare(const declaration& d) {
  std::lock_guard guard{mutex_};
  auto& f = family_for(d.name, d.help, d.type);
  if (f.label_names.empty()) f.label_names = d.label_names;
}

std::vector<declaration> registry::declarations() const {
  std::lock_guard guard{mutex_};
  std::vector<declaration> out;
  for (const auto& [name, f] : families_) out.push_back({name, f.type, f.help, f.label_names});
  return out;
}

counter& registry::get_counter(const std::string& name, const std::string& help, const labels& l) {
  std::lock_guard guard{mutex_};
  auto& s = family_for(name, help, kind::counter).members[l];
  if (!s.c) s.c = std::make_unique<counter>();
  return *s.c;
}

gauge& registry::get_gauge(const std::string& name, const std::string& help, const labels& l) {
  std::lock_guard guard{mutex_};
  auto& s = family_for(name, help, kind::gauge).members[l];
  if (!s.g) s.g = std::make_unique<gauge>();
  return *s.g;
}

histogram& registry::get_histogram(const std::string& name, const std::string& help,
                                   const labels& l, std::vector<double> bounds) {
  std::lock_guard guard{mutex_};
  auto& s = family_for(name, help, kind::histogram).members[l];
  if (!s.h) s.h = std::make_unique<histogram>(std::move(bounds));
  return *s.h;
}

void registry::set_gauge_callback(const std::string& name, const std::string& help, const labels& l,
                                  std::function<double()> fn) {
  std::lock_guard guard{mutex_};
  family_for(name, help, kind::gauge).members[l].fn = std::move(fn);
}

double registry::value(const std::string& name, const labels& l) const {
  std::lock_guard guard{mutex_};
  auto f = families_.find(name);
  if (f == families_.end()) return std::numeric_limits<double>::quiet_NaN();
  auto m = f->second.members.find(l);
  if (m == f->second.members.end()) return std::numeric_limits<double>::quiet_NaN();
  const auto& s = m->second;
  if (s.fn) return s.fn();
  if (s.c) return s.c->value();
  if (s.g) return s.g->value();
  if (s.h) return static_cast<double>(s.h->read().count);
  return std::numeric_limits<double>::quiet_NaN();
}

std::string registry::render() const {
  std::lock_guard guard{mutex_};
  std::string out;
  for (const auto& [name, fam] : families_) {
    static constexpr const char* type_names[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + escape_help(fam.help) + "\n";
    out += "# TYPE " + name + " " + type_names[static_cast<int>(fam.type)] + "\n";
    for (const auto& [l, s] : fam.members) {
      if (s.h) {
        auto snap = s.h->read();
        for (size_t i = 0; i < snap.bounds.size(); ++i)
          out += name + "_bucket" + label_text(l, "le", format_value(snap.bounds[i])) + " " +
                 std::to_string(snap.cumulative[i]) + "\n";
        out += name + "_bucket" + label_text(l, "le", "+Inf") + " " +
               std::to_string(snap.cumulative.back()) + "\n";
        out += name + "_sum" + label_text(l) + " " + format_value(snap.sum) + "\n";
        out += name + "_count" + label_text(l) + " " + std::to_string(snap.count) + "\n";
      } else {
        double v = s.fn ? s.fn() : s.c ? s.c->value() : s.g ? s.g->value() : 0.0;
        out += name + label_text(l) + " " + format_value(v) + "\n";
      }
    }
  }
  return out;
}

registry& global() {
  static registry instance;
  return instance;
}

}  // namespace vpnbot::metrics
