#pragma once

// The enabled payment providers, built once from the configuration (each
// is enabled by its credentials) and shared by the payment actors. This
// and config/ are the only places outside a provider's own files that
// name providers.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/payments/provider.hpp"
#include "config/settings.hpp"

namespace vpnbot::payments {

class provider_list {
 public:
  provider_list() = default;
  explicit provider_list(std::vector<std::shared_ptr<const provider>> providers);

  bool empty() const { return providers_.empty(); }
  // The one stored under `name` in payments.provider; null when not enabled.
  const provider* find(std::string_view name) const;
  // The names of the enabled providers.
  std::vector<std::string> names() const;

  auto begin() const { return providers_.begin(); }
  auto end() const { return providers_.end(); }

 private:
  std::vector<std::shared_ptr<const provider>> providers_;
};

provider_list providers_from(const config::settings& s);

}  // namespace vpnbot::payments
