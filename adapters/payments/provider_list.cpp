#include "adapters/payments/provider_list.hpp"

#include <sstream>

#include "adapters/crypto/digest.hpp"
#include "adapters/payments/coingate_provider.hpp"
#include "adapters/payments/cryptobot_provider.hpp"
#include "adapters/payments/robokassa_provider.hpp"
#include "adapters/payments/yookassa_provider.hpp"

namespace vpnbot::payments {

provider_list::provider_list(std::vector<std::shared_ptr<const provider>> providers)
    : providers_(std::move(providers)) {}

const provider* provider_list::find(std::string_view name) const {
  for (const auto& p : providers_)
    if (p->name() == name) return p.get();
  return nullptr;
}

std::vector<std::string> provider_list::names() const {
  std::vector<std::string> out;
  for (const auto& p : providers_) out.push_back(p->name());
  return out;
}

namespace {

std::shared_ptr<const provider> cryptobot_from(const config::settings& s) {
  std::vector<std::string> assets;
  std::stringstream in(s.cryptobot.assets);
  for (std::string a; std::getline(in, a, ',');)
    if (!a.empty()) assets.push_back(a);
  return std::make_shared<const cryptobot::provider>(
      cryptobot::settings{s.cryptobot.api_base, s.cryptobot.token}, std::move(assets));
}

std::shared_ptr<const provider> yookassa_from(const config::settings& s) {
  std::shared_ptr<const ip_allowlist> sources;  // null: any source
  if (s.yookassa.check_source_ip)
    if (auto list = ip_allowlist::parse(yookassa::notification_sources()))
      sources = std::make_shared<const ip_allowlist>(std::move(*list));
  return std::make_shared<const yookassa::provider>(
      yookassa::settings{s.yookassa.api_base, s.yookassa.shop_id, s.yookassa.secret_key},
      s.yookassa.return_url.empty() ? "https://t.me/" : s.yookassa.return_url, std::move(sources));
}

std::shared_ptr<const provider> robokassa_from(const config::settings& s) {
  robokassa::settings r;
  r.merchant_login = s.robokassa.merchant_login;
  r.password1 = s.robokassa.password1;
  r.password2 = s.robokassa.password2;
  r.algorithm = crypto::parse_hash_algorithm(s.robokassa.algorithm).value_or(r.algorithm);
  r.test = s.robokassa.test;
  r.payment_page = s.robokassa.payment_page;
  r.op_state_base = s.robokassa.op_state_base;
  return std::make_shared<const robokassa::provider>(std::move(r));
}

std::shared_ptr<const provider> coingate_from(const config::settings& s) {
  auto base = s.coingate.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return std::make_shared<const coingate::provider>(
      coingate::settings{s.coingate.api_base, s.coingate.auth_token, s.coingate.receive_currency},
      s.coingate.callback_secret, base + "/pay/coingate",
      s.coingate.return_url.empty() ? "https://t.me/" : s.coingate.return_url);
}

}  // namespace

provider_list providers_from(const config::settings& s) {
  std::vector<std::shared_ptr<const provider>> out;
  if (s.cryptobot.enabled()) out.push_back(cryptobot_from(s));
  if (s.yookassa.enabled()) out.push_back(yookassa_from(s));
  if (s.robokassa.enabled()) out.push_back(robokassa_from(s));
  if (s.coingate.enabled()) out.push_back(coingate_from(s));
  return provider_list(std::move(out));
}

}  // namespace vpnbot::payments
