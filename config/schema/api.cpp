// The [api] keys: the HTTP admin API.

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_api_keys(std::vector<key_spec>& k) {
  k.push_back(string_key("api", "token",
                         "Bearer token of the HTTP admin API (/api/v1/...); empty: the API is off "
                         "(404)",
                         &settings::api, &api_settings::token));
}

}  // namespace vpnbot::config
