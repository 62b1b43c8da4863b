// The configuration's fingerprint: --check-config prints it and /readyz
// reports it, so it must follow the printed configuration and nothing else.

#include "app/config_digest.hpp"

#include <gtest/gtest.h>

#include "adapters/codec/hex.hpp"
#include "adapters/crypto/digest.hpp"
#include "config/loader.hpp"

namespace vpnbot::app {
namespace {

TEST(ConfigDigest, IsTheStartOfTheSha256OfWhatCheckConfigPrints) {
  config::settings s;
  auto whole =
      codec::hex_encode(crypto::digest(crypto::hash_algorithm::sha256, config::describe(s)));
  EXPECT_EQ(config_digest(s), whole.substr(0, 16));
  EXPECT_EQ(config_digest(s).size(), 16u);
}

TEST(ConfigDigest, ChangesWithAPrintedValueAndOnlyThen) {
  config::settings a;
  config::settings b;
  EXPECT_EQ(config_digest(a), config_digest(b));
  b.http.listen_port = static_cast<uint16_t>(a.http.listen_port + 1);
  EXPECT_NE(config_digest(a), config_digest(b));
  // Secrets are masked in the printed text: a changed token alone is not seen.
  config::settings c;
  config::settings d;
  c.telegram.token = "1:AAA";
  d.telegram.token = "2:BBB";
  EXPECT_EQ(config_digest(c), config_digest(d));
  EXPECT_NE(config_digest(c), config_digest(a));  // set vs. empty is printed
}

}  // namespace
}  // namespace vpnbot::app
