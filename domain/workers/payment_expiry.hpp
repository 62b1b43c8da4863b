#pragma once

// Pending payments past their TTL become `expired` (a conditional update: a
// payment finalized meanwhile is left alone), and the user is told once.

#include "domain/workers/notice.hpp"
#include "domain/workers/step.hpp"

namespace vpnbot::workers {

step_report expire_payments(pqxx::dbtransaction& tx, std::chrono::system_clock::time_point now,
                            const notice_context& ctx);

}  // namespace vpnbot::workers
