#include "domain/api/call_dispatch.hpp"

#include "adapters/codec/url_encoding.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/bearer_auth.hpp"
#include "domain/api/idempotent_answer.hpp"
#include "domain/api/openapi.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {

std::variant<http_response, prepared_call> prepare_call(const http_request& req,
                                                        const std::string& token,
                                                        const std::vector<api_route>& table) {
  if (!bearer_matches(req, token)) {
    auto r = error_answer(401, "unauthorized", "expected Authorization: Bearer <api.token>");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto m = match_route(table, req.method, req.path);
  if (!m.route && m.allowed.empty()) return error_answer(404, "not_found", "no such path");
  if (!m.route) {
    std::string allow;
    for (const auto& method : m.allowed) allow += (allow.empty() ? "" : ", ") + method;
    auto r = error_answer(405, "method_not_allowed", "allowed: " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  if (!m.route->handler) return json_answer(200, openapi_document(table));
  prepared_call p;
  p.route = m.route;
  p.call.method = req.method;
  p.call.path = req.path;
  p.call.params = std::move(m.params);
  auto query = codec::form_decode(req.query);
  if (!query) return bad_field("query", "not a valid query string");
  for (auto& [k, v] : *query) p.call.query[k] = v;
  if (!req.body.empty()) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return bad_field("body", "expected a JSON object");
    p.call.body = std::move(body);
  }
  if (const auto* key = req.header("idempotency-key"); key && m.route->mutating()) {
    if (key->empty() || key->size() > max_idempotency_key)
      return bad_field("Idempotency-Key",
                       "expected 1 to " + std::to_string(max_idempotency_key) + " characters");
    p.idempotency_key = *key;
  }
  return p;
}

call_outcome run_call(pqxx::dbtransaction& tx, const prepared_call& p) {
  const auto& c = p.call;
  if (p.idempotency_key)
    if (auto kept = answer_kept_for(tx, *p.idempotency_key, c.method, c.path))
      return {std::move(*kept), {}};
  telegram::outbox_writer out(tx);
  auto answer = p.route->handler(tx, c, out);
  if (p.idempotency_key) keep_answer(tx, *p.idempotency_key, c.method, c.path, answer);
  return {std::move(answer), out.ids()};
}

}  // namespace vpnbot::api
