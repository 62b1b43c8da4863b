#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/db_error.hpp"
#include "adapters/db/migrations.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

using StorageMigrations = testing_support::fresh_database;

std::vector<embedded_file> files(std::initializer_list<std::pair<const char*, const char*>> l) {
  std::vector<embedded_file> out;
  for (auto& [n, c] : l) out.push_back({n, c});
  return out;
}

TEST_F(StorageMigrations, ApplyOnceThenNoOp) {
  auto first = migrate(url);
  ASSERT_TRUE(first) << caf::to_string(first.error());
  EXPECT_FALSE(first->empty());
  EXPECT_EQ(first->front(), "0001_domain.sql");
  auto second = migrate(url);
  ASSERT_TRUE(second) << caf::to_string(second.error());
  EXPECT_TRUE(second->empty());
  pqxx::connection c{url};
  pqxx::work tx{c};
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<size_t>(),
            embedded_migration_files().size());
  EXPECT_EQ(tx.exec1("SELECT to_regclass('public.subscriptions') IS NOT NULL")[0].as<bool>(), true);
}

TEST_F(StorageMigrations, ConcurrentStartersBothSucceed) {
  std::vector<caf::expected<std::vector<std::string>>> results(4, std::vector<std::string>{});
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = migrate(url); });
  for (auto& t : threads) t.join();
  size_t appliers = 0;
  for (auto& r : results) {
    ASSERT_TRUE(r) << caf::to_string(r.error());
    if (!r->empty()) ++appliers;
  }
  EXPECT_EQ(appliers, 1u);
}

TEST_F(StorageMigrations, FailedMigrationNamesTheFileAndRollsBack) {
  auto ms = load_migrations(files({{"0001_ok.sql", "CREATE TABLE a (x int);"},
                                   {"0002_broken.sql", "CREATE TABLE b (x int); SELEC 1;"}}));
  ASSERT_TRUE(ms);
  pqxx::connection c{url};
  auto r = apply_migrations(c, *ms);
  ASSERT_FALSE(r);
  auto text = caf::to_string(r.error());
  EXPECT_TRUE(r.error() == db_errc::migration_failed);
  EXPECT_NE(text.find("0002_broken.sql"), std::string::npos) << text;
  EXPECT_NE(text.find("syntax error"), std::string::npos) << text;
  pqxx::work tx{c};
  EXPECT_TRUE(tx.exec1("SELECT to_regclass('public.a') IS NOT NULL")[0].as<bool>());
  EXPECT_FALSE(tx.exec1("SELECT to_regclass('public.b') IS NOT NULL")[0].as<bool>());
  EXPECT_EQ(tx.exec1("SELECT max(version) FROM schema_migrations")[0].as<int>(), 1);
}

TEST_F(StorageMigrations, ChangedAppliedMigrationIsRefused) {
  pqxx::connection c{url};
  auto v1 = load_migrations(files({{"0001_t.sql", "CREATE TABLE t (x int);"}}));
  ASSERT_TRUE(apply_migrations(c, *v1));
  auto v2 = load_migrations(files({{"0001_t.sql", "CREATE TABLE t (x bigint);"}}));
  auto r = apply_migrations(c, *v2);
  ASSERT_FALSE(r);
  EXPECT_NE(caf::to_string(r.error()).find("changed after it was applied"), std::string::npos);
}

TEST(StorageMigrationFiles, NamesAndVersionsAreChecked) {
  EXPECT_FALSE(load_migrations(files({{"init.sql", ""}})));
  EXPECT_FALSE(load_migrations(files({{"0001_a.sql", ""}, {"0001_b.sql", ""}})));
  auto ok = load_migrations(files({{"0002_b.sql", "2"}, {"0001_a.sql", "1"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->front().version, 1);
  EXPECT_EQ(ok->front().checksum.size(), 64u);
}

TEST(StorageMigrationFiles, BuiltInMigrationsAreWellFormed) {
  auto ms = load_migrations(embedded_migration_files());
  ASSERT_TRUE(ms) << caf::to_string(ms.error());
  EXPECT_GE(ms->size(), 1u);
}

}  // namespace
}  // namespace vpnbot::db
