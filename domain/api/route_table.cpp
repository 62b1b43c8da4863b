#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The parameters when `path` fits `pattern`.
std::optional<std::map<std::string, std::string>> fit(const std::string& pattern,
                                                      const std::string& path) {
  auto want = segments(pattern);
  auto have = segments(path);
  if (want.size() != have.size()) return std::nullopt;
  std::map<std::string, std::string> params;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) return std::nullopt;
      params[w.substr(1, w.size() - 2)] = have[i];
    } else if (w != have[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace

const std::vector<api_route>& routes() {
  static const std::vector<api_route> table = [] {
    std::vector<api_route> r;
    add_stats_routes(r);
    add_user_routes(r);
    add_payment_routes(r);
    add_webhook_event_routes(r);
    add_broadcast_routes(r);
    add_promo_code_routes(r);
    add_document_routes(r);
    return r;
  }();
  return table;
}

route_match match_route(const std::vector<api_route>& table, const std::string& method,
                        const std::string& path) {
  route_match m;
  for (const auto& r : table) {
    auto params = fit(r.pattern, path);
    if (!params) continue;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(*params);
      m.allowed.clear();
      return m;
    }
    m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace vpnbot::api
