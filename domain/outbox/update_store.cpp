#include "domain/outbox/update_store.hpp"

#include <algorithm>

#include "adapters/codec/utf8.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/telegram/update_parser.hpp"

namespace vpnbot::telegram {
namespace {

// A byte order mark JSON readers skip and PostgreSQL's jsonb refuses.
std::string_view without_bom(std::string_view text) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text.substr(0, bom.size()) == bom) text.remove_prefix(bom.size());
  return text;
}

}  // namespace

stored_updates store_updates(pqxx::dbtransaction& tx, const std::vector<std::string>& updates) {
  stored_updates out;
  struct seen {
    int64_t id;
    result<update, parse_error> parsed;
    std::optional<int64_t> user;
  };
  std::vector<seen> valid;
  std::vector<db::incoming_update> rows;
  for (const auto& text : updates) {
    auto parsed = parse_update(std::string_view(text));
    auto known = parsed ? std::optional<int64_t>(parsed->update_id) : parsed.error().update_id;
    if (!known) {
      ++out.malformed;
      continue;
    }
    auto id = *known;
    out.last_update_id = std::max(out.last_update_id.value_or(id), id);
    std::optional<int64_t> user = parsed ? sender_id(*parsed) : std::nullopt;
    rows.push_back({id, user, without_bom(text)});
    valid.push_back({id, std::move(parsed), user});
  }
  auto fresh = db::store_updates(tx, rows);  // seen before: not among them
  for (const auto& v : valid) {
    // A batch repeating an update_id stores it once; it counts once too.
    auto it = std::find(fresh.begin(), fresh.end(), v.id);
    if (it == fresh.end()) continue;
    fresh.erase(it);
    ++out.new_updates;
    if (!v.parsed) {
      ++out.malformed;
      db::mark_update_skipped(tx, v.id,
                              "malformed: " + codec::truncate_utf8(v.parsed.error().reason, 200,
                                                                   codec::text_unit::bytes));
    } else if (!v.user) {
      db::mark_update_skipped(tx, v.id, "no sender");
    } else if (std::find(out.users.begin(), out.users.end(), *v.user) == out.users.end()) {
      out.users.push_back(*v.user);
    }
  }
  return out;
}

}  // namespace vpnbot::telegram
