#include "domain/promo/promo_admin.hpp"

#include "adapters/db/plans_repository.hpp"
#include "adapters/db/promo_codes_repository.hpp"

namespace vpnbot::promo {

std::variant<promo_code, field_error> create_promo_code(pqxx::dbtransaction& tx,
                                                        const promo_terms& terms) {
  if (auto e = check_terms(terms)) return *e;
  for (const auto& code : terms.plans) {
    auto plan = db::find_plan(tx, code);
    if (!plan || plan->def.is_trial)
      return field_error{"plans", "no plan \"" + code + "\" on sale"};
  }
  auto row = db::insert_promo_code(tx, terms);
  if (!row) return field_error{"code", "a promo code \"" + terms.code + "\" exists already"};
  return *row;
}

std::vector<promo_code> list_promo_codes(pqxx::dbtransaction& tx) {
  return db::all_promo_codes(tx);
}

bool disable_promo_code(pqxx::dbtransaction& tx, const std::string& code) {
  return db::disable_promo_code(tx, code);
}

}  // namespace vpnbot::promo
