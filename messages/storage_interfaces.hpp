#pragma once

// The typed interfaces of the storage actors: the compiler checks that only
// db_calls go to a worker and that the pool is asked only what it answers.

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/storage.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

using db_worker_actor = caf::typed_actor<caf::replies_to<db_call>::with<db_value>,
                                         caf::replies_to<db_batch>::with<db_batch_result>>;

using db_pool_actor = caf::typed_actor<caf::replies_to<db_call>::with<db_value>,
                                       caf::reacts_to<db_worker_ready_atom, db_worker_actor>,
                                       caf::reacts_to<tick_atom>>;

}  // namespace vpnbot
