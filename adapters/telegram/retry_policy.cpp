#include "adapters/telegram/retry_policy.hpp"

#include <algorithm>

namespace vpnbot::telegram {

namespace {

std::chrono::milliseconds backoff(unsigned failures_so_far, const retry_settings& s) {
  // base * 2^n, computed without overflow: stop doubling once past the cap.
  auto d = s.backoff_base;
  for (unsigned i = 0; i < failures_so_far && d < s.backoff_cap; ++i) d *= 2;
  return std::min(d, s.backoff_cap);
}

std::string describe(const telegram_error& e) {
  std::string r(to_string(e.kind));
  if (e.code != 0) r += " " + std::to_string(e.code);
  if (!e.description.empty()) r += ": " + e.description;
  return r;
}

}  // namespace

decision decide(const telegram_error& e, attempt_counts before, const retry_settings& s) {
  decision d;
  d.reason = describe(e);
  switch (e.kind) {
    case error_kind::not_modified:
      d.what = verdict::done;
      break;
    case error_kind::flood:
      if (before.floods + 1 >= s.max_floods) {
        d.what = verdict::give_up;
        d.reason = "still flooded after " + std::to_string(s.max_floods) + " waits: " + d.reason;
      } else {
        d.what = verdict::retry;
        d.delay =
            e.retry_after
                ? std::chrono::duration_cast<std::chrono::milliseconds>(*e.retry_after)
                : std::chrono::duration_cast<std::chrono::milliseconds>(s.default_retry_after);
      }
      break;
    case error_kind::server_error:
    case error_kind::transport:
      if (before.failures + 1 >= s.max_failures) {
        d.what = verdict::give_up;
        d.reason = "failed " + std::to_string(s.max_failures) + " times: " + d.reason;
      } else {
        d.what = verdict::retry;
        d.delay = backoff(before.failures, s);
      }
      break;
    case error_kind::blocked:
    case error_kind::deactivated:
      d.what = verdict::unreachable;
      d.mark_blocked = true;
      break;
    case error_kind::forbidden:
      d.what = verdict::unreachable;
      break;
    case error_kind::query_too_old:
    case error_kind::chat_migrated:
    case error_kind::bad_request:
      d.what = verdict::give_up;
      break;
    case error_kind::unauthorized:
    case error_kind::not_found:
    case error_kind::conflict_webhook:
    case error_kind::conflict_other_poller:
      d.what = verdict::fatal;
      break;
  }
  return d;
}

}  // namespace vpnbot::telegram
