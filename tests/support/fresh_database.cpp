#include "support/fresh_database.hpp"

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

}  // namespace vpnbot::testing_support
