#pragma once

// Idempotency-Key for the mutating calls (table api_idempotency, migration
// 0014): the first answer under a key is kept in the transaction of the
// change it describes, so a repeat gets exactly that answer and changes
// nothing. Concurrent calls with one key wait for each other (a
// transaction-scoped advisory lock on the key), so one of them acts.

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "messages/http.hpp"

namespace vpnbot::api {

inline constexpr std::size_t max_idempotency_key = 255;

// Locks the key until commit and answers a repeat: the stored answer (with
// "Idempotent-Replayed: true"), or 422 when the key was used for another
// method or path; nullopt when the key is new.
std::optional<http_response> answer_kept_for(pqxx::dbtransaction& tx, const std::string& key,
                                             const std::string& method, const std::string& path);

void keep_answer(pqxx::dbtransaction& tx, const std::string& key, const std::string& method,
                 const std::string& path, const http_response& answer);

}  // namespace vpnbot::api
