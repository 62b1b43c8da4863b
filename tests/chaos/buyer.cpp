#include "chaos/buyer.hpp"

#include "support/bot_harness.hpp"

namespace vpnbot::chaos {
namespace {

// A screen (sent or edited) that offers this button.
call_match offers(const std::string& label) {
  return [label](const emulators::bot_api_call& c) {
    return (c.method == "sendMessage" || c.method == "editMessageText") &&
           !testing_support::callback_of(c.params, label).empty();
  };
}

}  // namespace

purchase buy_plan(chaos_world& w, const payment_route& route, int64_t user) {
  auto mark = w.observer.mark();
  w.telegram.push_text(user, "/start");
  // Each screen's button, pressed on the screen before it.
  for (const std::string& label : {std::string("Buy"), std::string("30 days"), route.button}) {
    auto screen = w.observer.wait_for(user, mark, offers(label), step_timeout);
    if (!screen) return {{}, "a screen with '" + label + "'"};
    mark = w.observer.mark();
    w.telegram.push_callback(user, screen->message_id,
                             testing_support::callback_of(screen->params, label));
  }
  return route.pay(w, user, mark);
}

}  // namespace vpnbot::chaos
