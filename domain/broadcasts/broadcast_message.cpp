#include "domain/broadcasts/broadcast_message.hpp"

#include <nlohmann/json.hpp>

#include "adapters/telegram/endpoint.hpp"
#include "adapters/telegram/outbox_queue.hpp"
#include "domain/bot/ui/callback_data.hpp"

namespace vpnbot::broadcasts {

telegram::send_message message_to(int64_t chat_id, const broadcast_spec& spec) {
  telegram::send_message m{
      .chat_id = chat_id, .text = spec.text, .mode = telegram::parse_mode::html};
  if (spec.button) {
    using telegram::inline_button;
    auto b = spec.button->url
                 ? inline_button::link(spec.button->text, *spec.button->url)
                 : inline_button::callback(
                       spec.button->text,
                       *telegram::encode_callback(telegram::open_screen{telegram::screen::main}));
    m.reply_markup = telegram::inline_keyboard{{{b}}};
  }
  return m;
}

telegram::result<db::outgoing_call, std::string> outbox_row(int64_t chat_id,
                                                            const broadcast_spec& spec) {
  // Rows keep method, content type and body only; the outbox adds the real
  // base URL and token when it sends (as outbox_writer does).
  static const auto stored = telegram::endpoint::make("http://outbox.invalid", "0:stored").value();
  auto request = telegram::build(stored, message_to(chat_id, spec));
  if (!request) return telegram::fail(request.error());
  db::outgoing_call call;
  call.chat_id = request->chat_id;
  call.lane = static_cast<int>(telegram::lane::broadcast);
  call.method = request->method;
  call.content_type = request->content_type;
  call.body = request->body;
  if (spec.paid) {
    auto body = nlohmann::json::parse(call.body);
    body["allow_paid_broadcast"] = true;
    call.body = body.dump();
    call.paid_broadcast = true;
  }
  return call;
}

}  // namespace vpnbot::broadcasts
