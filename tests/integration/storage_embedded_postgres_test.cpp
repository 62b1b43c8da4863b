#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <pqxx/pqxx>

#include "adapters/db/embedded_postgres.hpp"

namespace vpnbot::db {
namespace {

struct StorageEmbeddedPostgres : ::testing::Test {
  std::string dir;
  void SetUp() override {
    char tmpl[] = "/tmp/vpnbot-embedded-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = std::string(tmpl) + "/pg";
  }
  void TearDown() override {
    std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
  }
};

TEST_F(StorageEmbeddedPostgres, StartsReusesDataAndStops) {
  {
    auto pg = embedded_postgres::start({.data_dir = dir});
    ASSERT_TRUE(pg) << caf::to_string(pg.error());
    pqxx::connection c{(*pg)->url()};
    pqxx::work tx{c};
    tx.exec("CREATE TABLE kept (v text)");
    tx.exec("INSERT INTO kept VALUES ('survives a restart')");
    // Only the Unix socket: nothing listens on TCP.
    EXPECT_EQ(tx.exec1("SHOW listen_addresses")[0].as<std::string>(), "");
    tx.commit();
  }
  // The destructor stopped the server: its pid file is gone.
  EXPECT_FALSE(std::filesystem::exists(dir + "/postmaster.pid"));
  auto again = embedded_postgres::start({.data_dir = dir});
  ASSERT_TRUE(again) << caf::to_string(again.error());
  pqxx::connection c{(*again)->url()};
  pqxx::work tx{c};
  EXPECT_EQ(tx.exec1("SELECT v FROM kept")[0].as<std::string>(), "survives a restart");
  if (::geteuid() == 0) {
    EXPECT_EQ(tx.exec1("SELECT current_user")[0].as<std::string>(), "vpnbot");
  }
}

TEST_F(StorageEmbeddedPostgres, ReportsAClearErrorForMissingBinaries) {
  auto pg = embedded_postgres::start({.data_dir = dir, .bin_dir = "/nonexistent/bin"});
  ASSERT_FALSE(pg);
  EXPECT_NE(caf::to_string(pg.error()).find("initdb failed"), std::string::npos)
      << caf::to_string(pg.error());
}

}  // namespace
}  // namespace vpnbot::db
