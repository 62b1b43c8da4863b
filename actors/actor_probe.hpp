#pragma once

// Per-actor-kind metrics: messages handled, mailbox depth and handling time.
// CAF 0.17 has no built-in actor metrics, so handlers are wrapped:
//
//   caf::behavior b{instrumented(self, st.probe, [=](tick_atom) { ... }), ...};
//
// The wrapper has the same signature as the handler, so CAF's pattern
// matching and typed interfaces see no difference.

#include <caf/detail/type_list.hpp>
#include <caf/detail/type_traits.hpp>
#include <chrono>
#include <string>
#include <utility>

#include "adapters/metrics/family.hpp"

namespace vpnbot {

// Declared once for every kind of actor (docs/METRICS.md, "Actors").
struct actor_metrics {
  explicit actor_metrics(metrics::registry& r)
      : handled(r, "vpnbot_actor_messages_total", "Messages handled, by actor kind", {"kind"}),
        mailbox_depth(r, "vpnbot_actor_mailbox_depth",
                      "Mailbox depth seen at the last handled message, by actor kind", {"kind"}),
        handling_seconds(r, "vpnbot_actor_handling_seconds",
                         "Time spent in one message handler, by actor kind", {"kind"}) {}

  metrics::counter_family handled;
  metrics::gauge_family mailbox_depth;
  metrics::histogram_family handling_seconds;
};

class actor_probe {
 public:
  explicit actor_probe(const std::string& kind, metrics::registry& reg = metrics::global())
      : actor_probe(actor_metrics(reg), kind) {}

  // Times one handler invocation; records on destruction.
  class scope {
   public:
    explicit scope(actor_probe& p) : probe_(p), start_(std::chrono::steady_clock::now()) {}
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;
    ~scope() {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
      probe_.handled_.inc();
      probe_.duration_.observe(took.count());
    }

   private:
    actor_probe& probe_;
    std::chrono::steady_clock::time_point start_;
  };

  void mailbox_depth(size_t n) { depth_.set(static_cast<double>(n)); }

 private:
  // The series are resolved once; a probe keeps no family (a session actor
  // each has a probe, so it stays small).
  actor_probe(const actor_metrics& m, const std::string& kind)
      : handled_(m.handled.with({kind})),
        depth_(m.mailbox_depth.with({kind})),
        duration_(m.handling_seconds.with({kind})) {}

  metrics::counter& handled_;
  metrics::gauge& depth_;
  metrics::histogram& duration_;
};

namespace detail {

template <class Self, class F, class R, class... Ts>
auto instrument(Self* self, actor_probe* probe, F f, caf::detail::type_list<Ts...>, R*) {
  return [self, probe, f = std::move(f)](Ts... xs) mutable -> R {
    probe->mailbox_depth(self->mailbox().size());
    actor_probe::scope timer{*probe};
    return f(std::forward<Ts>(xs)...);
  };
}

}  // namespace detail

template <class Self, class F>
auto instrumented(Self* self, actor_probe& probe, F f) {
  using trait = caf::detail::get_callable_trait<F>;
  using result = typename trait::result_type;
  return detail::instrument(self, &probe, std::move(f), typename trait::arg_types{},
                            static_cast<result*>(nullptr));
}

}  // namespace vpnbot
