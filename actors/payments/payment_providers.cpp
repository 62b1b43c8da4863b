#include "actors/payments/payment_providers.hpp"

#include <sstream>

#include "adapters/crypto/digest.hpp"

namespace vpnbot::payments {

std::vector<std::string> payment_providers::names() const {
  std::vector<std::string> out;
  if (cryptobot) out.push_back("cryptobot");
  if (yookassa) out.push_back("yookassa");
  if (robokassa) out.push_back("robokassa");
  return out;
}

payment_providers providers_from(const config::settings& s) {
  payment_providers p;
  if (s.cryptobot.enabled()) {
    p.cryptobot = cryptobot::settings{s.cryptobot.api_base, s.cryptobot.token};
    std::stringstream in(s.cryptobot.assets);
    for (std::string a; std::getline(in, a, ',');)
      if (!a.empty()) p.cryptobot_assets.push_back(a);
  }
  if (s.yookassa.enabled()) {
    p.yookassa = yookassa::settings{s.yookassa.api_base, s.yookassa.shop_id, s.yookassa.secret_key};
    p.yookassa_return_url = s.yookassa.return_url.empty() ? "https://t.me/" : s.yookassa.return_url;
    if (s.yookassa.check_source_ip)
      if (auto list = ip_allowlist::parse(yookassa::notification_sources()))
        p.yookassa_sources = std::make_shared<const ip_allowlist>(std::move(*list));
  }
  if (s.robokassa.enabled()) {
    robokassa::settings r;
    r.merchant_login = s.robokassa.merchant_login;
    r.password1 = s.robokassa.password1;
    r.password2 = s.robokassa.password2;
    r.algorithm = crypto::parse_hash_algorithm(s.robokassa.algorithm).value_or(r.algorithm);
    r.test = s.robokassa.test;
    r.payment_page = s.robokassa.payment_page;
    p.robokassa = r;
  }
  return p;
}

http_client_request provider_call(outbound_request r, std::chrono::milliseconds timeout) {
  http_client_request h;
  h.method = std::move(r.method);
  h.url = std::move(r.url);
  h.headers = std::move(r.headers);
  h.body = std::move(r.body);
  h.target = "payments";
  h.total_timeout = timeout;
  h.read_timeout = timeout;
  return h;
}

}  // namespace vpnbot::payments
