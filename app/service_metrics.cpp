#include "app/service_metrics.hpp"

#include "actors/actor_probe.hpp"
#include "actors/cluster/cluster_metrics.hpp"
#include "actors/panel/panel_metrics.hpp"
#include "actors/payments/payment_metrics.hpp"
#include "actors/storage/storage_metrics.hpp"
#include "actors/supervisor_metrics.hpp"
#include "actors/telegram/telegram_metrics.hpp"
#include "actors/workers/worker_metrics.hpp"
#include "adapters/http/client_metrics.hpp"
#include "adapters/http/server_metrics.hpp"
#include "adapters/metrics/process_metrics.hpp"

namespace vpnbot {

void declare_service_metrics(metrics::registry& r, const std::string& version,
                             const std::string& node_name) {
  metrics::register_process_metrics(r, version, node_name);
  actor_metrics{r};
  supervision::supervisor_metrics{r};
  http::server_metrics{r};
  http::client_metrics{r};
  storage::storage_metrics{r};
  telegram::telegram_metrics{r};
  workers::worker_metrics{r};
  activation::panel_metrics{r};
  payments::payment_metrics{r};
  cluster::cluster_metrics{r};
}

}  // namespace vpnbot
