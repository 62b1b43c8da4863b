#include "domain/outbox/update_store.hpp"

#include <algorithm>

#include "adapters/codec/utf8.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/telegram/update_parser.hpp"

namespace vpnbot::telegram {

stored_updates store_updates(pqxx::dbtransaction& tx, const std::vector<nlohmann::json>& updates) {
  stored_updates out;
  for (const auto& j : updates) {
    if (!j.is_object() || !j.contains("update_id") || !j["update_id"].is_number_integer()) {
      ++out.malformed;
      continue;
    }
    auto id = j["update_id"].get<int64_t>();
    out.last_update_id = std::max(out.last_update_id.value_or(id), id);
    auto parsed = parse_update(j);
    std::optional<int64_t> user = parsed ? sender_id(*parsed) : std::nullopt;
    if (!db::store_update(tx, id, user, j.dump())) continue;  // seen before
    ++out.new_updates;
    if (!parsed) {
      ++out.malformed;
      db::mark_update_skipped(tx, id,
                              "malformed: " + codec::truncate_utf8(parsed.error().reason, 200,
                                                                   codec::text_unit::bytes));
    } else if (!user) {
      db::mark_update_skipped(tx, id, "no sender");
    } else if (std::find(out.users.begin(), out.users.end(), *user) == out.users.end()) {
      out.users.push_back(*user);
    }
  }
  return out;
}

}  // namespace vpnbot::telegram
