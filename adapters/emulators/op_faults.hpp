#pragma once

// The faults an emulator of a panel plays on its own operations: the next
// `times` calls of an operation fail with a status (or, in 3x-ui, are
// refused inside a 200), every k-th call fails for good, or answers come
// late. Shared by the 3x-ui and Remnawave emulators.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vpnbot::emulators {

template <class Op>
struct op_fault {
  Op op;
  int times = 1;
  int status = 0;                      // 0: a delay fault
  std::chrono::milliseconds delay{0};  // delay faults
  std::string refusal{};               // not empty: HTTP 200 refusing with this message
  int every = 0;                       // > 0: every `every`-th call, for good (times unused)
  int seen = 0;
};

template <class Op>
class op_faults {
 public:
  void fail_next(Op op, int times, int status) { faults_.push_back({op, times, status}); }
  void refuse_next(Op op, int times, std::string message) {
    faults_.push_back({op, times, 200, {}, std::move(message)});
  }
  void fail_every(Op op, int k, int status) { faults_.push_back({op, 1, status, {}, {}, k}); }
  void delay_next(Op op, int times, std::chrono::milliseconds delay) {
    faults_.push_back({op, times, 0, delay});
  }
  // Ends the failing faults of an operation (delays stay).
  void clear_failures(Op op) {
    std::erase_if(faults_, [op](const op_fault<Op>& f) { return f.op == op && f.status != 0; });
  }
  void clear() { faults_.clear(); }

  // The fault the next call of `op` meets, of the delay kind or the other.
  std::optional<op_fault<Op>> take(Op op, bool delay) {
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->op != op || (it->status == 0) != delay) continue;
      if (it->every > 0) {
        if (++it->seen % it->every != 0) continue;
        return *it;
      }
      auto f = *it;
      if (--it->times <= 0) faults_.erase(it);
      return f;
    }
    return std::nullopt;
  }

 private:
  std::vector<op_fault<Op>> faults_;
};

}  // namespace vpnbot::emulators
