#pragma once

// The plans on sale, written in one line so that a whole catalogue fits in a
// single key or environment variable:
//
//   trial:3:trial; m1:30:RUB=19900,XTR=150; m3:90:RUB=49900,XTR=400
//
// Each entry is code:days:prices, prices being CURRENCY=minor-units pairs,
// or the word "trial" for the free plan (at most one). Titles come from the
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
  bool operator==(const plan_setting&) const = default;
};

std::vector<plan_setting> default_plans();

// The catalogue, or the reason it is refused (naming the entry).
std::optional<std::string> parse_plan_catalog(std::string_view text,
                                              std::vector<plan_setting>& out);
std::string print_plan_catalog(const std::vector<plan_setting>& plans);

}  // namespace vpnbot::config
