#pragma once

// A GoogleTest fixture giving each test its own empty database on the test
// server (dropped afterwards), with the schema migrated when asked.

#include <gtest/gtest.h>

#include <string>

namespace vpnbot::testing_support {

class fresh_database : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Applies the built-in migrations; fails the test on error.
  void migrate_schema();
  // Runs SQL in its own committed transaction: the first column of the
  // first row ("" for none or null).
  std::string query(const std::string& sql) const;

  std::string url;
  std::string name;
};

}  // namespace vpnbot::testing_support
