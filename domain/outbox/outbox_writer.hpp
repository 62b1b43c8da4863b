#pragma once

// Writes Bot API calls into telegram_outbox inside the caller's transaction:
// whatever decided them (handling an update, finalizing a payment, a
// reminder) commits its replies with its other changes, all or nothing. The
// ids are handed to kick_outbox after the commit (or, for rows written
// together, the rows themselves to hand_outbox).

#include <cstdint>
#include <iterator>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <vector>

#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/outbox_queue.hpp"

namespace vpnbot::telegram {

class outbox_writer {
 public:
  // deferred: rows wait in the writer until the caller writes them all in
  // one statement (db::finish_updates, with the update's mark) and hands
  // their ids to assign_ids; immediate: each row is inserted by add.
  enum class mode { immediate, deferred };

  explicit outbox_writer(pqxx::dbtransaction& tx, std::optional<int64_t> update_id = std::nullopt,
                         mode m = mode::immediate)
      : tx_(tx), update_id_(update_id), mode_(m) {}

  template <class Params>
  void add(lane l, const Params& params) {
    auto request = build(stored_endpoint(), params);
    // Texts and keyboards come from the catalogue and validated ids, so a
    // refusal is a bug: the transaction fails and its work is retried.
    if (!request) throw std::logic_error("a Bot API call was refused: " + request.error());
    db::outgoing_call call;
    call.chat_id = request->chat_id;
    call.lane = static_cast<int>(l);
    call.method = std::move(request->method);
    call.content_type = std::move(request->content_type);
    call.body = std::move(request->body);
    call.update_id = update_id_;
    if (mode_ == mode::deferred)
      deferred_.push_back(std::move(call));
    else
      ids_.push_back(db::enqueue_outgoing(tx_, call));
  }

  int count() const { return static_cast<int>(ids_.size() + deferred_.size()); }
  const std::vector<int64_t>& ids() const { return ids_; }
  const std::vector<db::outgoing_call>& deferred() const { return deferred_; }
  // The rows of deferred() are written, with these ids, in their order.
  void assign_ids(std::vector<int64_t> ids) {
    if (ids.size() != deferred_.size())
      throw std::logic_error("the outbox wrote a different number of rows than it was given");
    for (std::size_t i = 0; i < ids.size(); ++i) deferred_[i].id = ids[i];
    ids_.insert(ids_.end(), ids.begin(), ids.end());
    written_.insert(written_.end(), std::make_move_iterator(deferred_.begin()),
                    std::make_move_iterator(deferred_.end()));
    deferred_.clear();
  }
  // The deferred rows as written, with their ids: the writer gives them up.
  std::vector<db::outgoing_call> take_written() { return std::move(written_); }

 private:
  // Rows keep method, content type and body only; the outbox adds the real
  // base URL and token when it sends, so any valid endpoint encodes them.
  static const endpoint& stored_endpoint() {
    static const endpoint e = endpoint::make("http://outbox.invalid", "0:stored").value();
    return e;
  }

  pqxx::dbtransaction& tx_;
  std::optional<int64_t> update_id_;
  mode mode_;
  std::vector<int64_t> ids_;
  std::vector<db::outgoing_call> deferred_;
  std::vector<db::outgoing_call> written_;
};

}  // namespace vpnbot::telegram
