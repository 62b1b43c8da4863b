// The dashboard (deploy/grafana/vpnbot.json) and the alert rules
// (deploy/prometheus/alerts.yml) use only metric families the service
// declares (declare_service_metrics, the list docs/METRICS.md is held to),
// with labels those families have: a made-up or renamed metric fails here
// instead of showing an empty panel or an alert that never fires.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/metrics/registry.hpp"
#include "app/service_metrics.hpp"

namespace vpnbot {
namespace {

struct family {
  metrics::metric_type type;
  std::set<std::string> labels;
};

std::map<std::string, family> declared_families() {
  metrics::registry r;
  declare_service_metrics(r, "test", "node");
  std::map<std::string, family> out;
  for (const auto& d : r.declarations())
    out[d.name] = {d.type, {d.label_names.begin(), d.label_names.end()}};
  return out;
}

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(VPNBOT_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every "expr" (panel targets) and templating query in the dashboard.
void collect_exprs(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if ((k == "expr" || k == "definition") && v.is_string())
        out.push_back(v.get<std::string>());
      else if (k == "query" && v.is_object() && v.contains("query") && v["query"].is_string())
        out.push_back(v["query"].get<std::string>());
      else
        collect_exprs(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_exprs(v, out);
  }
}

// The value of every `expr:` line of the rules file (one line each there).
std::vector<std::string> alert_exprs(const std::string& yaml) {
  std::vector<std::string> out;
  std::istringstream in(yaml);
  std::regex expr_line(R"(^\s*expr:\s*(.+)$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, expr_line)) out.push_back(m[1]);
  }
  return out;
}

// A name as used in PromQL → the family it belongs to: a histogram's
// _bucket, _sum and _count series are the histogram's.
std::string family_of(const std::string& name, const std::map<std::string, family>& families) {
  if (families.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s = suffix;
    if (name.size() > s.size() && name.ends_with(s)) {
      auto base = name.substr(0, name.size() - s.size());
      auto it = families.find(base);
      if (it != families.end() && it->second.type == metrics::metric_type::histogram) return base;
    }
  }
  return {};
}

// Labels every target has besides the family's own (added by Prometheus),
// and `le` of a histogram's buckets.
const std::set<std::string> target_labels{"instance", "job"};

struct checked {
  std::set<std::string> families;  // every family the expressions use
};

// Checks one expression; records failures with `where` in the message.
void check_expr(const std::string& expr, const std::string& where,
                const std::map<std::string, family>& families, checked& seen) {
  std::regex use(R"((vpnbot_[a-zA-Z0-9_]+)(\{([^}]*)\})?)");
  std::regex matcher(R"(([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"[^"]*")");
  std::set<std::string> allowed = target_labels;
  bool any = false;
  for (std::sregex_iterator it(expr.begin(), expr.end(), use), end; it != end; ++it) {
    any = true;
    std::string name = (*it)[1];
    auto fam = family_of(name, families);
    if (fam.empty()) {
      ADD_FAILURE() << where << ": " << name << " is not a family the service declares\n  " << expr;
      continue;
    }
    seen.families.insert(fam);
    const auto& labels = families.at(fam).labels;
    allowed.insert(labels.begin(), labels.end());
    if (families.at(fam).type == metrics::metric_type::histogram) allowed.insert("le");
    std::string selector = (*it)[3];
    for (std::sregex_iterator m(selector.begin(), selector.end(), matcher); m != end; ++m) {
      std::string label = (*m)[1];
      EXPECT_TRUE(labels.count(label) || target_labels.count(label))
          << where << ": " << name << " has no label '" << label << "'\n  " << expr;
    }
  }
  // Aggregation labels: by (...) / without (...) / on (...) name labels of
  // the families in the same expression.
  std::regex grouping(R"(\b(by|without|on|ignoring)\s*\(([^)]*)\))");
  std::regex word(R"([a-zA-Z_][a-zA-Z0-9_]*)");
  for (std::sregex_iterator g(expr.begin(), expr.end(), grouping), end; g != end; ++g) {
    std::string list = (*g)[2];
    for (std::sregex_iterator w(list.begin(), list.end(), word); w != end; ++w)
      EXPECT_TRUE(allowed.count(w->str())) << where << ": grouping by '" << w->str()
                                           << "', a label none of its metrics has\n  " << expr;
  }
  EXPECT_TRUE(any) << where << ": an expression over no vpnbot metric\n  " << expr;
}

TEST(DeployFiles, TheDashboardUsesOnlyDeclaredMetricsAndLabels) {
  auto families = declared_families();
  auto text = read_file("deploy/grafana/vpnbot.json");
  ASSERT_FALSE(text.empty()) << "deploy/grafana/vpnbot.json not found";
  auto dashboard = nlohmann::json::parse(text);
  EXPECT_GE(dashboard.value("schemaVersion", 0), 36);
  ASSERT_TRUE(dashboard.contains("__inputs"));
  EXPECT_EQ(dashboard["__inputs"].at(0).value("name", ""), "DS_PROMETHEUS");
  std::vector<std::string> exprs;
  collect_exprs(dashboard, exprs);
  ASSERT_GE(exprs.size(), 30u);  // the panels were found
  checked seen;
  for (const auto& e : exprs) check_expr(e, "vpnbot.json", families, seen);
  // The subjects the dashboard is for (issue 15).
  for (const char* f : {"vpnbot_telegram_updates_total", "vpnbot_telegram_update_seconds",
                        "vpnbot_telegram_outbox_queued", "vpnbot_telegram_429_total",
                        "vpnbot_payment_webhooks_total", "vpnbot_activation_jobs_total",
                        "vpnbot_panel_breaker_state", "vpnbot_supervisor_restarts_total",
                        "vpnbot_supervisor_escalations_total", "vpnbot_db_queue_depth",
                        "vpnbot_http_requests_total", "vpnbot_http_request_duration_seconds"})
    EXPECT_TRUE(seen.families.count(f)) << "the dashboard shows no " << f;
}

TEST(DeployFiles, TheAlertRulesUseOnlyDeclaredMetricsAndLabels) {
  auto families = declared_families();
  auto text = read_file("deploy/prometheus/alerts.yml");
  ASSERT_FALSE(text.empty()) << "deploy/prometheus/alerts.yml not found";
  auto exprs = alert_exprs(text);
  ASSERT_GE(exprs.size(), 6u);
  checked seen;
  for (const auto& e : exprs) check_expr(e, "alerts.yml", families, seen);
  // Names in comments and annotations must be real too.
  std::regex name(R"(vpnbot_[a-zA-Z0-9_]+)");
  for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it)
    EXPECT_FALSE(family_of(it->str(), families).empty())
        << "alerts.yml names " << it->str() << ", which the service does not declare";
  for (const char* f :
       {"vpnbot_supervisor_escalations_total", "vpnbot_panel_breaker_state",
        "vpnbot_activation_jobs_total", "vpnbot_payment_webhooks_total",
        "vpnbot_worker_last_success_timestamp_seconds", "vpnbot_telegram_429_total"})
    EXPECT_TRUE(seen.families.count(f)) << "no alert over " << f;
}

// The checker itself: a made-up name, a label the family lacks and a
// grouping by a foreign label are each caught.
TEST(DeployFiles, TheCheckerRefusesMadeUpNamesAndLabels) {
  auto families = declared_families();
  checked seen;
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    check_expr("rate(vpnbot_payments_stuck_total[5m])", "t", families, seen);
    check_expr("vpnbot_panel_breaker_state{provider=\"x\"}", "t", families, seen);
    check_expr("sum by (route) (vpnbot_db_queue_depth)", "t", families, seen);
    check_expr("rate(vpnbot_db_commits_total_bucket[5m])", "t", families, seen);
  }
  EXPECT_EQ(failures.size(), 4);
  ::testing::TestPartResultArray none;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &none);
    check_expr(
        "histogram_quantile(0.9, sum by (le, route) "
        "(rate(vpnbot_http_request_duration_seconds_bucket{instance=~\"$i\"}[5m])))",
        "t", families, seen);
  }
  EXPECT_EQ(none.size(), 0);
}

}  // namespace
}  // namespace vpnbot
