#pragma once

// The way back to the connection an http_request arrived on. It travels
// next to the request through actor mailboxes, so it is a value: copies
// share one reply slot, the first send() wins and later ones are ignored.
// When the last copy goes away unanswered (the actor holding it died, the
// message was dropped), the client gets 503 instead of a hanging socket.

#include <atomic>
#include <caf/allowed_unsafe_message_type.hpp>
#include <functional>
#include <memory>
#include <utility>

#include "messages/http.hpp"

namespace vpnbot {

class http_responder {
 public:
  using sink = std::function<void(http_response)>;

  http_responder() = default;
  explicit http_responder(sink s) : slot_(std::make_shared<slot>(std::move(s))) {}

  // Thread-safe; returns false when the reply was already given.
  bool send(http_response r) const {
    if (!slot_ || slot_->answered.exchange(true)) return false;
    slot_->deliver(std::move(r));
    return true;
  }

  bool answered() const { return !slot_ || slot_->answered.load(); }

 private:
  struct slot {
    explicit slot(sink s) : deliver(std::move(s)) {}
    ~slot() {
      if (!answered.load() && deliver)
        deliver({503,
                 "application/json",
                 {},
                 R"({"error":"unavailable","message":"the request was dropped unanswered"})"});
    }
    sink deliver;
    std::atomic<bool> answered{false};
  };
  std::shared_ptr<slot> slot_;
};

}  // namespace vpnbot

// Holds a callback into one connection of this process: never serialized.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::http_responder)
