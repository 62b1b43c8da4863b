#include "support/panel_under_test.hpp"

#include <ostream>

#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/remnawave_protocol.hpp"

namespace vpnbot::testing_support {

using namespace emulators;

std::string_view to_string(panel_kind kind) {
  switch (kind) {
    case panel_kind::xui_legacy:
      return "XuiLegacy";
    case panel_kind::xui_31:
      return "Xui31";
    case panel_kind::remnawave:
      return "Remnawave";
  }
  return "unknown";
}

std::string panel_kind_name(const ::testing::TestParamInfo<panel_kind>& info) {
  return std::string(to_string(info.param));
}

void PrintTo(panel_kind kind, std::ostream* os) {
  *os << to_string(kind);
}

panel_under_test::panel_under_test(panel_kind kind) : kind_(kind) {
  if (kind == panel_kind::remnawave) {
    remnawave_ = std::make_unique<remnawave_emulator>();
    return;
  }
  xui_emulator_options o;
  if (kind == panel_kind::xui_31) o.version = "3.1.0";
  xui_ = std::make_unique<xui_emulator>(o);
}

panel_under_test::~panel_under_test() = default;

std::string panel_under_test::api() const {
  switch (kind_) {
    case panel_kind::xui_legacy:
      return "legacy";
    case panel_kind::xui_31:
      return "3.1";
    case panel_kind::remnawave:
      return "remnawave";
  }
  return "unknown";
}

config::panel_settings panel_under_test::panel_settings(std::string name) const {
  return xui_ ? panel_settings_for(*xui_, std::move(name))
              : panel_settings_for(*remnawave_, std::move(name));
}

std::optional<xui_op> panel_under_test::xui_op_of(panel_call call) const {
  switch (call) {
    case panel_call::lookup:
      if (kind_ == panel_kind::xui_31) return xui_op::get_client;
      return std::nullopt;  // legacy 3x-ui reads no client alone
    case panel_call::create:
      return xui_op::add_client;
    case panel_call::update:
      return xui_op::update_client;
    case panel_call::remove:
      return xui_op::delete_client;
    case panel_call::list:
      return xui_op::get_inbound;
  }
  return std::nullopt;
}

remnawave_op panel_under_test::remnawave_op_of(panel_call call) const {
  switch (call) {
    case panel_call::lookup:
      return remnawave_op::get_user;
    case panel_call::create:
      return remnawave_op::create_user;
    case panel_call::update:
      return remnawave_op::update_user;
    case panel_call::remove:
      return remnawave_op::delete_user;
    case panel_call::list:
      return remnawave_op::list_users;
  }
  return remnawave_op::unknown;
}

void panel_under_test::fail_next(panel_call call, int times, int status) {
  on_op(call, [&](auto& emulator, auto op) { emulator.fail_next(op, times, status); });
}

void panel_under_test::fail_every(panel_call call, int k, int status) {
  on_op(call, [&](auto& emulator, auto op) { emulator.fail_every(op, k, status); });
}

void panel_under_test::delay_next(panel_call call, std::chrono::milliseconds delay, int times) {
  on_op(call, [&](auto& emulator, auto op) { emulator.delay_next(op, delay, times); });
}

void panel_under_test::recover(panel_call call) {
  on_op(call, [](auto& emulator, auto op) { emulator.recover(op); });
}

void panel_under_test::set_down(bool down) {
  if (remnawave_) return remnawave_->set_down(down);
  xui_->set_down(down);
}

std::optional<panel_client> panel_under_test::client(const std::string& email) const {
  if (xui_) return xui_->client(email);
  auto user = remnawave_->user(email);
  if (!user) return std::nullopt;
  auto c = panel::parse_remnawave_user(*user);
  EXPECT_TRUE(c) << user->dump();
  return c ? std::optional(*c) : std::nullopt;
}

std::vector<panel_client> panel_under_test::clients() const {
  if (xui_) return xui_->clients(xui_->options().inbound_id);
  std::vector<panel_client> out;
  for (const auto& user : remnawave_->users()) {
    auto c = panel::parse_remnawave_user(user);
    EXPECT_TRUE(c) << user.dump();
    if (c) out.push_back(*c);
  }
  return out;
}

std::size_t panel_under_test::call_count(panel_call call) const {
  if (remnawave_) return remnawave_->call_count(remnawave_op_of(call));
  auto op = xui_op_of(call);
  return op ? xui_->call_count(*op) : 0;
}

std::size_t panel_under_test::call_count() const {
  return xui_ ? xui_->calls().size() : remnawave_->calls().size();
}

std::size_t panel_under_test::succeeded(panel_call call) const {
  std::size_t n = 0;
  if (remnawave_) {
    for (const auto& c : remnawave_->calls(remnawave_op_of(call)))
      n += c.status >= 200 && c.status < 300;
  } else if (auto op = xui_op_of(call)) {
    for (const auto& c : xui_->calls(*op)) n += c.success;
  }
  return n;
}

void panel_under_test::drop(const std::string& email) {
  if (remnawave_) return remnawave_->drop_user(email);
  xui_->drop_client(xui_->options().inbound_id, email);
}

void panel_under_test::edit(const std::string& email, bool enabled, int64_t expiry_ms) {
  if (remnawave_) return remnawave_->edit_user(email, enabled ? "ACTIVE" : "DISABLED", expiry_ms);
  auto c = xui_->client(email);
  ASSERT_TRUE(c) << email;
  c->enable = enabled;
  c->expiry_time_ms = expiry_ms;
  xui_->edit_client(xui_->options().inbound_id, *c);
}

void panel_under_test::seed_foreign(const std::string& email) {
  if (remnawave_) {
    remnawave_->seed_user(email);
    return;
  }
  panel_client c;
  c.id = panel::new_client_uuid();
  c.email = email;
  xui_->seed_client(xui_->options().inbound_id, c);
}

void panel_under_test::restore(const panel_client& c) {
  if (remnawave_) {
    remnawave_->seed_user(c);
    return;
  }
  xui_->seed_client(xui_->options().inbound_id, c);
}

void panel_under_test::set_traffic(const std::string& email, int64_t up, int64_t down) {
  if (remnawave_) return remnawave_->set_used_traffic(email, up + down);
  xui_->set_traffic(email, up, down);
}

}  // namespace vpnbot::testing_support
