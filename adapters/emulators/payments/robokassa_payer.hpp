#pragma once

// Robokassa's side of a payment, PROTOCOLS.md §3.3: it opens the payment
// link the service made (checking SignatureValue with password #1, Shp_
// pairs sorted) and, once "paid", writes the ResultURL form Robokassa posts:
// OutSum with six decimals, signed with password #2. Robokassa has no API
// the service calls, so there is no server here; the test posts the form.

#include <map>
#include <optional>
#include <string>

namespace vpnbot::emulators {

class robokassa_payer {
 public:
  robokassa_payer(std::string login, std::string password1, std::string password2,
                  std::string algorithm = "md5");

  // The link's decoded fields when its signature is right; nullopt otherwise.
  std::optional<std::map<std::string, std::string>> open_link(const std::string& url) const;
  // The ResultURL body for a paid link. out_sum: as Robokassa sends it
  // (empty: the link's OutSum with six decimals).
  std::string result_body(const std::map<std::string, std::string>& link,
                          std::string out_sum = {}) const;

 private:
  std::string login_, password1_, password2_, algorithm_;
};

}  // namespace vpnbot::emulators
