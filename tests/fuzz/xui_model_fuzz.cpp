// 3x-ui's replies as the panel actor reads them: the envelope (read_reply,
// read_login_reply, read_csrf_reply, per version and status), then `obj` as
// each call's model (inbound list, inbound and its client listing, client
// traffic, onlines), and Set-Cookie values. The input is the status and
// version choice, then the body.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/panel/client_listing.hpp"
#include "adapters/panel/xui_model.hpp"
#include "adapters/panel/xui_protocol.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;

namespace {

// A client the panel sent reads back the same after we write it.
void check_round_trip(const panel::xui_client& client) {
  auto again = panel::parse_client(panel::to_json(client));
  fuzz::require(again && *again == client, "parse_client(to_json(c)) == c");
}

void read_model(const nlohmann::json& obj) {
  if (auto inbounds = panel::parse_inbounds(obj))
    for (const auto& inbound : *inbounds)
      for (const auto& client : inbound.clients) check_round_trip(client);
  if (auto inbound = panel::parse_inbound(obj)) (void)panel::listed_clients(std::move(*inbound));
  if (auto client = panel::parse_client(obj)) check_round_trip(*client);
  (void)panel::parse_optional_client_traffic(obj);
  (void)panel::parse_client_traffic(obj);
  (void)panel::parse_onlines(obj);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  auto status = in.PickValueInArray({200, 200, 200, 401, 403, 404, 500, 502});
  auto version_text = in.PickValueInArray({"", "2.3.5", "2.8.3", "2.8.5", "3.0.1", "3.0.2"});
  auto body = in.ConsumeRemainingBytesAsString();
  auto version = panel::parse_xui_version(version_text);

  if (auto obj = panel::read_reply(status, body, version)) read_model(*obj);
  (void)panel::read_login_reply(status, body, version);
  (void)panel::read_csrf_reply(status, body, version);
  (void)panel::session_cookie(lines(body));
  // A body that is the bare `obj` (an already decoded reply).
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded()) read_model(j);
  return 0;
}
