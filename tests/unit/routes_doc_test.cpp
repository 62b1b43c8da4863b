// The HTTP routes the code registers and the route table in
// docs/ARCHITECTURE.md's HTTP section are one list, with their methods; and
// no webhook-like path named anywhere in the docs is unknown to the code.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "actors/api/admin_api.hpp"
#include "actors/telegram/webhook_receiver.hpp"
#include "adapters/payments/provider_list.hpp"
#include "app/sandbox/sandbox_api.hpp"
#include "config/settings.hpp"

namespace vpnbot {
namespace {

const std::string source_dir = VPNBOT_SOURCE_DIR;

std::string read(const std::string& relative) {
  std::ifstream in(source_dir + "/" + relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

using route_map = std::map<std::string, std::set<std::string>>;  // path -> methods

route_map routes_in_code() {
  route_map out;
  // actors/http_server.cpp answers these itself.
  auto server = read("actors/http_server.cpp");
  std::regex builtin(R"re(routes\["(/[^"]*)"\]\["([A-Z]+)"\])re");
  for (std::sregex_iterator it(server.begin(), server.end(), builtin), end; it != end; ++it)
    out[(*it)[1]].insert((*it)[2]);
  // The Telegram webhook receiver.
  auto receiver = read("actors/telegram/webhook_receiver.cpp");
  std::regex telegram(R"re(route\{"([A-Z]+)",\s*webhook_path\})re");
  for (std::sregex_iterator it(receiver.begin(), receiver.end(), telegram), end; it != end; ++it)
    out[telegram::webhook_path].insert((*it)[1]);
  // Every payment provider, all enabled.
  config::settings s;
  s.cryptobot.token = "1:token";
  s.yookassa.shop_id = "shop";
  s.yookassa.secret_key = "secret";
  s.robokassa.merchant_login = "shop";
  s.robokassa.password1 = "one";
  s.robokassa.password2 = "two";
  s.coingate.auth_token = "token";
  s.coingate.callback_secret = "secret";
  s.coingate.public_url = "https://vpn.example.com";
  auto providers = payments::providers_from(s);
  EXPECT_EQ(providers.names().size(), 4u);
  for (const auto& p : providers)
    for (const auto& m : p->webhook_methods()) out[p->webhook_path()].insert(m);
  // The admin API's prefix route, with api.token set.
  for (const auto& [method, path] : api::admin_api_routes()) out[path].insert(method);
  // The sandbox's routes, under `vpnbot --sandbox`.
  for (const auto& [method, path] : sandbox::sandbox_routes()) out[path].insert(method);
  return out;
}

// Rows "| `/path` | GET, POST | ... |" of the table in the "## HTTP" section.
route_map routes_in_doc() {
  std::istringstream in(read("docs/ARCHITECTURE.md"));
  route_map out;
  bool in_http = false;
  std::regex row(R"(^\| `(/[^`]*)` \| ([A-Z, ]+) \|)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_http = line == "## HTTP";
    std::smatch m;
    if (!in_http || !std::regex_search(line, m, row)) continue;
    std::string methods = m[2];
    std::regex method("[A-Z]+");
    for (std::sregex_iterator it(methods.begin(), methods.end(), method), end; it != end; ++it)
      out[m[1]].insert(it->str());
  }
  return out;
}

TEST(RoutesDoc, EveryRouteTheCodeServesIsInTheArchitectureRouteTable) {
  auto code = routes_in_code();
  auto doc = routes_in_doc();
  ASSERT_GE(code.size(), 9u);  // 3 built-in, Telegram, 4 providers, the admin API
  ASSERT_FALSE(doc.empty()) << "no route table in docs/ARCHITECTURE.md's HTTP section";
  for (const auto& [path, methods] : code) {
    auto it = doc.find(path);
    if (it == doc.end()) {
      ADD_FAILURE() << path << " is served but not in docs/ARCHITECTURE.md's route table";
      continue;
    }
    EXPECT_EQ(it->second, methods) << path;
  }
  for (const auto& [path, methods] : doc)
    EXPECT_TRUE(code.count(path)) << path << " is in docs/ARCHITECTURE.md's route table but "
                                  << "no code serves it";
}

TEST(RoutesDoc, NoWebhookPathInTheDocsIsUnknownToTheCode) {
  auto code = routes_in_code();
  // A path of ours starts a word: "/pay/x", "`/telegram/x`", "<host>/pay/x";
  // not "actors/telegram/x" (a file).
  std::regex path(R"((?:^|[^A-Za-z0-9_.-])(/(?:pay|telegram|webhook|webhooks)/[^\s`)|,;"]*))");
  std::size_t seen = 0;
  for (const char* doc : {"README.md", "docs/ARCHITECTURE.md", "docs/METRICS.md"}) {
    auto text = read(doc);
    ASSERT_FALSE(text.empty()) << doc;
    for (std::sregex_iterator it(text.begin(), text.end(), path), end; it != end; ++it) {
      std::string p = (*it)[1];
      while (!p.empty() && (p.back() == '.' || p.back() == ':')) p.pop_back();
      ++seen;
      EXPECT_TRUE(code.count(p)) << doc << " names " << p << ", which no code serves";
    }
  }
  EXPECT_GT(seen, 5u);
}

}  // namespace
}  // namespace vpnbot
