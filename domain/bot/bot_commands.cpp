#include "domain/bot/bot_commands.hpp"

#include "adapters/telegram/set_my_commands.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::telegram {

std::vector<int64_t> queue_bot_commands(pqxx::dbtransaction& tx, const texts& catalog) {
  outbox_writer out(tx);
  for (auto l : all_languages)
    out.add(lane::transactional,
            set_my_commands{.commands = {{"start", catalog.label(l, "command.start")},
                                         {"menu", catalog.label(l, "command.menu")},
                                         {"help", catalog.label(l, "command.help")},
                                         {"language", catalog.label(l, "command.language")}},
                            .language_code = std::string(code(l))});
  return out.ids();
}

}  // namespace vpnbot::telegram
