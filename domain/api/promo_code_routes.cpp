// The promo code routes: create one, list them with their uses, disable one.
// Redeeming is the users' side (the bot); these only write the terms, each
// change audited.

#include "domain/admin/acting_operator.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"
#include "domain/promo/promo_admin.hpp"

namespace vpnbot::api {
namespace {

using json = nlohmann::json;

http_response bad_terms(const promo::field_error& e) {
  return bad_field(e.field.empty() ? "body" : e.field, e.message);
}

http_response create(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  auto terms = promo::terms_from_json(c.body);
  if (auto* bad = std::get_if<promo::field_error>(&terms)) return bad_terms(*bad);
  auto made = promo::create_promo_code(tx, std::get<promo::promo_terms>(terms));
  if (auto* bad = std::get_if<promo::field_error>(&made)) return bad_terms(*bad);
  const auto& code = std::get<promo::promo_code>(made);
  admin::audit_action(tx, c.who, "promo_code_create", "promo:" + code.def.code,
                      promo::to_json(code));
  return json_answer(200, promo::to_json(code));
}

http_response list_promo_codes(pqxx::dbtransaction& tx, const api_call&, telegram::outbox_writer&) {
  auto codes = json::array();
  for (const auto& code : promo::list_promo_codes(tx)) codes.push_back(promo::to_json(code));
  return json_answer(200, {{"promo_codes", codes}});
}

http_response disable(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  const auto& code = c.params.at("code");
  if (!promo::disable_promo_code(tx, code))
    return error_answer(404, "not_found", "no promo code " + code);
  admin::audit_action(tx, c.who, "promo_code_disable", "promo:" + code);
  return json_answer(200, {{"code", code}, {"enabled", false}});
}

}  // namespace

void add_promo_code_routes(std::vector<api_route>& routes) {
  routes.push_back(
      {"POST",
       "/api/v1/promo-codes",
       "Create a promo code: days, percent off, fixed off or balance credit",
       {},
       json{{"type", "object"},
            {"required", json::array({"code", "kind", "amount"})},
            {"properties",
             {{"code", {{"type", "string"}}},
              {"kind",
               {{"type", "string"},
                {"enum", json::array({"days", "percent_off", "fixed_off", "balance_credit"})}}},
              {"amount", {{"type", "integer"}}},
              {"currency", {{"type", "string"}}},
              {"uses_limit", {{"type", json::array({"integer", "null"})}}},
              {"per_user_once", {{"type", "boolean"}}},
              {"valid_until", {{"type", "string"}, {"format", "date-time"}}},
              {"plans", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
       create});
  routes.push_back({"GET",
                    "/api/v1/promo-codes",
                    "Every promo code with its terms and uses",
                    {},
                    nullptr,
                    list_promo_codes});
  routes.push_back({"POST",
                    "/api/v1/promo-codes/{code}/disable",
                    "Nobody can redeem the code any more; what was redeemed stays",
                    {},
                    nullptr,
                    disable});
}

}  // namespace vpnbot::api
