#include "domain/subscriptions/key_delivery.hpp"

#include "adapters/panel/qr_png.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::subscriptions {

void send_key(telegram::outbox_writer& out, int64_t telegram_id, telegram::language lang,
              const std::string& link) {
  const auto& t = telegram::texts::builtin();
  out.add(telegram::lane::transactional,
          telegram::send_message{.chat_id = telegram_id,
                                 .text = t.message(lang, "key.ready", {{"link", link}}),
                                 .mode = telegram::parse_mode::html,
                                 .disable_link_preview = true,
                                 .reply_markup = telegram::back_to_menu(t, lang)});
  if (auto png = panel::qr_png(link))
    out.add(telegram::lane::transactional,
            telegram::send_photo{.chat_id = telegram_id, .png = *png, .filename = "key.png"});
}

}  // namespace vpnbot::subscriptions
