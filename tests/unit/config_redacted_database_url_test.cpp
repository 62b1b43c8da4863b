// The database URL as --check-config prints it: no password in any form
// libpq accepts.

#include <gtest/gtest.h>

#include "config/redacted_database_url.hpp"

namespace vpnbot::config {
namespace {

TEST(RedactedDatabaseUrl, ThePasswordInTheUserInfoIsMasked) {
  EXPECT_EQ(redacted_database_url("postgresql://bot:hunter2@db:5432/vpn"),
            "postgresql://bot:***@db:5432/vpn");
  // An unescaped '@' in the password: all of it up to the host is masked.
  EXPECT_EQ(redacted_database_url("postgres://bot:hun@ter2@db/vpn"), "postgres://bot:***@db/vpn");
  EXPECT_EQ(redacted_database_url("postgresql://bot@db/vpn"), "postgresql://bot@db/vpn");
  EXPECT_EQ(redacted_database_url("postgresql:///vpn?host=/run/pg"),
            "postgresql:///vpn?host=/run/pg");
}

TEST(RedactedDatabaseUrl, APasswordQueryParameterIsMasked) {
  EXPECT_EQ(redacted_database_url("postgresql://db/vpn?user=bot&password=hunter2&sslmode=require"),
            "postgresql://db/vpn?user=bot&password=***&sslmode=require");
  EXPECT_EQ(redacted_database_url("postgresql://a:b@db/vpn?Password=x"),
            "postgresql://a:***@db/vpn?Password=***");
}

TEST(RedactedDatabaseUrl, KeyValueConninfoIsMaskedQuotedOrNot) {
  EXPECT_EQ(redacted_database_url("host=db user=bot password=hunter2 dbname=vpn"),
            "host=db user=bot password=*** dbname=vpn");
  EXPECT_EQ(redacted_database_url("host=db password = 'with space \\' quote' dbname=vpn"),
            "host=db password = *** dbname=vpn");
  EXPECT_EQ(redacted_database_url("dbname=vpn"), "dbname=vpn");
}

}  // namespace
}  // namespace vpnbot::config
