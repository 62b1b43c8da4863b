// The Telegram Update parser: the input is a webhook body, and, when it is
// JSON, also the `result` of getUpdates, sendMessage, getMe and
// getWebhookInfo (all read by adapters/telegram/update_parser).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "adapters/telegram/update_parser.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)telegram::parse_update(body);

  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return 0;
  if (auto batch = telegram::parse_updates(j)) {
    // Every entry is either taken or skipped; none vanishes.
    fuzz::require(batch->updates.size() + batch->skipped.size() == j.size(),
                  "getUpdates entries taken + skipped == entries");
  }
  (void)telegram::parse_message(j);
  (void)telegram::parse_user(j);
  (void)telegram::parse_webhook_info(j);
  return 0;
}
