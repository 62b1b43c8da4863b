#pragma once

// A GoogleTest fixture giving each test its own empty database on the test
// server (dropped afterwards), with the schema migrated when asked.

#include <gtest/gtest.h>

#include <pqxx/pqxx>
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
  // True once another backend of this database waits for a lock (polled
  // for up to 10 s): a race test moves on as soon as its second
  // transaction is really blocked, instead of sleeping and hoping.
  bool someone_waits_for_a_lock() const;
  // fn(tx) in a transaction of its own, committed when fn returns.
  template <class Fn>
  auto in_tx(Fn fn) const {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = fn(tx);
    tx.commit();
    return r;
  }

  std::string url;
  std::string name;
};

}  // namespace vpnbot::testing_support
