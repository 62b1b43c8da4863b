#include "app/sandbox/sandbox_api.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "adapters/codec/decimal.hpp"
#include "adapters/codec/url_encoding.hpp"
#include "adapters/emulators/http_call.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/xui_model.hpp"
#include "app/sandbox/chat_view.hpp"
#include "app/sandbox/sandbox_users.hpp"
#include "app/sandbox/web_files.hpp"

namespace vpnbot::sandbox {
namespace {

using json = nlohmann::json;

http_response json_answer(int status, const json& body) {
  return {status, "application/json", {{"Cache-Control", "no-store"}}, body.dump()};
}

http_response bad_field(const std::string& field, const std::string& expected) {
  return json_answer(
      400,
      {{"error", "bad_request"}, {"field", field}, {"message", field + ": expected " + expected}});
}

http_response not_found(const std::string& what) {
  return json_answer(404, {{"error", "not_found"}, {"message", what}});
}

std::optional<int64_t> positive_integer(std::string_view text) {
  auto v = codec::decimal<int64_t>(text);
  if (!v || *v <= 0) return std::nullopt;
  return v;
}

std::optional<int64_t> positive_integer(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  auto v = it->get<int64_t>();
  return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

std::optional<std::string> non_empty_string(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::string> query_value(const http_request& r, const std::string& key) {
  auto fields = codec::form_decode(r.query);
  if (!fields) return std::nullopt;
  for (const auto& [k, v] : *fields)
    if (k == key) return v;
  return std::nullopt;
}

json state_of(sandbox_world& world) {
  json users = json::array();
  for (const auto& u : sandbox_users())
    users.push_back({{"id", u.id}, {"name", u.name}, {"language", u.language}, {"admin", u.admin}});
  json clients = json::array();
  auto first = world.panel().options().inbound_id;
  for (auto inbound : {first, first + 1})
    for (const auto& c : world.panel().clients(inbound)) {
      auto j = panel::to_json(c);
      j["inbound_id"] = inbound;
      clients.push_back(std::move(j));
    }
  json payments = json::array();
  for (const auto& inv : world.cryptobot().invoices())
    payments.push_back({{"payment", std::to_string(inv.value("invoice_id", int64_t{0}))},
                        {"status", inv.value("status", "")},
                        {"amount", inv.value("amount", "")},
                        {"fiat", inv.value("fiat", "")},
                        {"description", inv.value("description", "")},
                        {"pay_url", inv.value("bot_invoice_url", "")}});
  return {{"users", users},
          {"panel", {{"name", "sandbox"}, {"clients", clients}}},
          {"payments", payments},
          {"admin_ids", sandbox_admin_ids()}};
}

http_response chat(sandbox_world& world, const http_request& r) {
  auto user = positive_integer(query_value(r, "user_id").value_or(""));
  if (!user) return bad_field("user_id", "a positive integer in the query");
  return json_answer(200, chat_view(*user, world.telegram().chat(*user)));
}

http_response photo(sandbox_world& world, const http_request& r) {
  auto user = positive_integer(query_value(r, "user_id").value_or(""));
  if (!user) return bad_field("user_id", "a positive integer in the query");
  auto message = positive_integer(query_value(r, "message_id").value_or(""));
  if (!message) return bad_field("message_id", "a positive integer in the query");
  for (const auto& m : world.telegram().chat(*user))
    if (m.message_id == *message && !m.photo.empty())
      return {200, "image/png", {{"Cache-Control", "no-store"}}, m.photo};
  return not_found("no photo in that message");
}

http_response send(sandbox_world& world, const json& body) {
  auto user = positive_integer(body, "user_id");
  if (!user) return bad_field("user_id", "a positive integer");
  auto text = non_empty_string(body, "text");
  if (!text) return bad_field("text", "a non-empty string");
  auto known = find_sandbox_user(*user);
  auto update = world.telegram().push_text(*user, *text, known ? known->language : "en");
  return json_answer(200, {{"ok", true}, {"update_id", update}});
}

http_response press(sandbox_world& world, const json& body) {
  auto user = positive_integer(body, "user_id");
  if (!user) return bad_field("user_id", "a positive integer");
  auto message = positive_integer(body, "message_id");
  if (!message) return bad_field("message_id", "a positive integer");
  auto data = non_empty_string(body, "data");
  if (!data) return bad_field("data", "a non-empty string (a button's callback_data)");
  auto update = world.telegram().push_callback(*user, *message, *data);
  return json_answer(200, {{"ok", true}, {"update_id", update}});
}

// The invoice named by body.payment, still waiting for its payer.
std::variant<int64_t, http_response> active_invoice(sandbox_world& world, const json& body) {
  auto text = non_empty_string(body, "payment");
  auto id = text ? positive_integer(*text) : std::nullopt;
  if (!id) return bad_field("payment", "an invoice id as a string, e.g. \"1001\"");
  auto invoice = world.cryptobot().invoice(*id);
  if (!invoice) return not_found("no invoice " + *text);
  auto status = invoice->value("status", "");
  if (status != "active")
    return json_answer(409, {{"error", "conflict"}, {"message", "the invoice is " + status}});
  return *id;
}

http_response pay(sandbox_world& world, const json& body, uint16_t service_port) {
  auto found = active_invoice(world, body);
  if (auto* answer = std::get_if<http_response>(&found)) return *answer;
  auto id = std::get<int64_t>(found);
  auto delivery = world.cryptobot().pay(id);
  try {
    auto r = emulators::http_call(
        service_port, "POST", "/pay/cryptobot", delivery.body,
        {{"Content-Type", "application/json"}, {"crypto-pay-api-signature", delivery.signature}});
    log::info("sandbox", "invoice paid", {{"payment", id}, {"webhook_status", r.status}});
    return json_answer(
        200, {{"payment", std::to_string(id)}, {"status", "paid"}, {"webhook_status", r.status}});
  } catch (const std::exception& e) {
    return json_answer(502, {{"error", "webhook_failed"}, {"message", e.what()}});
  }
}

http_response fail(sandbox_world& world, const json& body) {
  auto found = active_invoice(world, body);
  if (auto* answer = std::get_if<http_response>(&found)) return *answer;
  auto id = std::get<int64_t>(found);
  world.cryptobot().expire(id);
  log::info("sandbox", "invoice expired", {{"payment", id}});
  return json_answer(200, {{"payment", std::to_string(id)}, {"status", "expired"}});
}

http_response get(sandbox_world& world, const http_request& r) {
  if (r.path == "/sandbox" || r.path == "/sandbox/") return *web_file("index.html");
  if (r.path == "/sandbox/pay") return *web_file("pay.html");
  if (r.path == "/sandbox/api/state") return json_answer(200, state_of(world));
  if (r.path == "/sandbox/api/chat") return chat(world, r);
  if (r.path == "/sandbox/api/photo") return photo(world, r);
  auto name = std::string_view(r.path).substr(std::string_view("/sandbox/").size());
  if (name.find('/') == std::string_view::npos)
    if (auto file = web_file(name)) return *file;
  return not_found("no such sandbox page: " + r.path);
}

http_response post(sandbox_world& world, const http_request& r, uint16_t service_port) {
  bool known = r.path == "/sandbox/api/send" || r.path == "/sandbox/api/press" ||
               r.path == "/sandbox/api/pay" || r.path == "/sandbox/api/fail";
  if (!known) return not_found("no such sandbox call: " + r.path);
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return bad_field("body", "a JSON object");
  if (r.path == "/sandbox/api/send") return send(world, body);
  if (r.path == "/sandbox/api/press") return press(world, body);
  if (r.path == "/sandbox/api/pay") return pay(world, body, service_port);
  return fail(world, body);
}

}  // namespace

std::vector<route_registration::route> sandbox_routes() {
  return {{"GET", "/sandbox"}, {"GET", "/sandbox/*"}, {"POST", "/sandbox/*"}};
}

http_response answer_sandbox_request(sandbox_world& world, const http_request& request,
                                     uint16_t service_port) {
  if (request.method == "POST") return post(world, request, service_port);
  return get(world, request);
}

}  // namespace vpnbot::sandbox
