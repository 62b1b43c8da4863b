// Only our clients' counters become readings, up and down added.

#include "domain/subscriptions/traffic_readings.hpp"

#include <gtest/gtest.h>

namespace vpnbot::activation {
namespace {

panel::xui_client_traffic stat(std::string email, int64_t up, int64_t down) {
  panel::xui_client_traffic t;
  t.email = std::move(email);
  t.up = up;
  t.down = down;
  return t;
}

TEST(TrafficReadings, OursAreReadForeignAndLookAlikesAreNot) {
  panel::xui_inbound in;
  in.client_stats = {stat("tg5-9", 10, 20), stat("admin-device", 1000, 1000), stat("TG5-10", 1, 1),
                     stat("tg5-09", 1, 1),  stat("tg7-11", -5, 40),           stat("tg5-9x", 1, 1)};
  auto r = traffic_readings(in);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].subscription_id, 9);
  EXPECT_EQ(r[0].client_email, "tg5-9");
  EXPECT_EQ(r[0].used_bytes, 30);
  EXPECT_EQ(r[1].subscription_id, 11);
  EXPECT_EQ(r[1].used_bytes, 40);  // a negative counter counts as nothing
}

}  // namespace
}  // namespace vpnbot::activation
