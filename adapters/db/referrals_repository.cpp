#include "adapters/db/referrals_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

referral_outcome record_referral(pqxx::dbtransaction& tx, int64_t referrer_id, int64_t referee_id) {
  if (referrer_id == referee_id) return referral_outcome::self_referral;
  auto r = db::exec_prepared_sql(tx,
                                 "INSERT INTO referrals (referrer_id, referee_id) VALUES ($1, $2)"
                                 " ON CONFLICT (referee_id) DO NOTHING RETURNING referee_id",
                                 referrer_id, referee_id);
  if (r.empty()) return referral_outcome::already_referred;
  db::exec_prepared_sql(tx,
                        "UPDATE users SET referred_by = $1 WHERE id = $2 AND referred_by IS NULL",
                        referrer_id, referee_id);
  return referral_outcome::recorded;
}

std::optional<int64_t> claim_referral_bonus(pqxx::dbtransaction& tx, int64_t referee_id,
                                            const std::string& payment_id) {
  auto r = db::exec_prepared_sql(tx,
                                 "UPDATE referrals SET bonus_granted = true, bonus_payment_id = "
                                 "$2::uuid WHERE referee_id = $1 AND NOT bonus_granted"
                                 " RETURNING referrer_id",
                                 referee_id, payment_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

std::optional<earned_bonus> bonus_earned_by(pqxx::dbtransaction& tx,
                                            const std::string& payment_id) {
  auto r = db::exec_prepared_sql(
      tx, "SELECT referrer_id, referee_id FROM referrals WHERE bonus_payment_id = $1::uuid",
      payment_id);
  if (r.empty()) return std::nullopt;
  return earned_bonus{r[0][0].as<int64_t>(), r[0][1].as<int64_t>()};
}

referral_stats referral_stats_of(pqxx::dbtransaction& tx, int64_t referrer_id) {
  auto r =
      db::exec_prepared_sql1(tx,
                             "SELECT count(*), count(*) FILTER (WHERE bonus_granted) FROM referrals"
                             " WHERE referrer_id = $1",
                             referrer_id);
  return {r[0].as<int64_t>(), r[1].as<int64_t>()};
}

}  // namespace vpnbot::db
