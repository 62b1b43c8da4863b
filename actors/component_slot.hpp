#pragma once

// A handle one actor publishes and its siblings read. A restarted actor has
// a new address, so readers take the handle at each use instead of keeping
// an old one; the slot is shared (slot_ref) between the publisher, the
// readers and the supervisor that wired them, and read and written from
// different scheduler threads, hence the lock.
//
//   publish(self, wiring.outbox);               // the outbox, at start
//   if (auto outbox = wiring.outbox->get()) ... // anyone holding the slot

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <memory>
#include <mutex>
#include <utility>

namespace vpnbot {

template <class Handle>
class component_slot {
 public:
  Handle get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return handle_;
  }

  void set(Handle handle) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(handle_, handle);
  }

  // Empties the slot only if it still holds the actor at `addr`: a newer
  // incarnation may have published itself by then.
  void clear_if(const caf::actor_addr& addr) {
    Handle gone;
    std::lock_guard<std::mutex> lock(mutex_);
    if (handle_ && handle_.address() == addr) std::swap(handle_, gone);
  }

 private:
  mutable std::mutex mutex_;
  Handle handle_;
};

template <class Handle>
using slot_ref = std::shared_ptr<component_slot<Handle>>;

template <class Handle>
slot_ref<Handle> make_slot() {
  return std::make_shared<component_slot<Handle>>();
}

// Puts `self` in the slot until it ends.
template <class Self, class Handle>
void publish(Self* self, const slot_ref<Handle>& slot) {
  slot->set(caf::actor_cast<Handle>(self));
  self->attach_functor([slot, addr = self->address()] { slot->clear_if(addr); });
}

}  // namespace vpnbot
