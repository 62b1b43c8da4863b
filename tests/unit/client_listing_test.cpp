// What counts as a listing of a panel's clients: an empty clients array is
// one (no clients), a missing or null one is not.

#include "adapters/panel/client_listing.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

caf::expected<std::vector<xui_client>> listing(const char* settings) {
  auto in = parse_inbound(json{{"id", 1}, {"protocol", "vless"}, {"settings", settings}});
  EXPECT_TRUE(in) << settings;
  return listed_clients(*in);
}

TEST(ClientListing, TheClientsOfTheInbound) {
  auto l = listing(R"({"clients":[{"id":"u","email":"tg1-2"}],"decryption":"none"})");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].email, "tg1-2");
}

TEST(ClientListing, AnEmptyArrayIsAnEmptyListing) {
  auto l = listing(R"({"clients":[]})");
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->empty());
}

TEST(ClientListing, NoClientsArrayIsNoListing) {
  for (const char* settings : {R"({"decryption":"none"})", R"({"clients":null})", "{}"}) {
    auto l = listing(settings);
    ASSERT_FALSE(l) << settings;
    EXPECT_EQ(panel_error_code(l.error()), panel_errc::malformed_reply) << settings;
  }
}

}  // namespace
}  // namespace vpnbot::panel
