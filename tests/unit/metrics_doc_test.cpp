// docs/METRICS.md and the families the service declares are one list: every
// declared family is documented with its type and labels, and every
// documented one is declared.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "adapters/metrics/registry.hpp"
#include "app/service_metrics.hpp"

namespace vpnbot {
namespace {

struct documented {
  std::string type;
  std::string labels;  // "a,b" in order; empty for none
};

std::string type_name(metrics::metric_type t) {
  switch (t) {
    case metrics::metric_type::counter:
      return "counter";
    case metrics::metric_type::gauge:
      return "gauge";
    case metrics::metric_type::histogram:
      return "histogram";
  }
  return "?";
}

// Table rows: | `name` | type | `a`, `b` (or –) | meaning |
std::map<std::string, documented> read_doc() {
  std::ifstream in(std::string(VPNBOT_SOURCE_DIR) + "/docs/METRICS.md");
  std::map<std::string, documented> out;
  std::regex row(R"(^\| `(vpnbot_[a-z0-9_]+)` \| (counter|gauge|histogram) \| ([^|]*) \|)");
  std::regex label("`([a-z_]+)`");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    std::string cell = m[3], labels;
    for (std::sregex_iterator it(cell.begin(), cell.end(), label), end; it != end; ++it)
      labels += (labels.empty() ? "" : ",") + (*it)[1].str();
    out[m[1]] = {m[2], labels};
  }
  return out;
}

TEST(MetricsDoc, EveryDeclaredFamilyIsDocumentedAndEveryDocumentedOneDeclared) {
  metrics::registry r;
  declare_service_metrics(r, "test", "node");
  auto doc = read_doc();
  ASSERT_GT(doc.size(), 40u);  // the file was found and read
  std::map<std::string, documented> declared;
  for (const auto& d : r.declarations()) {
    std::string labels;
    for (const auto& l : d.label_names) labels += (labels.empty() ? "" : ",") + l;
    declared[d.name] = {type_name(d.type), labels};
  }
  for (const auto& [name, d] : declared) {
    auto it = doc.find(name);
    if (it == doc.end()) {
      ADD_FAILURE() << name << " is declared but not in docs/METRICS.md";
      continue;
    }
    EXPECT_EQ(it->second.type, d.type) << name;
    EXPECT_EQ(it->second.labels, d.labels) << name;
  }
  for (const auto& [name, d] : doc)
    EXPECT_TRUE(declared.count(name)) << name << " is in docs/METRICS.md but never declared";
}

TEST(MetricsDoc, DeclaredFamiliesAreListedBeforeAnySeries) {
  metrics::registry r;
  declare_service_metrics(r, "test", "node");
  auto text = r.render();
  EXPECT_NE(text.find("# TYPE vpnbot_telegram_sent_total counter"), std::string::npos);
  EXPECT_NE(text.find("# TYPE vpnbot_panel_breaker_state gauge"), std::string::npos);
  EXPECT_EQ(text.find("vpnbot_telegram_sent_total{"), std::string::npos);
}

}  // namespace
}  // namespace vpnbot
