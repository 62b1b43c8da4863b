#include "domain/api/openapi.hpp"

#include <cctype>

#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

nlohmann::json error_response(const std::string& description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

nlohmann::json operation(const api_route& r) {
  nlohmann::json op{{"summary", r.summary}, {"operationId", r.method + " " + r.pattern}};
  auto params = nlohmann::json::array();
  std::size_t open = 0;
  while ((open = r.pattern.find('{', open)) != std::string::npos) {
    auto close = r.pattern.find('}', open);
    auto name = r.pattern.substr(open + 1, close - open - 1);
    params.push_back({{"name", name},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", name == "telegram_id" ? "integer" : "string"}}}});
    open = close;
  }
  for (const auto& q : r.query)
    params.push_back({{"name", q.name},
                      {"in", "query"},
                      {"required", false},
                      {"description", q.description},
                      {"schema", {{"type", q.type}}}});
  if (r.mutating())
    params.push_back({{"name", "Idempotency-Key"},
                      {"in", "header"},
                      {"required", false},
                      {"description",
                       "a repeat with the same key gets the first answer and "
                       "changes nothing"},
                      {"schema", {{"type", "string"}, {"maxLength", 255}}}});
  if (!params.empty()) op["parameters"] = params;
  if (!r.request_body.is_null())
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", r.request_body}}}}}};
  op["responses"] = {{"200",
                      {{"description", "done"},
                       {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
                     {"400", error_response("bad input; `field` names it")},
                     {"401", error_response("missing or wrong bearer token")}};
  if (!r.accepted.empty())
    op["responses"]["202"] = {
        {"description", r.accepted},
        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  if (r.handler) {
    op["responses"]["404"] = error_response("no such user, payment or event");
    if (r.mutating()) op["responses"]["409"] = error_response("not possible in this state");
  }
  return op;
}

}  // namespace

nlohmann::json openapi_document(const std::vector<api_route>& routes) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : routes) {
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    paths[r.pattern][method] = operation(r);
  }
  return {
      {"openapi", "3.1.0"},
      {"info", {{"title", "vpnbot admin API"}, {"version", "1"}}},
      {"security", nlohmann::json::array({nlohmann::json{{"bearer", nlohmann::json::array()}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", nlohmann::json::array({"error", "message"})},
            {"properties",
             {{"error", {{"type", "string"}}},
              {"message", {{"type", "string"}}},
              {"field", {{"type", "string"}}}}}}}}}}}};
}

void add_document_routes(std::vector<api_route>& routes) {
  routes.push_back({"GET", openapi_path, "This document (OpenAPI 3.1)", {}, nullptr, {}});
}

}  // namespace vpnbot::api
