#include "adapters/http/json_error.hpp"

#include <nlohmann/json.hpp>

namespace vpnbot::http {

http_response json_error(int status, std::string_view code, std::string_view message) {
  nlohmann::json body{{"error", code}, {"message", message}};
  return {status, "application/json", {}, body.dump()};
}

}  // namespace vpnbot::http
