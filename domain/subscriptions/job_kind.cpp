#include "domain/subscriptions/job_kind.hpp"

#include <array>
#include <utility>

#include "adapters/db/jobs_repository.hpp"

namespace vpnbot::subscriptions {
namespace {

constexpr std::array<std::pair<job_kind, std::string_view>, 5> names{{
    {job_kind::create_client, "create_client"},
    {job_kind::extend_client, "extend_client"},
    {job_kind::enable_client, "enable_client"},
    {job_kind::disable_client, "disable_client"},
    {job_kind::remove_client, "remove_client"},
}};

}  // namespace

std::string_view name(job_kind k) {
  for (const auto& [kind, n] : names)
    if (kind == k) return n;
  return "unknown";
}

std::optional<job_kind> parse_job_kind(std::string_view s) {
  for (const auto& [kind, n] : names)
    if (n == s) return kind;
  return std::nullopt;
}

bool enqueue_job(pqxx::dbtransaction& tx, job_kind kind, int64_t subscription_id,
                 const std::string& idempotency_key, nlohmann::json extra) {
  extra["subscription_id"] = subscription_id;
  bool queued =
      db::enqueue_job(tx, std::string(name(kind)), subscription_id, extra, idempotency_key);
  // Delivered by PostgreSQL at the commit, once per transaction however many
  // jobs it queued; nothing on a rollback.
  if (queued) tx.exec(std::string("NOTIFY ") + jobs_channel);
  return queued;
}

}  // namespace vpnbot::subscriptions
