#pragma once

// Crypto Pay API (@CryptoBot) on loopback, PROTOCOLS.md §3.2: createInvoice
// and getInvoices behind the Crypto-Pay-API-Token header (JSON, form or
// query parameters), the {"ok":...} envelope and its errors, and webhook
// deliveries signed over the exact bytes (HMAC-SHA256 keyed by SHA-256 of
// the token) for a test to post to the service — as often, as late and as
// altered as it likes. Faults go through fake_http_server's inject().

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/emulators/fake_http_server.hpp"

namespace vpnbot::emulators {

class cryptobot_emulator {
 public:
  // `pay_page`: invoices link to it with their id appended; empty: to
  // @CryptoBot in Telegram, as the real service does.
  explicit cryptobot_emulator(std::string token = "7777:AAcryptopaytesttoken",
                              std::string pay_page = {});
  ~cryptobot_emulator();

  // "http://127.0.0.1:<port>/api/"
  std::string api_base() const;
  const std::string& token() const;
  fake_http_server& server();

  struct delivery {
    std::string body;
    std::string signature;  // the crypto-pay-api-signature header
  };
  // The payer pays the invoice (USDT); returns the invoice_paid webhook.
  delivery pay(int64_t invoice_id);
  // The payer lets the invoice lapse: its status is "expired" from now on
  // (CryptoBot sends no notification for that).
  void expire(int64_t invoice_id);
  // The webhook for this body, signed as CryptoBot signs.
  delivery sign(std::string body) const;

  std::optional<nlohmann::json> invoice(int64_t invoice_id) const;
  std::vector<nlohmann::json> invoices() const;
  int calls(const std::string& method) const;

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::unique_ptr<fake_http_server> server_;
};

}  // namespace vpnbot::emulators
