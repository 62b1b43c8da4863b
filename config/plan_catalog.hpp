#pragma once

// The plans on sale, written in one line so that a whole catalogue fits in a
// single key or environment variable:
//
//   trial:3:trial; m1:30:RUB=19900,XTR=150; m3:90:RUB=49900,XTR=400
//
// Each entry is code:days:prices[:limits], prices being CURRENCY=minor-units
// pairs, or the word "trial" for the free plan (at most one); limits, when
// given, are gb=N (traffic per subscription period, GiB as 3x-ui counts
// them) and/or devices=N (simultaneous IPs), e.g.
//
//   m1:30:RUB=19900,XTR=150:gb=100,devices=3
//
// and reach the panel's client as totalGB (bytes) and limitIp; none means
// unlimited. link=raw (in the same field) asks a Remnawave panel for the
// user's vless:// link too: the key message then carries that link (and its
// QR code) next to the subscription URL, for clients that take no
// subscriptions; 3x-ui keys are raw links always. Titles come from the
// bot's texts (the duration in the user's language), so the line holds no
// translations.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnbot::config {

struct plan_setting {
  std::string code;  // 1-32 of [a-z0-9_-]
  int days = 0;
  bool trial = false;
  std::map<std::string, int64_t> prices;  // currency -> minor units; empty for the trial
  int64_t traffic_gb = 0;                 // 0: unlimited
  int devices = 0;                        // 0: unlimited
  bool raw_link = false;                  // link=raw
  bool operator==(const plan_setting&) const = default;
};

std::vector<plan_setting> default_plans();

// The catalogue, or the reason it is refused (naming the entry).
std::optional<std::string> parse_plan_catalog(std::string_view text,
                                              std::vector<plan_setting>& out);
std::string print_plan_catalog(const std::vector<plan_setting>& plans);

}  // namespace vpnbot::config
