#pragma once

// The JSON of the broadcast API, for a handler to stay thin:
//
//   POST /api/v1/broadcasts  {"text", "segment", "paid", "language"?, "button"?}
//        button: {"text", "url"} or {"text", "menu": true}
//   → {"id", "total"}
//   GET  /api/v1/broadcasts/{id} → {"id", "state", "total", "sent", "failed",
//        "blocked", "in_doubt", "cancelled", "left"}
//
// A request that is not what it should be is a refusal naming the field.

#include <nlohmann/json.hpp>

#include "domain/broadcasts/broadcast_control.hpp"

namespace vpnbot::broadcasts {

outcome<broadcast_spec> spec_from_json(const nlohmann::json& body);

nlohmann::json to_json(const created& c);
nlohmann::json to_json(const progress& p);
nlohmann::json to_json(const refusal& r);  // {"error", "field"?, "message"}

}  // namespace vpnbot::broadcasts
