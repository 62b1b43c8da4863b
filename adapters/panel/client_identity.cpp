#include "adapters/panel/client_identity.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "adapters/codec/decimal.hpp"
#include "adapters/codec/hex.hpp"

namespace vpnbot::panel {
namespace {

void random_bytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_sub_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

// A positive decimal without sign or leading zero, fitting int64.
std::optional<int64_t> canonical_positive(std::string_view text) {
  if (text.empty() || text.front() == '0' || text.front() == '-') return std::nullopt;
  return codec::decimal<int64_t>(text);
}

constexpr std::size_t sub_id_length = 16;
constexpr std::string_view sub_id_alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

}  // namespace

std::string new_client_uuid() {
  std::array<unsigned char, 16> b{};
  random_bytes(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10xx
  auto hex = codec::hex_encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

std::string client_email(const client_owner& owner) {
  if (owner.user_id <= 0 || owner.subscription_id <= 0)
    throw std::invalid_argument("client_email needs positive ids");
  return "tg" + std::to_string(owner.user_id) + "-" + std::to_string(owner.subscription_id);
}

std::optional<client_owner> parse_client_email(std::string_view email) {
  if (!email.starts_with("tg")) return std::nullopt;
  email.remove_prefix(2);
  auto dash = email.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto user = canonical_positive(email.substr(0, dash));
  auto subscription = canonical_positive(email.substr(dash + 1));
  if (!user || !subscription) return std::nullopt;
  return client_owner{*user, *subscription};
}

std::string new_sub_id() {
  // Rejection sampling: 252 is the largest multiple of 36 below 256, so
  // every character is equally likely.
  std::string out;
  std::array<unsigned char, 32> pool{};
  while (out.size() < sub_id_length) {
    random_bytes(pool.data(), pool.size());
    for (unsigned char b : pool) {
      if (b >= 252) continue;
      out += sub_id_alphabet[b % sub_id_alphabet.size()];
      if (out.size() == sub_id_length) break;
    }
  }
  return out;
}

bool is_sub_id(std::string_view text) {
  if (text.size() != sub_id_length) return false;
  for (char c : text)
    if (!is_sub_id_char(c)) return false;
  return true;
}

}  // namespace vpnbot::panel
