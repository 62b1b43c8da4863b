// The Telegram Update parser: the input is a webhook body, and, when it is
// JSON, also the `result` of getUpdates, sendMessage, getMe and
// getWebhookInfo (all read by adapters/telegram/update_parser). The reading
// underneath (codec::json_tree) must accept exactly what nlohmann accepts,
// and the poller's split of an answer (success_array_elements) must give
// the answer's own elements.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "adapters/codec/json_tree.hpp"
#include "adapters/telegram/result_elements.hpp"
#include "adapters/telegram/update_parser.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)telegram::parse_update(body);

  auto j = nlohmann::json::parse(body, nullptr, false);
  fuzz::require(codec::json_tree::parse(body).has_value() == !j.is_discarded(),
                "json_tree accepts what nlohmann accepts");
  if (auto elements = telegram::success_array_elements(body); elements && !j.is_discarded()) {
    fuzz::require(j.contains("result") && elements->size() == j["result"].size(),
                  "as many elements as the answer's result");
    for (std::size_t i = 0; i < elements->size(); ++i)
      fuzz::require(nlohmann::json::parse((*elements)[i], nullptr, false) == j["result"][i],
                    "each element is the answer's own");
  }
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
