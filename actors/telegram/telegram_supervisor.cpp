#include "actors/telegram/telegram_supervisor.hpp"

#include <caf/local_actor.hpp>
#include <memory>

#include "actors/cluster/leader_gate.hpp"
#include "actors/http_client.hpp"
#include "actors/telegram/broadcaster.hpp"
#include "actors/telegram/outbox.hpp"
#include "actors/telegram/session_manager.hpp"
#include "actors/telegram/update_poller.hpp"
#include "actors/telegram/webhook_receiver.hpp"

namespace vpnbot::telegram {

caf::expected<bot_profile> profile_from(const config::settings& settings) {
  const auto& tg = settings.telegram;
  auto api = endpoint::make(tg.api_base, tg.token);
  if (!api) return caf::make_error(caf::sec::invalid_argument, "telegram: " + api.error());
  bot_profile p{.api = *api};
  p.admin_ids = settings.bot.admin_ids;
  p.support = settings.bot.support;
  p.payment_methods = settings.bot.payment_methods;
  p.currency = settings.bot.currency;
  p.referral_bonus = static_cast<int64_t>(settings.bot.referral_bonus);
  p.flood = {tg.flood_window, static_cast<int64_t>(tg.flood_limit)};
  p.payment_ttl = std::chrono::duration_cast<std::chrono::seconds>(settings.bot.payment_ttl);
  p.node = settings.service.node_name;
  return p;
}

outbox_settings outbox_rates(const config::telegram_settings& tg) {
  outbox_settings rates;
  if (tg.unlimited_rates) {
    // A billion a second: the buckets never make a call wait.
    rates.global_rate = rates.chat_rate = 1e9;
    rates.global_burst = rates.chat_burst = 1'000'000;
    return rates;
  }
  rates.global_rate = tg.global_rate;
  rates.global_burst = std::max(1u, tg.global_rate / 10);
  rates.chat_rate = tg.chat_rate;
  rates.chat_burst = tg.chat_burst;
  return rates;
}

supervision::child_spec telegram_child(const config::settings& settings, bot_profile profile,
                                       const components& wiring, metrics::registry& registry) {
  const auto& tg = settings.telegram;
  supervision::supervisor_spec spec;
  spec.name = "telegram";
  spec.restart_strategy = supervision::strategy::rest_for_one;
  spec.limits = settings.supervision;
  auto http = make_slot<http_client_actor>();
  spec.children.push_back(http_client_child(settings.http_client, http, registry));

  auto rates = outbox_rates(tg);
  supervision::child_spec outbox;
  outbox.name = "outbox";
  auto paid_rate = tg.unlimited_rates ? rates.global_rate : double(tg.paid_broadcast_rate);
  outbox.start = [http, api = profile.api, rates, paid_rate, max_in_flight = tg.max_in_flight,
                  &registry, wiring](caf::local_actor* sup) {
    outbox_config cfg;
    cfg.api = api;
    cfg.http = http->get();
    cfg.rates = rates;
    cfg.paid_broadcast_rate = paid_rate;
    cfg.max_in_flight = max_in_flight;
    cfg.registry = &registry;
    cfg.wiring = wiring;
    return caf::actor_cast<caf::actor>(spawn_outbox(sup->system(), cfg));
  };
  // On a cluster the leader sends for every node: Telegram's limits are the
  // bot's, not a node's (docs/ARCHITECTURE.md, "Cluster").
  spec.children.push_back(cluster::leader_only(std::move(outbox), wiring));

  supervision::child_spec sessions;
  sessions.name = "sessions";
  sessions.start = [http, profile, idle = tg.session_idle_timeout, &registry,
                    wiring](caf::local_actor* sup) {
    session_manager_config cfg;
    cfg.bot = profile;
    cfg.http = http->get();
    cfg.idle_timeout = idle;
    cfg.registry = &registry;
    cfg.wiring = wiring;
    return caf::actor_cast<caf::actor>(spawn_session_manager(sup->system(), cfg));
  };
  spec.children.push_back(std::move(sessions));

  supervision::child_spec source;
  if (tg.mode == "webhook") {
    source.name = "webhook";
    source.start = [http, api = profile.api, url = tg.webhook_url, secret = tg.webhook_secret,
                    &registry, wiring](caf::local_actor* sup) {
      webhook_receiver_config cfg;
      cfg.api = api;
      cfg.http = http->get();
      cfg.public_url = url;
      cfg.secret = secret;
      cfg.registry = &registry;
      cfg.wiring = wiring;
      return spawn_webhook_receiver(sup->system(), cfg);
    };
  } else {
    source.name = "poller";
    source.start = [http, api = profile.api, bot_id = bot_id_of_token(tg.token),
                    timeout = tg.poll_timeout, backoff = tg.conflict_backoff, &registry,
                    wiring](caf::local_actor* sup) {
      update_poller_config cfg;
      cfg.api = api;
      cfg.bot_id = bot_id;
      cfg.http = http->get();
      cfg.poll_timeout = timeout;
      cfg.conflict_backoff = backoff;
      cfg.registry = &registry;
      cfg.wiring = wiring;
      return spawn_update_poller(sup->system(), cfg);
    };
  }
  // A webhook has a receiver on every node; polling is for one node only.
  spec.children.push_back(tg.mode == "webhook" ? std::move(source)
                                               : cluster::leader_only(std::move(source), wiring));

  // Last: a crash of it restarts nothing else; it finds the outbox by its slot.
  supervision::child_spec broadcasts;
  broadcasts.name = "broadcaster";
  broadcasts.start = [&registry, wiring, catalog = profile.catalog,
                      interval = tg.broadcast_progress_interval](caf::local_actor* sup) {
    broadcaster_config cfg;
    cfg.catalog = catalog;
    cfg.progress_interval = interval;
    cfg.registry = &registry;
    cfg.wiring = wiring;
    return spawn_broadcaster(sup->system(), cfg);
  };
  spec.children.push_back(cluster::leader_only(std::move(broadcasts), wiring));
  return supervision::supervisor_child(std::move(spec), registry);
}

}  // namespace vpnbot::telegram
