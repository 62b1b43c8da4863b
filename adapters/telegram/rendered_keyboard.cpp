#include "adapters/telegram/rendered_keyboard.hpp"

namespace vpnbot::telegram {

result<std::shared_ptr<const rendered_keyboard>, std::string> rendered_keyboard::of(
    inline_keyboard kb) {
  if (auto bad = validate(kb)) return fail(std::move(*bad));
  auto json = json_text(kb);
  return std::shared_ptr<const rendered_keyboard>(
      new rendered_keyboard(std::move(kb), std::move(json)));
}

}  // namespace vpnbot::telegram
