// The admin API's route table, its OpenAPI document and the checks made
// before the database (token, route, input), without I/O.

#include <gtest/gtest.h>

#include <set>

#include "actors/api/admin_api.hpp"
#include "domain/api/call_dispatch.hpp"
#include "domain/api/openapi.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

using json = nlohmann::json;

http_request request(const std::string& method, const std::string& path,
                     const std::string& bearer = "secret", const std::string& body = {},
                     const std::string& query = {}) {
  http_request r;
  r.method = method;
  r.path = path;
  r.query = query;
  r.body = body;
  if (!bearer.empty()) r.headers.emplace_back("authorization", "Bearer " + bearer);
  return r;
}

int status_of(const std::variant<http_response, prepared_call>& v) {
  if (const auto* r = std::get_if<http_response>(&v)) return r->status;
  return 0;  // ready for the database
}

TEST(AdminApiRoutes, TheOpenApiDocumentHasExactlyTheRoutesOfTheTable) {
  std::set<std::pair<std::string, std::string>> table, documented;
  for (const auto& r : routes()) {
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(table.emplace(r.pattern, m).second) << "twice: " << r.method << " " << r.pattern;
  }
  auto doc = openapi_document(routes());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      documented.emplace(path, method);
      EXPECT_FALSE(op["summary"].get<std::string>().empty()) << path;
    }
  EXPECT_EQ(documented, table);
  // The paths, all of them.
  for (const auto& [path, method] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/stats", "get"},
           {"/api/v1/users", "get"},
           {"/api/v1/users/{telegram_id}", "get"},
           {"/api/v1/users/{telegram_id}/grant", "post"},
           {"/api/v1/users/{telegram_id}/ban", "post"},
           {"/api/v1/users/{telegram_id}/unban", "post"},
           {"/api/v1/users/{telegram_id}/balance", "post"},
           {"/api/v1/users/{telegram_id}/resend-key", "post"},
           {"/api/v1/payments", "get"},
           {"/api/v1/payments/{id}/refund", "post"},
           {"/api/v1/webhook-events", "get"},
           {"/api/v1/webhook-events/{id}/replay", "post"},
           {"/api/v1/broadcasts", "post"},
           {"/api/v1/broadcasts/{id}", "get"},
           {"/api/v1/broadcasts/{id}/pause", "post"},
           {"/api/v1/broadcasts/{id}/resume", "post"},
           {"/api/v1/broadcasts/{id}/cancel", "post"},
           {"/api/v1/promo-codes", "post"},
           {"/api/v1/promo-codes", "get"},
           {"/api/v1/promo-codes/{code}/disable", "post"},
           {"/api/v1/openapi.json", "get"}})
    EXPECT_TRUE(table.count({path, method})) << method << " " << path;
  EXPECT_EQ(table.size(), 21u);
  // Only a refund may be accepted for later (a YooKassa refund request).
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items())
      EXPECT_EQ(op["responses"].contains("202"), path == "/api/v1/payments/{id}/refund")
          << method << " " << path;
}

TEST(AdminApiRoutes, EveryPatternLiesBelowThePrefixTheActorRegisters) {
  std::set<std::string> methods;
  for (const auto& r : routes()) {
    EXPECT_EQ(r.pattern.rfind(path_prefix, 0), 0u) << r.pattern;
    methods.insert(r.method);
  }
  auto registered = admin_api_routes();
  ASSERT_EQ(registered.size(), methods.size());
  for (const auto& [method, path] : registered) {
    EXPECT_EQ(path, "/api/v1/*");
    EXPECT_TRUE(methods.count(method)) << method;
  }
}

TEST(AdminApiRoutes, PatternsMatchWithTheirParameters) {
  auto m = match_route(routes(), "POST", "/api/v1/users/42/grant");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/api/v1/users/{telegram_id}/grant");
  EXPECT_EQ(m.params.at("telegram_id"), "42");
  EXPECT_FALSE(match_route(routes(), "GET", "/api/v1/users/").route);
  EXPECT_FALSE(match_route(routes(), "GET", "/api/v1/users/42/extra/x").route);
  auto wrong = match_route(routes(), "DELETE", "/api/v1/users/42");
  EXPECT_FALSE(wrong.route);
  EXPECT_EQ(wrong.allowed, std::vector<std::string>{"GET"});
}

TEST(AdminApiRoutes, TheTokenIsCheckedBeforeAnythingElse) {
  EXPECT_EQ(status_of(prepare_call(request("GET", "/api/v1/stats", ""), "secret", routes())), 401);
  EXPECT_EQ(status_of(prepare_call(request("GET", "/api/v1/stats", "secre"), "secret", routes())),
            401);
  EXPECT_EQ(status_of(prepare_call(request("GET", "/nowhere", "wrong"), "secret", routes())), 401);
  auto lower = request("GET", "/api/v1/stats", "");
  lower.headers.emplace_back("authorization", "bearer secret");
  EXPECT_EQ(status_of(prepare_call(lower, "secret", routes())), 0);
  // An empty configured token lets nobody in, not even an empty bearer.
  EXPECT_EQ(status_of(prepare_call(request("GET", "/api/v1/stats", ""), "", routes())), 401);
  EXPECT_EQ(status_of(prepare_call(request("GET", "/api/v1/stats"), "secret", routes())), 0);
}

TEST(AdminApiRoutes, RouteQueryBodyAndKeyAreCheckedBeforeTheDatabase) {
  auto at = [](http_request r) { return prepare_call(r, "secret", routes()); };
  EXPECT_EQ(status_of(at(request("GET", "/api/v1/nope"))), 404);
  EXPECT_EQ(status_of(at(request("PUT", "/api/v1/stats"))), 405);
  auto bad_body = at(request("POST", "/api/v1/users/1/grant", "secret", "[1]"));
  ASSERT_EQ(status_of(bad_body), 400);
  EXPECT_EQ(json::parse(std::get<http_response>(bad_body).body)["field"], "body");
  auto bad_query = at(request("GET", "/api/v1/users", "secret", "", "q=%zz"));
  ASSERT_EQ(status_of(bad_query), 400);
  EXPECT_EQ(json::parse(std::get<http_response>(bad_query).body)["field"], "query");
  auto long_key = request("POST", "/api/v1/users/1/ban");
  long_key.headers.emplace_back("idempotency-key", std::string(300, 'k'));
  auto refused = at(long_key);
  ASSERT_EQ(status_of(refused), 400);
  EXPECT_EQ(json::parse(std::get<http_response>(refused).body)["field"], "Idempotency-Key");
  auto ok = at(request("GET", "/api/v1/users", "secret", "", "q=%40alice"));
  ASSERT_EQ(status_of(ok), 0);
  EXPECT_EQ(std::get<prepared_call>(ok).call.query.at("q"), "@alice");
  auto doc = at(request("GET", "/api/v1/openapi.json"));
  ASSERT_EQ(status_of(doc), 200);
  EXPECT_EQ(json::parse(std::get<http_response>(doc).body)["openapi"], "3.1.0");
}

}  // namespace
}  // namespace vpnbot::api
