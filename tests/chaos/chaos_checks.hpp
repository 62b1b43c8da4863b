#pragma once

// What must hold once a chaos run has settled: the consistency query
// (consistency.sql, on the database) and what only the driver can see
// (every payment it made succeeded, the panel holds each payer's client,
// each payer got the key).

#include <cstdint>
#include <string>
#include <vector>

#include "chaos/chaos_world.hpp"

namespace vpnbot::chaos {

struct made_payment {
  int64_t user = 0;
  std::string provider;
  std::string payment_id;
};

struct broken_invariant {
  std::string name;
  std::string detail;
};

// The rows of the consistency query in `sql_file`.
std::vector<broken_invariant> run_consistency_query(const chaos_database& db,
                                                    const std::string& sql_file);

std::vector<broken_invariant> check_what_the_driver_sees(chaos_world& w,
                                                         const std::vector<made_payment>& made);

// The settled state: every made payment final, no job or Bot API call
// waiting, every payer holding a key message.
bool settled(chaos_world& w, const std::vector<made_payment>& made);

// A key message (the vless link) reached the user's chat.
bool has_key_message(const chaos_world& w, int64_t user);

}  // namespace vpnbot::chaos
