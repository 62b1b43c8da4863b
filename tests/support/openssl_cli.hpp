#pragma once

// Expected digests for signature tests, computed by the openssl command
// line tool on the exact bytes: an implementation path independent of the
// code under test. Throws when the tool cannot be run.

#include <string>
#include <string_view>

namespace vpnbot::testing_support {

// Lower-case hex of `openssl dgst -<algorithm>` over `data` (algorithm as
// the tool names it: md5, sha1, sha256, sha384, sha512).
std::string openssl_digest(std::string_view algorithm, std::string_view data);

// Lower-case hex of `openssl dgst -<algorithm> -mac HMAC -macopt hexkey:<key>`.
std::string openssl_hmac(std::string_view algorithm, std::string_view hex_key,
                         std::string_view data);

}  // namespace vpnbot::testing_support
