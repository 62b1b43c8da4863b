#pragma once

// Robokassa's XML interface as far as the service uses it: OpStateExt, the
// state of one invoice (PROTOCOLS.md §3.3 and robokassa_op_state.hpp). It
// checks the Signature (hash of MerchantLogin:InvoiceID:Password#2) and
// answers Result/Code 1 to a wrong one, 3 to an invoice it does not know;
// a test sets each invoice's state. Faults go through the server's inject().

#include <cstdint>
#include <memory>
#include <string>

#include "adapters/emulators/fake_http_server.hpp"

namespace vpnbot::emulators {

class robokassa_xml_emulator {
 public:
  robokassa_xml_emulator(std::string login, std::string password2, std::string algorithm = "md5");
  ~robokassa_xml_emulator();

  // "http://127.0.0.1:<port>/Merchant/WebService/Service.asmx"
  std::string base_url() const;
  fake_http_server& server();

  // The invoice's state code (100: paid) and OutSum as Robokassa prints it.
  void set_state(int64_t invoice_id, int state_code, const std::string& out_sum);
  int calls() const;

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::unique_ptr<fake_http_server> server_;
};

}  // namespace vpnbot::emulators
