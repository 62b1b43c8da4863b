#include "domain/subscriptions/activation.hpp"

#include <algorithm>

#include "adapters/codec/utf8.hpp"
#include "adapters/db/notifications_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/prepared.hpp"
#include "adapters/db/subscription_liveness.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/client_identity.hpp"
#include "domain/bot/ui/callback_data.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/bot/ui/texts.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "domain/subscriptions/job_recheck.hpp"
#include "domain/subscriptions/key_delivery.hpp"

namespace vpnbot::activation {
namespace {

int64_t expiry_ms(pqxx::dbtransaction& tx, int64_t subscription_id) {
  return db::exec_prepared_sql(
             tx,
             "SELECT (extract(epoch from expires_at) * 1000)::bigint FROM subscriptions"
             " WHERE id = $1",
             subscription_id)[0][0]
      .as<int64_t>();
}

}  // namespace

std::chrono::milliseconds activation_backoff(int attempts, std::chrono::milliseconds retry_min) {
  auto exp = std::clamp(attempts, 1, 20);
  return std::min(retry_min * (1 << (exp - 1)), std::chrono::milliseconds(600000));
}

std::vector<activation_task> lease_activation_tasks(pqxx::dbtransaction& tx,
                                                    const std::string& owner, int limit,
                                                    std::chrono::seconds lease_for,
                                                    const std::vector<std::string>& healthy,
                                                    const std::string& fallback) {
  std::vector<activation_task> out;
  for (auto& job : db::lease_jobs(tx, owner, limit, lease_for)) {
    activation_task t;
    t.job = job;
    t.subscription_id = job.subject_id;
    auto sub = db::find_subscription(tx, job.subject_id);
    if (!sub) {
      db::fail_job(tx, job.id, owner, "subscription not found", std::chrono::seconds(0), 1);
      continue;
    }
    auto kind = subscriptions::parse_job_kind(job.kind);
    if (!kind) {
      db::fail_job(tx, job.id, owner, "unknown job kind \"" + job.kind + "\"",
                   std::chrono::seconds(0), 1);
      continue;
    }
    t.kind = *kind;
    if (auto now = db::find_subscription_liveness(tx, sub->id))
      if (auto why = overtaken_by(t.kind, *now)) {
        if (db::skip_job(tx, job.id, owner, *why)) {
          t.skipped = *why;
          out.push_back(std::move(t));
        }
        continue;
      }
    std::optional<db::panel_row> panel;
    if (sub->panel_id) panel = db::find_panel_by_id(tx, *sub->panel_id);
    if (!panel) {
      // The user's chosen location while it is healthy, else the least busy;
      // stored, so every retry goes to the same panel.
      if (auto pref = db::preferred_panel(tx, sub->user_id)) {
        auto chosen = db::find_panel_by_id(tx, *pref);
        if (chosen && chosen->active &&
            std::find(healthy.begin(), healthy.end(), chosen->name) != healthy.end())
          panel = chosen;
      }
      if (!panel) panel = db::least_loaded_panel(tx, healthy);
      if (!panel && !fallback.empty()) panel = db::find_panel_by_name(tx, fallback);
      if (panel) db::assign_panel(tx, sub->id, panel->id);
    }
    t.panel = panel ? panel->name : "";
    auto user = db::find_user_by_id(tx, sub->user_id);
    auto plan = db::find_plan_by_id(tx, sub->plan_id);
    t.telegram_id = user ? user->telegram_id : 0;
    t.lang =
        telegram::parse_language(user ? user->language : "en").value_or(telegram::language::en);
    t.blocked = user && user->blocked_bot;
    t.client.id = sub->client_uuid;
    t.client.email = sub->client_email;
    t.client.sub_id = sub->sub_id;
    t.client.tg_id = t.telegram_id;
    // A banned user's client stays off whatever job runs; unban re-enables it.
    t.client.enable = t.kind != subscriptions::job_kind::disable_client && !(user && user->banned);
    t.client.expiry_time_ms = expiry_ms(tx, sub->id);
    if (plan) {
      t.client.total_bytes = plan->def.traffic_limit_bytes;
      t.client.limit_ip = plan->def.device_limit;
      t.raw_link = plan->def.raw_link;
    }
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

// What the panel generated, kept when it fits our columns (a UUID, 16
// [a-z0-9]); a part that does not is left as we made it, and said.
void store_panel_secrets(pqxx::dbtransaction& tx, const activation_task& task,
                         const panel::xui_client& created) {
  bool uuid_ok = panel::is_uuid(created.id);
  bool sub_ok = panel::is_sub_id(created.sub_id);
  if (!uuid_ok || !sub_ok)
    log::warn("activation", "panel answered a client id or subId we cannot store",
              {{"job", task.job.id}, {"uuid", created.id}, {"sub_id", created.sub_id}});
  db::set_client_secrets(tx, task.subscription_id, uuid_ok ? created.id : task.client.id,
                         sub_ok ? created.sub_id : task.client.sub_id);
}

}  // namespace

recorded record_activation_success(pqxx::dbtransaction& tx, const activation_task& task,
                                   const std::string& owner, const std::optional<std::string>& link,
                                   const std::optional<std::string>& sub_url,
                                   const std::optional<panel::xui_client>& created) {
  recorded r;
  r.done = db::complete_job(tx, task.job.id, owner);
  if (r.done && created && (created->id != task.client.id || created->sub_id != task.client.sub_id))
    store_panel_secrets(tx, task, *created);
  if (!r.done || task.kind != subscriptions::job_kind::create_client || !link) return r;
  db::set_access_link(tx, task.subscription_id, *link);
  if (task.blocked || task.telegram_id == 0) return r;
  telegram::outbox_writer out(tx);
  subscriptions::send_key(out, task.telegram_id, task.lang, *link, sub_url);
  r.outbox_ids = out.ids();
  return r;
}

failure_recorded record_activation_failure(pqxx::dbtransaction& tx, const activation_task& task,
                                           const std::string& owner, const std::string& error,
                                           int max_attempts, std::chrono::milliseconds retry_min) {
  failure_recorded r;
  r.fate = db::fail_job(tx, task.job.id, owner,
                        codec::truncate_utf8(error, 500, codec::text_unit::bytes),
                        activation_backoff(task.job.attempts, retry_min), max_attempts);
  if (r.fate != db::job_fate::dead || task.blocked || task.telegram_id == 0) return r;
  if (task.kind != subscriptions::job_kind::create_client &&
      task.kind != subscriptions::job_kind::extend_client)
    return r;
  auto sub = db::find_subscription(tx, task.subscription_id);
  if (!db::claim_notification(tx, sub->user_id, "key_delayed",
                              "key_delayed:" + std::to_string(task.job.id), "{}"))
    return r;
  const auto& t = telegram::texts::builtin();
  telegram::outbox_writer out(tx);
  // A trial was not paid for: its notice must not say so.
  auto text = sub->kind == "trial" ? "key.delayed_trial" : "key.delayed";
  out.add(telegram::lane::transactional,
          telegram::send_message{.chat_id = task.telegram_id,
                                 .text = t.message(task.lang, text),
                                 .mode = telegram::parse_mode::html});
  r.outbox_ids = out.ids();
  return r;
}

}  // namespace vpnbot::activation
