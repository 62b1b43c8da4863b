#include "actors/panel/panel_actor.hpp"

#include <caf/all.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>

#include "actors/actor_probe.hpp"
#include "actors/panel/panel_metrics.hpp"
#include "adapters/crypto/totp.hpp"
#include "adapters/http/client_error.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/panel_api.hpp"
#include "adapters/panel/panel_error.hpp"
#include "adapters/panel/panel_protocol.hpp"
#include "adapters/panel/remnawave_protocol.hpp"
#include "adapters/panel/xui_protocol.hpp"
#include "adapters/resilience/backoff.hpp"
#include "adapters/resilience/circuit_breaker.hpp"
#include "adapters/resilience/retry_budget.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {
namespace {

using panel::panel_errc;
using panel::panel_op;
using resilience::breaker_state;
using op_kind = panel_op;

// An email no client has: the legacy endpoint the API probe asks for.
constexpr std::string_view probe_email = "vpnbot-api-probe";

std::string_view to_string(op_kind k) {
  switch (k) {
    case op_kind::create:
      return "add_client";
    case op_kind::update:
      return "update_client";
    case op_kind::remove:
      return "delete_client";
    case op_kind::traffic:
      return "get_traffic";
    case op_kind::list:
      return "list_clients";
    case op_kind::inbound:
      return "get_inbound";
    case op_kind::links:
      return "get_links";
  }
  return "unknown";
}

double state_value(breaker_state s) {
  switch (s) {
    case breaker_state::closed:
      return 0;
    case breaker_state::open:
      return 1;
    case breaker_state::half_open:
      return 2;
  }
  return 0;
}

std::string outcome_label(const caf::error& e) {
  if (!e) return "ok";
  if (auto code = panel::panel_error_code(e)) return std::string(panel::to_string(*code));
  return "other";
}

// One request of a caller, from arrival to answer, across attempts.
struct operation {
  uint64_t id = 0;
  panel::panel_call call;
  std::optional<panel::call_step> step;  // the exchange to send next; none: the first
  caf::response_promise promise;
  unsigned attempts = 0;  // counted attempts started
  bool relogged = false;  // the one re-login after "session expired" is used
  std::optional<resilience::backoff> backoff;
  resilience::time_point started;
};

using op_ptr = std::shared_ptr<operation>;

// One panel's series of the panel metrics (panel_metrics.hpp).
struct panel_series {
  panel_series(metrics::registry& r, const std::string& panel)
      : families(r),
        name(panel),
        breaker(&families.breaker_state.with({panel})),
        in_flight(&families.in_flight.with({panel})),
        queued(&families.queue_depth.with({panel})),
        relogins(&families.relogins.with({panel})) {}
  void api(panel::panel_api chosen) {
    for (auto a : {panel::panel_api::legacy, panel::panel_api::v3_1, panel::panel_api::remnawave})
      families.info.with({name, std::string(panel::to_string(a))}).set(a == chosen ? 1 : 0);
  }
  void call(op_kind k, const caf::error& e, double seconds) {
    auto op = std::string(to_string(k));
    families.calls.with({name, op, outcome_label(e)}).inc();
    families.call_seconds.with({name, op}).observe(seconds);
  }
  void retry(op_kind k) { families.retries.with({name, std::string(to_string(k))}).inc(); }
  void login(const caf::error& e) { families.logins.with({name, outcome_label(e)}).inc(); }
  void transition(breaker_state to) {
    breaker->set(state_value(to));
    families.breaker_transitions.with({name, std::string(resilience::to_string(to))}).inc();
  }

  activation::panel_metrics families;
  std::string name;
  metrics::gauge* breaker;
  metrics::gauge* in_flight;
  metrics::gauge* queued;
  metrics::counter* relogins;
};

resilience::breaker_settings breaker_settings(const config::panel_defaults_settings& l) {
  resilience::breaker_settings b;
  b.consecutive_failures = l.breaker_failures;
  b.failure_rate_percent = l.breaker_failure_rate;
  b.minimum_calls = l.breaker_minimum_calls;
  b.window = l.breaker_window;
  b.open_for = l.breaker_open_for;
  // A probe always reports (the HTTP client answers every call), this only
  // guards against a lost one.
  b.probe_timeout = l.breaker_open_for;
  return b;
}

// The public interface plus the retries it schedules for itself.
using panel_impl = panel_actor::extend<caf::reacts_to<panel_retry_atom, uint64_t>>;

struct panel_state {
  static inline const char* name = "panel";

  panel_impl::pointer self = nullptr;
  panel_actor_config cfg;
  panel::xui_endpoint endpoint;
  std::optional<panel::xui_version> version;
  panel::api_choice configured;  // the `version` setting
  // The API spoken: configured, or probed after login (nullptr: not yet).
  std::unique_ptr<panel::panel_protocol> protocol;
  panel::xui_session session;
  uint64_t session_generation = 0;  // bumped by every login
  bool logged_in = false;
  bool logging_in = false;
  std::vector<std::function<void(caf::error)>> login_waiters;

  std::unique_ptr<panel_series> stats;
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<resilience::circuit_breaker> breaker;
  std::unique_ptr<resilience::retry_budget> budget;
  std::mt19937_64 seeds;

  uint64_t next_id = 1;
  std::deque<op_ptr> queue;
  std::map<uint64_t, op_ptr> waiting_retry;
  unsigned in_flight = 0;

  resilience::time_point now() const { return self->clock().now(); }

  bool remnawave() const { return protocol && protocol->api() == panel::panel_api::remnawave; }

  void publish() {
    stats->in_flight->set(in_flight);
    stats->queued->set(static_cast<double>(queue.size()));
  }

  // -- admission --------------------------------------------------------------

  void accept(op_kind kind, panel::xui_client client) {
    auto op = std::make_shared<operation>();
    op->id = next_id++;
    op->call.op = kind;
    op->call.inbound_id = cfg.panel.inbound_id;
    op->call.client = std::move(client);
    op->promise = self->make_response_promise();
    op->started = now();
    // Only Remnawave makes a client's links; refused before any permit or
    // call, so the breaker hears nothing of it.
    if (kind == op_kind::links && cfg.panel.kind != "remnawave") {
      finish(op,
             caf::make_error(panel_errc::invalid_argument,
                             "panel " + cfg.panel.name + " builds its links from the inbound"),
             false);
    } else if (in_flight < cfg.limits.max_in_flight) {
      start(op);
    } else if (queue.size() < cfg.limits.max_queue) {
      queue.push_back(op);
    } else {
      finish(op,
             caf::make_error(panel_errc::overloaded,
                             "panel " + cfg.panel.name + ": too many operations waiting"),
             false);
    }
    publish();
  }

  void start(const op_ptr& op) {
    ++in_flight;
    budget->on_request(now());
    attempt(op, true);
  }

  // -- attempts ----------------------------------------------------------------

  void attempt(const op_ptr& op, bool counted) {
    if (counted) ++op->attempts;
    auto permit = breaker->try_acquire(now());
    if (!permit) {
      finish(op, caf::make_error(panel_errc::circuit_open,
                                 "panel " + cfg.panel.name + ": circuit open after failures"));
      return;
    }
    call(op, *permit);
  }

  // The attempt's next call, under the attempt's permit.
  void call(const op_ptr& op, resilience::circuit_breaker::permit p) {
    ensure_session([this, op, p](caf::error err) {
      if (err) return settle(op, p, std::move(err), 0);
      if (!op->step) op->step = protocol->first_step(op->call.op);
      send(op, p);
    });
  }

  http_client_request to_http(outbound_request r) const {
    http_client_request h;
    h.method = std::move(r.method);
    h.url = std::move(r.url);
    h.headers = std::move(r.headers);
    h.body = std::move(r.body);
    h.target = "panel";
    h.connect_timeout = cfg.panel.connect_timeout;
    h.read_timeout = cfg.panel.call_timeout;
    h.total_timeout = cfg.panel.call_timeout;
    h.skip_tls_verify = !cfg.panel.verify_tls;
    return h;
  }

  // The HTTP client answers every call within its own deadline; this is only
  // a backstop against a lost reply.
  caf::timespan request_timeout() const {
    return cfg.panel.call_timeout + cfg.panel.connect_timeout + std::chrono::seconds(1);
  }

  // An error of the HTTP layer as a panel error.
  static caf::error transport_error(const caf::error& e) {
    auto code = http::client_error_code(e);
    if (e == caf::sec::request_timeout || code == http::client_errc::timeout)
      return caf::make_error(panel_errc::timeout, to_string(e));
    return caf::make_error(panel_errc::unreachable, to_string(e));
  }

  void send(const op_ptr& op, resilience::circuit_breaker::permit p) {
    auto generation = session_generation;
    self->request(cfg.http, request_timeout(),
                  to_http(protocol->request(op->call, *op->step, endpoint, session)))
        .then(
            [this, op, p, generation](http_client_response& r) {
              if (r.status >= 500 || r.status == 429)
                return settle(op, p,
                              caf::make_error(r.status == 500 ? panel_errc::server_panic
                                                              : panel_errc::unexpected_status,
                                              "HTTP " + std::to_string(r.status)),
                              generation);
              protocol->carry(op->call, *op->step, r.status, r.body);
              settle(op, p, protocol->read(op->call, *op->step, r.status, r.body, version),
                     generation);
            },
            [this, op, p, generation](caf::error& e) {
              settle(op, p, transport_error(e), generation);
            });
  }

  static bool is_transient(const caf::error& e) {
    auto code = panel::panel_error_code(e);
    return code == panel_errc::timeout || code == panel_errc::unreachable ||
           code == panel_errc::server_panic || code == panel_errc::unexpected_status;
  }

  static bool breaker_failure(const caf::error& e) {
    return is_transient(e) || panel::panel_error_code(e) == panel_errc::malformed_reply;
  }

  // The outcome of one call: go on to the attempt's next call, or feed the
  // breaker with the attempt's outcome, then repeat, retry or answer. The
  // breaker hears an attempt once, whatever its calls: a lookup that
  // succeeded must not count for the create after it that failed.
  void settle(const op_ptr& op, resilience::circuit_breaker::permit p,
              caf::expected<panel::step_outcome> result, uint64_t generation) {
    if (result) {
      if (auto* next = std::get_if<panel::call_step>(&*result)) {
        op->step = *next;
        return call(op, p);
      }
    }
    if (!result && breaker_failure(result.error()))
      breaker->on_failure(p, now());
    else
      breaker->on_success(p, now());
    if (result) return complete(op, std::move(std::get<panel::panel_value>(*result)));
    auto& e = result.error();
    auto code = panel::panel_error_code(e);
    if (code == panel_errc::endpoint_missing && !configured.api && protocol &&
        protocol->api() == panel::panel_api::legacy) {
      // The panel was upgraded to 3.1 under us: this call fails, the next
      // login probes again.
      log::warn("panel", "legacy client API gone, probing the API again",
                {{"panel", cfg.panel.name}});
      protocol.reset();
      logged_in = false;
    }
    if ((code == panel_errc::session_expired || code == panel_errc::csrf_rejected) &&
        cfg.panel.api_token.empty() && !op->relogged) {
      op->relogged = true;
      // Another operation may have logged in again meanwhile.
      if (generation == session_generation) {
        logged_in = false;
        stats->relogins->inc();
        log::info("panel", "session expired, logging in again", {{"panel", cfg.panel.name}});
      }
      return attempt(op, false);
    }
    if (is_transient(e)) return maybe_retry(op, std::move(e));
    finish(op, std::move(e));
  }

  void maybe_retry(const op_ptr& op, caf::error e) {
    if (op->attempts >= cfg.limits.max_attempts || !budget->try_retry(now()))
      return finish(op, std::move(e));
    if (!op->backoff) {
      resilience::backoff_settings b;
      b.min = cfg.limits.retry_backoff_min;
      b.max = cfg.limits.retry_backoff_max;
      op->backoff.emplace(b, seeds());
    }
    auto delay = op->backoff->next();
    stats->retry(op->call.op);
    log::debug(
        "panel", "retrying",
        {{"panel", cfg.panel.name},
         {"operation", std::string(to_string(op->call.op))},
         {"error", to_string(e)},
         {"delay_ms", std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()}});
    waiting_retry.emplace(op->id, op);
    self->delayed_send(self, delay, panel_retry_atom_v, op->id);
  }

  void resume(uint64_t id) {
    auto it = waiting_retry.find(id);
    if (it == waiting_retry.end()) return;
    auto op = it->second;
    waiting_retry.erase(it);
    // From the first step again: a lost answer may have changed the panel.
    op->step.reset();
    attempt(op, true);
  }

  // -- results -----------------------------------------------------------------

  void complete(const op_ptr& op, panel::panel_value value) {
    std::visit(
        [this, &op](auto& v) {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
            finish_ok(op);
          else
            finish_value(op, std::move(v));
        },
        value);
  }

  void finish_ok(const op_ptr& op) {
    op->promise.deliver(caf::ok_atom_v);
    done(op, caf::error{}, true);
  }

  template <class T>
  void finish_value(const op_ptr& op, T value) {
    op->promise.deliver(std::move(value));
    done(op, caf::error{}, true);
  }

  // Every error reaching here is of the panel category: HTTP-layer errors
  // were mapped by transport_error.
  void finish(const op_ptr& op, caf::error e, bool was_running = true) {
    op->promise.deliver(e);
    done(op, e, was_running);
  }

  void done(const op_ptr& op, const caf::error& e, bool was_running) {
    auto seconds = std::chrono::duration<double>(now() - op->started).count();
    stats->call(op->call.op, e, seconds);
    if (e)
      log::warn("panel", "operation failed",
                {{"panel", cfg.panel.name},
                 {"operation", std::string(to_string(op->call.op))},
                 {"error", to_string(e)},
                 {"attempts", op->attempts}});
    if (!was_running) return;
    --in_flight;
    while (in_flight < cfg.limits.max_in_flight && !queue.empty()) {
      auto next = queue.front();
      queue.pop_front();
      start(next);
    }
    publish();
  }

  // -- session -------------------------------------------------------------------

  void ensure_session(std::function<void(caf::error)> then) {
    bool authenticated = !cfg.panel.api_token.empty() || logged_in || remnawave();
    if (authenticated && protocol) return then(caf::error{});
    login_waiters.push_back(std::move(then));
    if (logging_in) return;
    logging_in = true;
    if (authenticated) return probe_api();
    session.cookie.clear();
    session.csrf_token.clear();
    if (panel::uses_csrf(version))
      fetch_csrf();
    else
      post_login();
  }

  void fetch_csrf() {
    self->request(cfg.http, request_timeout(),
                  to_http(panel::csrf_token_request(endpoint, session)))
        .then(
            [this](http_client_response& r) {
              auto token = panel::read_csrf_reply(r.status, r.body, version);
              if (token) {
                session.csrf_token = std::move(*token);
                if (auto c = panel::session_cookie(r.header_values("set-cookie")))
                  session.cookie = std::move(*c);
                return post_login();
              }
              // With the version unknown, a panel before v3.0 has no such route.
              auto code = panel::panel_error_code(token.error());
              if (!version &&
                  (code == panel_errc::endpoint_missing || code == panel_errc::session_expired))
                return post_login();
              login_done(std::move(token.error()));
            },
            [this](caf::error& e) { login_done(transport_error(e)); });
  }

  // The 30-second step a two-factor code belongs to.
  static int64_t totp_step(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() / 30;
  }

  // The panel checks a code against its own current step only (gotp), so a
  // code made just before a step ends can arrive stale: a refused login is
  // tried once more when the step has moved on since its code was made.
  void post_login(bool fresh_code_retry = false) {
    panel::xui_credentials credentials{cfg.panel.username, cfg.panel.password, ""};
    auto made_at = cfg.wall_clock();
    if (!cfg.panel.totp_secret.empty())
      credentials.two_factor_code = crypto::totp(cfg.panel.totp_secret, made_at).value_or("");
    self->request(cfg.http, request_timeout(),
                  to_http(panel::login_request(endpoint, credentials, session)))
        .then(
            [this, made_at, fresh_code_retry](http_client_response& r) {
              auto ok = panel::read_login_reply(r.status, r.body, version);
              if (!ok && !fresh_code_retry && !cfg.panel.totp_secret.empty() &&
                  panel::panel_error_code(ok.error()) == panel_errc::login_failed &&
                  totp_step(cfg.wall_clock()) != totp_step(made_at))
                return post_login(true);
              if (!ok) return login_done(std::move(ok.error()));
              if (auto c = panel::session_cookie(r.header_values("set-cookie")))
                session.cookie = std::move(*c);
              if (session.cookie.empty())
                return login_done(caf::make_error(panel_errc::malformed_reply,
                                                  "login reply set no session cookie"));
              logged_in = true;
              ++session_generation;
              if (!protocol) return probe_api();
              login_done(caf::error{});
            },
            [this](caf::error& e) { login_done(transport_error(e)); });
  }

  // Which client API the panel has: a legacy endpoint that answers at all
  // (HTTP 200, whatever the envelope says) means legacy, a 404 right after
  // a successful login means 3.1+.
  void probe_api() {
    self->request(cfg.http, request_timeout(),
                  to_http(panel::client_traffics_request(endpoint, session, probe_email)))
        .then(
            [this](http_client_response& r) {
              if (r.status == 200) return use_api(panel::panel_api::legacy, "probed");
              if (r.status == 404) return use_api(panel::panel_api::v3_1, "probed");
              auto reply = panel::read_reply(r.status, r.body, version);
              login_done(reply ? caf::make_error(panel_errc::unexpected_status,
                                                 "API probe: HTTP " + std::to_string(r.status))
                               : std::move(reply.error()));
            },
            [this](caf::error& e) { login_done(transport_error(e)); });
  }

  void use_api(panel::panel_api api, std::string_view how) {
    protocol =
        api == panel::panel_api::remnawave
            ? std::make_unique<panel::remnawave_protocol>(panel::parse_squads(cfg.panel.squads))
            : panel::make_panel_protocol(api);
    // A probed 3.1 panel reads its statuses as 3.1 does (a bare 401 is an
    // expired session, a 404 a missing endpoint).
    if (!configured.version)
      version = api == panel::panel_api::v3_1 ? std::optional<panel::xui_version>({3, 1, 0})
                                              : std::nullopt;
    stats->api(api);
    log::info("panel", "panel API",
              {{"panel", cfg.panel.name},
               {"api", std::string(panel::to_string(api))},
               {"source", std::string(how)}});
    if (logging_in) login_done(caf::error{});
  }

  void login_done(caf::error e) {
    logging_in = false;
    stats->login(e);
    if (e) log::warn("panel", "login failed", {{"panel", cfg.panel.name}, {"error", to_string(e)}});
    auto waiters = std::move(login_waiters);
    login_waiters.clear();
    for (auto& w : waiters) w(e);
  }
};

using panel_actor_t = panel_impl::stateful_pointer<panel_state>;

// The answer is delivered later through the operation's promise (accept);
// the handler only says which type it will be.
template <class T>
using later = caf::delegated<T>;

panel_impl::behavior_type panel_behavior(panel_actor_t self, panel_actor_config cfg,
                                         metrics::registry* registry) {
  auto& st = self->state;
  st.self = self;
  auto endpoint = panel::parse_endpoint(cfg.panel.base_url);
  // A Remnawave panel has one API and no login: the token goes with every call.
  auto remnawave = cfg.panel.kind == "remnawave";
  auto choice = remnawave ? std::optional<panel::api_choice>(
                                panel::api_choice{panel::panel_api::remnawave, std::nullopt})
                          : panel::parse_api_choice(cfg.panel.version);
  if (!endpoint || !choice) {
    self->quit(caf::make_error(caf::sec::invalid_argument,
                               "panel " + cfg.panel.name + ": bad base_url or version"));
    return panel_impl::behavior_type::make_empty_behavior();
  }
  st.endpoint = std::move(*endpoint);
  st.version = choice->version;
  st.configured = *choice;
  st.session.api_token = cfg.panel.api_token;
  st.seeds.seed(cfg.jitter_seed ? *cfg.jitter_seed : std::random_device{}());
  st.stats = std::make_unique<panel_series>(*registry, cfg.panel.name);
  st.probe = std::make_unique<actor_probe>("panel", *registry);
  auto* stats = st.stats.get();
  auto name = cfg.panel.name;
  st.breaker = std::make_unique<resilience::circuit_breaker>(
      breaker_settings(cfg.limits),
      [stats, name](breaker_state from, breaker_state to, resilience::time_point) {
        stats->transition(to);
        log::warn("panel", "circuit breaker changed state",
                  {{"panel", name},
                   {"from", std::string(resilience::to_string(from))},
                   {"to", std::string(resilience::to_string(to))}});
      });
  st.stats->breaker->set(0);
  resilience::retry_budget_settings rb;
  rb.window = cfg.limits.retry_budget_window;
  rb.ratio_percent = cfg.limits.retry_budget_percent;
  rb.min_retries = cfg.limits.retry_budget_min;
  st.budget = std::make_unique<resilience::retry_budget>(rb);
  st.cfg = std::move(cfg);
  if (choice->api) st.use_api(*choice->api, "configured");
  auto& probe = *st.probe;
  auto* s = &st;
  return {
      instrumented(self, probe,
                   [s](panel_add_client& m) -> later<panel_client> {
                     s->accept(op_kind::create, std::move(m.client));
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_update_client& m) -> later<caf::ok_atom> {
                     s->accept(op_kind::update, std::move(m.client));
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_delete_client& m) -> later<caf::ok_atom> {
                     panel_client c;
                     c.id = std::move(m.client_id);
                     c.email = std::move(m.email);
                     s->accept(op_kind::remove, std::move(c));
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_get_traffic& m) -> later<panel_client_traffic> {
                     panel_client c;
                     c.email = std::move(m.email);
                     s->accept(op_kind::traffic, std::move(c));
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_list_clients) -> later<std::vector<panel_client>> {
                     s->accept(op_kind::list, {});
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_get_inbound) -> later<panel_inbound> {
                     s->accept(op_kind::inbound, {});
                     return {};
                   }),
      instrumented(self, probe,
                   [s](panel_get_links& m) -> later<std::vector<std::string>> {
                     panel_client c;
                     c.email = std::move(m.email);
                     s->accept(op_kind::links, std::move(c));
                     return {};
                   }),
      instrumented(self, probe, [s](panel_retry_atom, uint64_t id) { s->resume(id); }),
      // /readyz shows an open circuit (the panel refuses calls for now).
      instrumented(self, probe,
                   [s](readiness_atom) {
                     readiness_report r;
                     if (s->breaker->state() == resilience::breaker_state::open)
                       r.not_ready.push_back("panel " + s->cfg.panel.name + ": circuit open");
                     return r;
                   }),
  };
}

}  // namespace

panel_actor spawn_panel_actor(caf::actor_system& sys, panel_actor_config cfg,
                              metrics::registry& registry) {
  return caf::actor_cast<panel_actor>(sys.spawn(panel_behavior, std::move(cfg), &registry));
}

}  // namespace vpnbot
