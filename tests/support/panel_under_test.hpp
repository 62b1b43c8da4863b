#pragma once

// One panel emulator of each kind the service speaks to, behind one
// interface, so a suite runs unchanged against 3x-ui's legacy API, 3x-ui
// 3.1's clients API and Remnawave (TEST_P over panel_kind). Clients are
// named as the service names them: the email on 3x-ui is the username on
// Remnawave; the client a query answers is the panel's, read into the
// panel-neutral panel_client (Remnawave's user through the adapter's own
// reading of it).

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "config/settings.hpp"
#include "messages/panel_client.hpp"

namespace vpnbot::testing_support {

enum class panel_kind { xui_legacy, xui_31, remnawave };

inline constexpr std::array all_panel_kinds{panel_kind::xui_legacy, panel_kind::xui_31,
                                            panel_kind::remnawave};

// "XuiLegacy", "Xui31", "Remnawave": the parameter's part of a test's name.
std::string_view to_string(panel_kind kind);
std::string panel_kind_name(const ::testing::TestParamInfo<panel_kind>& info);
// gtest prints a parameter with this when a test fails.
void PrintTo(panel_kind kind, std::ostream* os);

// A panel's calls, as every kind has them.
enum class panel_call {
  lookup,  // one client read by its name (3.1, Remnawave: before a create or a removal)
  create,  // the call that makes a client
  update,
  remove,  // the call that deletes a client
  list,    // every client (3x-ui: the inbound)
};

class panel_under_test {
 public:
  explicit panel_under_test(panel_kind kind);
  ~panel_under_test();
  panel_under_test(const panel_under_test&) = delete;
  panel_under_test& operator=(const panel_under_test&) = delete;

  panel_kind kind() const { return kind_; }
  // The panel makes a new client's UUID and subscription id itself (3x-ui
  // 3.1) instead of keeping the ones sent.
  bool makes_its_own_uuid() const { return kind_ == panel_kind::xui_31; }
  // The API the service speaks to it: vpnbot_panel_info's `api` label.
  std::string api() const;
  // A [[panels]] entry for it.
  config::panel_settings panel_settings(std::string name = "main") const;

  // -- faults -----------------------------------------------------------------
  // As the emulators' own; a lookup fault on legacy 3x-ui, which has no
  // lookup, fails the test.
  void fail_next(panel_call call, int times = 1, int status = 500);
  void fail_every(panel_call call, int k, int status = 500);
  void delay_next(panel_call call, std::chrono::milliseconds delay, int times = 1);
  void recover(panel_call call);
  void set_down(bool down);

  // -- state ----------------------------------------------------------------
  std::optional<panel_client> client(const std::string& email) const;
  // Every client the service may see: ours and the foreign ones (3x-ui:
  // those of the configured inbound, its own client included).
  std::vector<panel_client> clients() const;
  std::size_t call_count(panel_call call) const;
  // Every call that reached the panel, of any kind.
  std::size_t call_count() const;
  // The calls of a kind the panel answered as done (not a failure, not a
  // refusal).
  std::size_t succeeded(panel_call call) const;

  // -- by hand ----------------------------------------------------------------
  // Deleted by hand (its traffic counters, on 3x-ui, stay).
  void drop(const std::string& email);
  // Enabled or disabled and its expiry changed by hand.
  void edit(const std::string& email, bool enabled, int64_t expiry_ms);
  // A client made by hand, not by us.
  void seed_foreign(const std::string& email);
  // A client put back by hand with the identity and state of `c`.
  void restore(const panel_client& c);
  // The traffic the panel counted for a client (Remnawave: one sum).
  void set_traffic(const std::string& email, int64_t up, int64_t down);

  // The emulator itself, for what only one kind has (null for the others).
  emulators::xui_emulator* xui() const { return xui_.get(); }
  emulators::remnawave_emulator* remnawave() const { return remnawave_.get(); }

 private:
  std::optional<emulators::xui_op> xui_op_of(panel_call call) const;
  emulators::remnawave_op remnawave_op_of(panel_call call) const;
  // Calls `fault(emulator, op)` on this kind's emulator with its operation
  // for `call`; a failure when this kind has none.
  template <class Fault>
  void on_op(panel_call call, Fault fault) {
    if (remnawave_) return fault(*remnawave_, remnawave_op_of(call));
    if (auto op = xui_op_of(call)) return fault(*xui_, *op);
    ADD_FAILURE() << to_string(kind_) << " has no such call";
  }

  panel_kind kind_;
  std::unique_ptr<emulators::xui_emulator> xui_;
  std::unique_ptr<emulators::remnawave_emulator> remnawave_;
};

}  // namespace vpnbot::testing_support
