#pragma once

// Robokassa's state of one invoice (the XML interface's OpStateExt): how the
// watcher learns about a payment whose ResultURL never came.
//
//   GET <op_state_base>/OpStateExt?MerchantLogin=..&InvoiceID=..&Signature=..
//   Signature = hash(MerchantLogin:InvoiceID:Password#2), the shop's hash.
//
// The reply is XML: Result/Code (0: ok; else an error such as an unknown
// invoice), State/Code and Info/OutSum. State codes: 5 created, 10
// cancelled (not paid), 20 held, 50 paid and being credited, 60 refused
// and returned to the payer, 80 suspended, 100 paid. Only 100 is money we
// have; 10 and 60 are final without it.

#include <caf/expected.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/outbound_request.hpp"
#include "adapters/payments/robokassa.hpp"

namespace vpnbot::payments::robokassa {

struct op_state {
  int result_code = 0;  // 0: the state below is valid
  int state_code = 0;
  std::optional<int64_t> out_sum_minor;  // kopecks, when Info carries OutSum
};

caf::expected<outbound_request> op_state_request(const settings& s, int64_t invoice_id);

// payment_errc::malformed for a reply that is not this XML.
caf::expected<op_state> parse_op_state(std::string_view xml);

}  // namespace vpnbot::payments::robokassa
