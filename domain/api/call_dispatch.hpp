#pragma once

// One admin API request from the HTTP server's message to its answer, in
// two steps around the database, so the actor only moves messages:
//   1. prepare_call (no I/O): the bearer token (401, nothing else looked
//      at), the route (404, 405 with Allow), the query and the JSON body
//      (400 naming "query" or "body"), the Idempotency-Key header; the
//      OpenAPI document is answered here;
//   2. run_call (in one transaction): a repeated Idempotency-Key gets the
//      first answer; else the handler runs, its outbox rows and its answer
//      (kept under the key) commit together.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <variant>
#include <vector>

#include "domain/api/api_route.hpp"
#include "messages/http.hpp"

namespace vpnbot::api {

struct prepared_call {
  const api_route* route = nullptr;
  api_call call;
  std::optional<std::string> idempotency_key;
};

std::variant<http_response, prepared_call> prepare_call(const http_request& req,
                                                        const std::string& token,
                                                        const std::vector<api_route>& table);

struct call_outcome {
  http_response response;
  std::vector<int64_t> outbox_ids;  // to hand to the outbox after the commit
};

call_outcome run_call(pqxx::dbtransaction& tx, const prepared_call& p);

}  // namespace vpnbot::api
