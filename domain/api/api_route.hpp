#pragma once

// The admin API as a table: each route is a method, a path pattern whose
// `{name}` segments are parameters, what the OpenAPI document says of it,
// and its handler, a plain function over one transaction. The groups add
// their routes in route_table.cpp; a new group is a file with an add_*
// function and one line there.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/admin/acting_operator.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "messages/http.hpp"

namespace vpnbot::api {

// One authorised call, its input parsed.
struct api_call {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // from the pattern's {name} segments
  std::map<std::string, std::string> query;   // decoded
  nlohmann::json body = nlohmann::json::object();
  admin::acting_operator who = admin::acting_operator::api();
};

using api_handler =
    std::function<http_response(pqxx::dbtransaction&, const api_call&, telegram::outbox_writer&)>;

struct api_query_parameter {
  std::string name;
  std::string description;
  std::string type = "string";  // OpenAPI schema type
};

struct api_route {
  std::string method;
  std::string pattern;  // e.g. /api/v1/users/{telegram_id}/grant
  std::string summary;
  std::vector<api_query_parameter> query;
  nlohmann::json request_body = nullptr;  // the body's JSON schema; null: none
  // Empty: a document served without the database (the OpenAPI one).
  api_handler handler;
  // What a 202 answer means, for a route that may accept work to finish
  // later; empty: the route never answers 202.
  std::string accepted{};

  bool mutating() const { return method != "GET"; }
};

}  // namespace vpnbot::api
