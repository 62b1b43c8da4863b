#pragma once

// The identity of a VPN client on a panel. The UUID, email and subId are
// generated and stored before the panel is called, so a retry after a crash
// re-uses them. The email encodes who owns the client; reconcile trusts
// only emails that parse_client_email accepts, so clients created by hand
// or by other tools are never touched.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::panel {

// Random (version 4, RFC 9562 variant) UUID from OpenSSL's CSPRNG, lower case.
std::string new_client_uuid();
// 8-4-4-4-12 hex digits, either case.
bool is_uuid(std::string_view text);

struct client_owner {
  int64_t user_id = 0;
  int64_t subscription_id = 0;
  bool operator==(const client_owner&) const = default;
};

// "tg<user id>-<subscription id>", both positive.
std::string client_email(const client_owner& owner);
// Only the exact form client_email writes: lower-case "tg", positive
// decimal numbers without leading zeros or signs, nothing else.
std::optional<client_owner> parse_client_email(std::string_view email);

// 16 random characters of [a-z0-9], like the panel's own subIds.
std::string new_sub_id();
bool is_sub_id(std::string_view text);

}  // namespace vpnbot::panel
