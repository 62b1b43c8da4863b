#pragma once

// The ways a buyer pays, one entry per provider: the button on the bot's
// method screen, whether the service's watcher asks that provider about
// invoices (so a lost notification is found anyway), and how the payer pays
// at the provider once the method was chosen.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chaos/chaos_world.hpp"
#include "chaos/notification.hpp"

namespace vpnbot::chaos {

struct checkout {
  std::string payment_id;
  notification paid;
};

// How a purchase ended: paid, stalled at a step that never came, or left
// by a kill with its invoice in doubt (the outbox does not send an invoice
// again, docs/ARCHITECTURE.md "Telegram (actors)"): the user starts over.
struct purchase {
  std::optional<checkout> paid;
  std::string stalled_at;
  bool invoice_in_doubt = false;
};

struct payment_route {
  std::string provider;  // payments.provider
  std::string button;    // on the method screen
  bool watcher_finds_lost = false;
  // Called after the method's button was pressed (bot calls from `mark` on):
  // waits for the invoice, pays it; the provider's notification of that.
  std::function<purchase(chaos_world&, int64_t user, std::size_t mark)> pay;
};

const std::vector<payment_route>& payment_routes();

// How long a buyer waits for one screen or invoice: long enough to cover a
// restart of the binary or a cut of its database.
inline constexpr std::chrono::seconds step_timeout{60};

}  // namespace vpnbot::chaos
