#include "domain/subscriptions/key_delivery.hpp"

#include "adapters/panel/qr_png.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::subscriptions {

void send_key(telegram::outbox_writer& out, int64_t telegram_id, telegram::language lang,
              const std::string& link, const std::optional<std::string>& sub_url) {
  const auto& t = telegram::texts::builtin();
  auto text = sub_url && *sub_url != link ? t.message(lang, "key.ready_with_sub_url",
                                                      {{"link", link}, {"sub_url", *sub_url}})
                                          : t.message(lang, "key.ready", {{"link", link}});
  out.add(telegram::lane::transactional,
          telegram::send_message{.chat_id = telegram_id,
                                 .text = text,
                                 .mode = telegram::parse_mode::html,
                                 .disable_link_preview = true,
                                 .reply_markup = telegram::back_to_menu(t, lang)});
  if (auto png = panel::qr_png(link))
    out.add(telegram::lane::transactional,
            telegram::send_photo{.chat_id = telegram_id, .png = *png, .filename = "key.png"});
}

}  // namespace vpnbot::subscriptions
