// TOTP against the SHA-1 test vectors of RFC 6238, appendix B (secret
// "12345678901234567890"), and base32 against RFC 4648's examples.

#include "adapters/crypto/totp.hpp"

#include <gtest/gtest.h>

namespace vpnbot::crypto {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr const char* secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";  // "12345678901234567890"

TEST(Totp, Rfc6238Sha1Vectors) {
  auto at = [](long long t) { return system_clock::time_point(seconds(t)); };
  EXPECT_EQ(totp(secret, at(59), 8), "94287082");
  EXPECT_EQ(totp(secret, at(1111111109), 8), "07081804");
  EXPECT_EQ(totp(secret, at(1111111111), 8), "14050471");
  EXPECT_EQ(totp(secret, at(1234567890), 8), "89005924");
  EXPECT_EQ(totp(secret, at(2000000000), 8), "69279037");
  // (The RFC's last vector, T = 20000000000, lies beyond what a nanosecond
  // system_clock holds.)
  // Six digits, as authenticator apps and 3x-ui use: the last six.
  EXPECT_EQ(totp(secret, at(59)), "287082");
  EXPECT_EQ(totp(secret, at(1111111109)), "081804");
  // The same code for the whole 30-second step.
  EXPECT_EQ(totp(secret, at(1111111110)), totp(secret, at(1111111139)));
  EXPECT_NE(totp(secret, at(1111111139)), totp(secret, at(1111111140)));
}

TEST(Totp, Base32AsRfc4648) {
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(base32_decode("mzxw6ytb"), "fooba");
  EXPECT_EQ(base32_decode("MZXW6YQ="), "foob");
  EXPECT_EQ(base32_decode("MZXW 6==="), "foo");
  EXPECT_FALSE(base32_decode("MZXW1"));  // '1' is not base32
  EXPECT_FALSE(totp("not base32!", system_clock::now()));
  EXPECT_FALSE(totp("", system_clock::now()));
}

}  // namespace
}  // namespace vpnbot::crypto
