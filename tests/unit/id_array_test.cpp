#include "adapters/db/id_array.hpp"

#include <gtest/gtest.h>

namespace vpnbot::db {
namespace {

TEST(IdArray, ALiteralReadsBackAsItsIds) {
  const std::vector<int64_t> ids{1733500000123456, -5, 0};
  EXPECT_EQ(id_array(ids), "{1733500000123456,-5,0}");
  EXPECT_EQ(ids_of(id_array(ids)), ids);
  EXPECT_TRUE(ids_of("{}").empty());
}

TEST(IdArray, WhatIsNoBigintArrayIsRefused) {
  for (const char* bad : {"", "1,2", "{1,2", "{1,,2}", "{a}", "{NULL}", "{1 ,2}"})
    EXPECT_THROW(ids_of(bad), std::runtime_error) << bad;
}

}  // namespace
}  // namespace vpnbot::db
