#include "support/fresh_database.hpp"

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/db/migrations.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

void fresh_database::SetUp() {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  url = create_fresh_database(std::string(info->test_suite_name()) + "_" + info->name());
  name = url.substr(url.rfind('/') + 1);
  name = name.substr(0, name.find('?'));
}

void fresh_database::TearDown() {
  if (!name.empty()) drop_database(name);
}

void fresh_database::migrate_schema() {
  auto r = db::migrate(url);
  ASSERT_TRUE(r) << caf::to_string(r.error());
}

std::string fresh_database::query(const std::string& sql) const {
  pqxx::connection c(url);
  pqxx::work tx(c);
  auto r = tx.exec(sql);
  tx.commit();
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
}

bool fresh_database::someone_waits_for_a_lock() const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (query("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
              " WHERE NOT l.granted AND a.datname = current_database()") != "0")
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace vpnbot::testing_support
