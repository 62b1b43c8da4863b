#include <gtest/gtest.h>

#include <thread>

#include "adapters/metrics/family.hpp"
#include "adapters/metrics/registry.hpp"

namespace vpnbot::metrics {
namespace {

TEST(MetricsRegistry, RendersCountersAndGaugesWithLabels) {
  registry r;
  r.get_counter("vpnbot_x_total", "things", {{"route", "/a"}, {"status", "200"}}).inc();
  r.get_counter("vpnbot_x_total", "things", {{"route", "/a"}, {"status", "200"}}).inc(2);
  r.get_gauge("vpnbot_y", "level").set(7.5);
  auto text = r.render();
  EXPECT_NE(text.find("# HELP vpnbot_x_total things\n# TYPE vpnbot_x_total counter\n"),
            std::string::npos);
  EXPECT_NE(text.find("vpnbot_x_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("vpnbot_y 7.5\n"), std::string::npos);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulative) {
  registry r;
  auto& h = r.get_histogram("vpnbot_lat_seconds", "latency", {{"op", "q"}}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  auto text = r.render();
  EXPECT_NE(text.find("vpnbot_lat_seconds_bucket{op=\"q\",le=\"0.1\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("vpnbot_lat_seconds_bucket{op=\"q\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("vpnbot_lat_seconds_bucket{op=\"q\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("vpnbot_lat_seconds_count{op=\"q\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("vpnbot_lat_seconds_sum{op=\"q\"} 5.55"), std::string::npos);
}

TEST(MetricsRegistry, LabelValuesAreEscaped) {
  registry r;
  r.get_counter("vpnbot_e_total", "e", {{"path", "a\"b\\c\nd"}}).inc();
  EXPECT_NE(r.render().find("vpnbot_e_total{path=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos);
}

TEST(MetricsRegistry, CallbackGaugeIsEvaluatedAtScrape) {
  registry r;
  double v = 1;
  r.set_gauge_callback("vpnbot_cb", "cb", {}, [&] { return v; });
  v = 42;
  EXPECT_NE(r.render().find("vpnbot_cb 42\n"), std::string::npos);
  EXPECT_EQ(r.value("vpnbot_cb"), 42);
}

TEST(MetricsRegistry, ConcurrentIncrementsAreNotLost) {
  registry r;
  auto& c = r.get_counter("vpnbot_c_total", "c");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.inc();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000);
}

// A family keeps the series it looked up: the same values are the same
// series, the registry's, from any thread and from a copy of the family.
TEST(MetricsRegistry, AFamilyKeepsTheSeriesItLookedUp) {
  registry r;
  counter_family sent(r, "vpnbot_sent_total", "sent", {"method", "outcome"});
  auto& first = sent.with({"sendMessage", "ok"});
  EXPECT_EQ(&sent.with({"sendMessage", "ok"}), &first);
  EXPECT_NE(&sent.with({"sendMessage", "error"}), &first);
  auto copy = sent;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) copy.with({"sendMessage", i % 2 ? "ok" : "error"}).inc();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.value("vpnbot_sent_total", {{"method", "sendMessage"}, {"outcome", "ok"}}), 2000);
  EXPECT_EQ(r.value("vpnbot_sent_total", {{"method", "sendMessage"}, {"outcome", "error"}}), 2000);
  EXPECT_THROW(sent.with({"sendMessage"}), std::logic_error);
}

TEST(MetricsRegistry, OneNameCannotHaveTwoTypes) {
  registry r;
  r.get_counter("vpnbot_t", "t");
  EXPECT_THROW(r.get_gauge("vpnbot_t", "t"), std::logic_error);
}

}  // namespace
}  // namespace vpnbot::metrics
