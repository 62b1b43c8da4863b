#pragma once

// Who invited whom: a user is referred at most once (by the first /start
// that carried someone else's code), never by themselves.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

enum class referral_outcome { recorded, already_referred, self_referral };

referral_outcome record_referral(pqxx::dbtransaction& tx, int64_t referrer_id, int64_t referee_id);

struct referral_stats {
  int64_t invited = 0;
  int64_t bonuses_granted = 0;
};

// Marks the referee's bonus as granted by `payment_id`; the referrer's id
// when this call did it, nullopt when there is no referral or it was
// granted before.
std::optional<int64_t> claim_referral_bonus(pqxx::dbtransaction& tx, int64_t referee_id,
                                            const std::string& payment_id);

struct earned_bonus {
  int64_t referrer_id = 0;
  int64_t referee_id = 0;
};
// The referral bonus this payment earned, if it earned one.
std::optional<earned_bonus> bonus_earned_by(pqxx::dbtransaction& tx, const std::string& payment_id);

referral_stats referral_stats_of(pqxx::dbtransaction& tx, int64_t referrer_id);

}  // namespace vpnbot::db
