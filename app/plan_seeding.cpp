#include "app/plan_seeding.hpp"

#include "adapters/db/panels_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::app {

void seed_plans(pqxx::dbtransaction& tx, const std::vector<config::plan_setting>& plans) {
  const auto& t = telegram::texts::builtin();
  std::vector<std::string> codes;
  int order = 0;
  for (const auto& p : plans) {
    db::plan_definition def;
    def.code = p.code;
    for (auto l : telegram::all_languages)
      def.titles[std::string(telegram::code(l))] = t.plural(l, "plural.days", p.days);
    def.duration_days = p.days;
    def.is_trial = p.trial;
    // 3x-ui's totalGB is in bytes despite its name; its GB are GiB.
    def.traffic_limit_bytes = p.traffic_gb * 1024 * 1024 * 1024;
    def.device_limit = p.devices;
    def.raw_link = p.raw_link;
    def.sort_order = order++;
    def.prices = p.prices;
    db::upsert_plan(tx, def);
    codes.push_back(p.code);
  }
  db::deactivate_plans_except(tx, codes);
}

void seed_panels(pqxx::dbtransaction& tx, const std::vector<config::panel_settings>& panels) {
  std::vector<std::string> names;
  for (const auto& p : panels) {
    db::upsert_panel(tx, p.name, p.base_url, p.inbound_id);
    names.push_back(p.name);
  }
  db::deactivate_panels_except(tx, names);
}

}  // namespace vpnbot::app
