// The operator's numbers (admin::collect_stats) as one message.

#include "domain/admin/service_stats.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"

namespace vpnbot::telegram::screens {
namespace {

// "199 ₽, 50 ⭐", or "—" for none.
std::string money_list(const std::map<std::string, int64_t>& by_currency) {
  std::string out;
  for (const auto& [currency, minor] : by_currency)
    out += (out.empty() ? "" : ", ") + format_price(minor, currency);
  return out.empty() ? "—" : out;
}

// "succeeded 3, pending 1", or "—" for none.
std::string count_list(const std::map<std::string, int64_t>& by_name) {
  std::string out;
  for (const auto& [name, n] : by_name)
    out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return out.empty() ? "—" : out;
}

}  // namespace

view admin_stats_view(turn& t) {
  auto s = admin::collect_stats(t.tx);
  auto n = [](int64_t v) { return std::to_string(v); };
  return {t.t().message(t.lang, "admin.stats",
                        {{"users", n(s.users_total)},
                         {"today", n(s.users_new_today)},
                         {"week", n(s.users_new_7d)},
                         {"paid", n(s.active_paid)},
                         {"trials", n(s.active_trials)},
                         {"expiring", n(s.expiring_3d)},
                         {"revenue_today", money_list(s.revenue_today)},
                         {"revenue_30d", money_list(s.revenue_30d)},
                         {"payments", count_list(s.payments_by_status)},
                         {"jobs_waiting", n(s.jobs_waiting)},
                         {"jobs_dead", n(s.jobs_dead)},
                         {"outbox", count_list(s.outbox_queued)}}),
          {{{inline_button::callback(t.t().label(t.lang, "btn.refresh"),
                                     encode_callback(open_screen{screen::admin_stats}).value()),
             inline_button::callback(t.t().label(t.lang, "btn.back"),
                                     encode_callback(open_screen{screen::admin}).value())}}}};
}

}  // namespace vpnbot::telegram::screens
