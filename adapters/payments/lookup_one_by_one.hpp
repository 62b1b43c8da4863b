#pragma once

// The watcher's lookup for providers that read invoices back one call each
// (YooKassa, Robokassa, CoinGate): one exchange per pending invoice, or the
// error that kept its request from being built.
//
//   return lookup_one_by_one(
//       pending, [&](const pending_invoice& p) { return get_request(settings_, p); },
//       [](const pending_invoice&) {
//         return [](int status, std::string_view body) -> caf::expected<lookup_finding> {...};
//       });

#include <caf/expected.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/payments/provider.hpp"

namespace vpnbot::payments {

using lookup_exchange = provider_exchange<std::vector<lookup_finding>>;

// `request_for(p)` gives a caf::expected<outbound_request>; `reader_for(p)`
// gives a callable (int status, std::string_view body) ->
// caf::expected<lookup_finding> for p's reply.
template <class RequestFor, class ReaderFor>
std::vector<caf::expected<lookup_exchange>> lookup_one_by_one(
    const std::vector<pending_invoice>& pending, RequestFor request_for, ReaderFor reader_for) {
  std::vector<caf::expected<lookup_exchange>> out;
  out.reserve(pending.size());
  for (const auto& p : pending) {
    auto request = request_for(p);
    if (!request) {
      out.emplace_back(request.error());
      continue;
    }
    out.emplace_back(lookup_exchange{std::move(*request),
                                     [read = reader_for(p)](int status, std::string_view body)
                                         -> caf::expected<std::vector<lookup_finding>> {
                                       auto finding = read(status, body);
                                       if (!finding) return finding.error();
                                       return std::vector<lookup_finding>{std::move(*finding)};
                                     }});
  }
  return out;
}

}  // namespace vpnbot::payments
