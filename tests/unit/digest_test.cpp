#include "adapters/crypto/digest.hpp"

#include <gtest/gtest.h>

#include "adapters/codec/base64.hpp"
#include "adapters/codec/hex.hpp"
#include "support/openssl_cli.hpp"

namespace vpnbot::crypto {
namespace {

using testing_support::openssl_digest;
using testing_support::openssl_hmac;

const std::string awkward_bytes = std::string("a\0b\n\xD1\x8F \"'$`\\", 12);

TEST(PaymentDigest, HexRoundTripsAndReadsEitherCase) {
  EXPECT_EQ(codec::hex_encode(std::string("\x00\xAB\xff", 3)), "00abff");
  EXPECT_EQ(*codec::hex_decode("00ABff"), std::string("\x00\xAB\xff", 3));
  EXPECT_FALSE(codec::hex_decode("abc"));
  EXPECT_FALSE(codec::hex_decode("zz"));
}

TEST(PaymentDigest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(codec::base64_encode(""), "");
  EXPECT_EQ(codec::base64_encode("f"), "Zg==");
  EXPECT_EQ(codec::base64_encode("fo"), "Zm8=");
  EXPECT_EQ(codec::base64_encode("foo"), "Zm9v");
  EXPECT_EQ(codec::base64_encode("foobar"), "Zm9vYmFy");
}

TEST(PaymentDigest, DigestsMatchTheOpensslTool) {
  for (auto a : {hash_algorithm::md5, hash_algorithm::sha1, hash_algorithm::sha256,
                 hash_algorithm::sha384, hash_algorithm::sha512}) {
    EXPECT_EQ(codec::hex_encode(digest(a, awkward_bytes)),
              openssl_digest(to_string(a), awkward_bytes))
        << to_string(a);
  }
}

TEST(PaymentDigest, HmacMatchesTheOpensslTool) {
  const std::string key = "\x01\x02secret key";
  EXPECT_EQ(codec::hex_encode(hmac(hash_algorithm::sha256, key, awkward_bytes)),
            openssl_hmac("sha256", codec::hex_encode(key), awkward_bytes));
}

TEST(PaymentDigest, ConstantTimeEqualNeedsSameLengthAndBytes) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(PaymentDigest, AlgorithmNamesParseCaseInsensitively) {
  EXPECT_EQ(parse_hash_algorithm("SHA256"), hash_algorithm::sha256);
  EXPECT_EQ(parse_hash_algorithm("md5"), hash_algorithm::md5);
  EXPECT_FALSE(parse_hash_algorithm("ripemd160"));
}

}  // namespace
}  // namespace vpnbot::crypto
