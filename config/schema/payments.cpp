// The [payments] keys and each provider's section: [cryptobot], [yookassa],
// [robokassa], [coingate]. Telegram Stars need no keys of their own.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_payments_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(duration_key("payments", "issue_interval",
                           "how often payments still without an invoice are looked for",
                           &settings::payments, &payments_settings::issue_interval, 10ms));
  k.push_back(duration_key("payments", "watch_interval",
                           "how often pending invoices are checked with their provider",
                           &settings::payments, &payments_settings::watch_interval, 10ms));
  k.push_back(duration_key("payments", "watch_after",
                           "invoice age before the watcher asks its provider", &settings::payments,
                           &payments_settings::watch_after, 0ms));
  k.push_back(uint_key("payments", "late_lookup_days",
                       "days back the watcher also asks about expired and cancelled payments"
                       " (0: never)",
                       &settings::payments, &payments_settings::late_lookup_days, 0, 365));
  k.push_back(duration_key("payments", "late_lookup_interval",
                           "how often expired and cancelled payments are asked about",
                           &settings::payments, &payments_settings::late_lookup_interval, 10ms));
  k.push_back(duration_key("payments", "call_timeout", "deadline of one payment provider call",
                           &settings::payments, &payments_settings::call_timeout, 100ms));
  k.push_back(duration_key("payments", "replay_interval",
                           "first wait before a notification cut short is replayed (doubling)",
                           &settings::payments, &payments_settings::replay_interval, 10ms));
  k.push_back(uint_key("payments", "replay_attempts",
                       "replays of one notification before it is dead", &settings::payments,
                       &payments_settings::replay_attempts, 1, 1000));
  k.push_back(uint_key("payments", "webhook_failures_per_minute",
                       "notifications failing their check accepted per source address and "
                       "provider a minute; more are answered 429 and not stored",
                       &settings::payments, &payments_settings::webhook_failures_per_minute, 1,
                       100000));
  k.push_back(duration_key("payments", "refund_interval",
                           "how often operators' refund requests are looked for; first wait "
                           "before a failed refund call is repeated (doubling, at most 10m)",
                           &settings::payments, &payments_settings::refund_interval, 10ms));
  k.push_back(string_key("cryptobot", "api_base", "Crypto Pay API base URL", &settings::cryptobot,
                         &cryptobot_settings::api_base));
  k.push_back(string_key("cryptobot", "token", "Crypto Pay app token (enables CryptoBot)",
                         &settings::cryptobot, &cryptobot_settings::token));
  k.push_back(string_key("cryptobot", "assets", "accepted assets, comma-separated; empty: all",
                         &settings::cryptobot, &cryptobot_settings::assets));
  k.push_back(string_key("yookassa", "api_base", "YooKassa API base URL", &settings::yookassa,
                         &yookassa_settings::api_base));
  k.push_back(string_key("yookassa", "shop_id", "shop id (with secret_key enables YooKassa)",
                         &settings::yookassa, &yookassa_settings::shop_id));
  k.push_back(string_key("yookassa", "secret_key", "secret key of the shop", &settings::yookassa,
                         &yookassa_settings::secret_key));
  k.push_back(string_key("yookassa", "return_url", "where the payer returns after paying",
                         &settings::yookassa, &yookassa_settings::return_url));
  k.push_back(bool_key("yookassa", "check_source_ip",
                       "accept notifications only from YooKassa's published addresses",
                       &settings::yookassa, &yookassa_settings::check_source_ip));
  k.push_back(string_key("robokassa", "merchant_login",
                         "shop identifier (with both passwords enables Robokassa)",
                         &settings::robokassa, &robokassa_settings::merchant_login));
  k.push_back(string_key("robokassa", "password1", "password #1: signs payment links",
                         &settings::robokassa, &robokassa_settings::password1));
  k.push_back(string_key("robokassa", "password2", "password #2: checks ResultURL calls",
                         &settings::robokassa, &robokassa_settings::password2));
  // The names a hash may have are the digest adapter's to check (app/config_validators).
  k.push_back(string_key("robokassa", "algorithm",
                         "signature hash: md5, sha1, sha256, sha384 or sha512",
                         &settings::robokassa, &robokassa_settings::algorithm));
  k.push_back(bool_key("robokassa", "test", "test mode (IsTest=1, the shop's test passwords)",
                       &settings::robokassa, &robokassa_settings::test));
  k.push_back(string_key("robokassa", "payment_page", "Robokassa payment page URL",
                         &settings::robokassa, &robokassa_settings::payment_page));
  k.push_back(string_key("robokassa", "op_state_base",
                         "Robokassa XML interface base URL (the watcher's OpStateExt)",
                         &settings::robokassa, &robokassa_settings::op_state_base));
  k.push_back(string_key("coingate", "api_base",
                         "CoinGate API base URL (sandbox: https://api-sandbox.coingate.com/v2)",
                         &settings::coingate, &coingate_settings::api_base));
  k.push_back(string_key("coingate", "auth_token", "API auth token (enables CoinGate)",
                         &settings::coingate, &coingate_settings::auth_token));
  k.push_back(string_key("coingate", "receive_currency",
                         "currency CoinGate settles in (DO_NOT_CONVERT: the one paid)",
                         &settings::coingate, &coingate_settings::receive_currency));
  k.push_back(string_key("coingate", "callback_secret",
                         "secret each order's callback token is derived from", &settings::coingate,
                         &coingate_settings::callback_secret));
  k.push_back(string_key("coingate", "public_url",
                         "the service's public origin; callbacks go to <public_url>/pay/coingate",
                         &settings::coingate, &coingate_settings::public_url));
  k.push_back(string_key("coingate", "return_url", "where the payer returns after paying",
                         &settings::coingate, &coingate_settings::return_url));
}

}  // namespace vpnbot::config
