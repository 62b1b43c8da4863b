#pragma once

// The typed interface of the HTTP client actor: the compiler checks that it
// is only asked for HTTP calls and that the answer is read as a response.

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/http_client.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

using http_client_actor =
    caf::typed_actor<caf::replies_to<http_client_request>::with<http_client_response>>;

}  // namespace vpnbot
