#pragma once

// The sandbox's routes on the service's HTTP server (docs/SANDBOX.md),
// registered only under `vpnbot --sandbox`:
//   GET  /sandbox                     the web chat (index.html)
//   GET  /sandbox/<file>              its script and style
//   GET  /sandbox/pay?payment=ID      the invoice page: "Pay" and "Fail"
//   GET  /sandbox/api/state           users, the panel's clients, the payments
//   GET  /sandbox/api/chat?user_id=N  the chat as the user sees it (chat_view.hpp)
//   GET  /sandbox/api/photo?user_id=N&message_id=M  a photo's bytes
//   POST /sandbox/api/send   {"user_id": 1, "text": "/start"}
//   POST /sandbox/api/press  {"user_id": 1, "message_id": 5, "data": "m:buy"}
//   POST /sandbox/api/pay    {"payment": "1001"}: the payer pays; the signed
//        notification goes through the service's own webhook route
//   POST /sandbox/api/fail   {"payment": "1001"}: the invoice lapses
// Bad input: 400 {"error":"bad_request","field":...,"message":...}.

#include <cstdint>
#include <vector>

#include "actors/route_registration.hpp"
#include "app/sandbox/sandbox_world.hpp"
#include "messages/http.hpp"

namespace vpnbot::sandbox {

std::vector<route_registration::route> sandbox_routes();

// Answers one request to a sandbox route; blocks while a payment's
// notification is delivered to the service on `service_port`.
http_response answer_sandbox_request(sandbox_world& world, const http_request& request,
                                     uint16_t service_port);

}  // namespace vpnbot::sandbox
