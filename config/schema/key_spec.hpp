#pragma once

// One key of the schema: its section, name, description, how its text is
// parsed into the settings and printed back. The builders below cover the
// common shapes; a key with its own rules writes its parse and print.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/schema/value_text.hpp"
#include "config/settings.hpp"

namespace vpnbot::config {

using parse_fn = std::function<std::optional<std::string>(settings&, const std::string&)>;
using print_fn = std::function<std::string(const settings&)>;

struct key_spec {
  std::string section;
  std::string key;
  std::string description;
  parse_fn parse;  // returns an error text ("expected ...") on failure
  print_fn print;
  bool quoted = true;  // printed as a TOML string
};

// VPNBOT_<SECTION>_<KEY>
std::string env_name(const key_spec& k);

// The keys of one [[panels]] entry. Panels are a list, so they have their
// own small schema; environment variables reach a panel named in the file
// as VPNBOT_PANEL_<NAME>_<KEY>.
struct panel_key {
  std::string key;
  std::string description;
  std::function<std::optional<std::string>(panel_settings&, const std::string&)> parse;
  std::function<std::string(const panel_settings&)> print;
  bool quoted = true;
};

template <class Section>
key_spec string_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                    std::string Section::*field) {
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            (s.*sec).*field = v;
            return std::nullopt;
          },
          [=](const settings& s) { return (s.*sec).*field; }};
}

// One of `choices` ("expected a or b" otherwise).
template <class Section>
key_spec choice_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                    std::string Section::*field, std::vector<std::string> choices) {
  std::string expected;
  for (size_t i = 0; i < choices.size(); ++i)
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            if (std::find(choices.begin(), choices.end(), v) == choices.end())
              return "expected " + expected;
            (s.*sec).*field = v;
            return std::nullopt;
          },
          [=](const settings& s) { return (s.*sec).*field; }};
}

// host:port, or empty for none (both parts cleared).
template <class Section>
key_spec optional_host_port_key(std::string section, std::string key, std::string desc,
                                Section settings::*sec, std::string Section::*host,
                                uint16_t Section::*port) {
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            if (v.empty()) {
              ((s.*sec).*host).clear();
              (s.*sec).*port = 0;
              return std::nullopt;
            }
            return parse_host_port(v, (s.*sec).*host, (s.*sec).*port);
          },
          [=](const settings& s) {
            if (((s.*sec).*host).empty()) return std::string();
            return print_host_port((s.*sec).*host, (s.*sec).*port);
          }};
}

template <class Section, class Int>
key_spec uint_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                  Int Section::*field, uint64_t min, uint64_t max) {
  return {section,
          key,
          desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            auto n = parse_uint(v);
            if (!n || *n < min || *n > max)
              return "expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max);
            (s.*sec).*field = static_cast<Int>(*n);
            return std::nullopt;
          },
          [=](const settings& s) { return std::to_string((s.*sec).*field); },
          false};
}

template <class Section>
key_spec duration_key(std::string section, std::string key, std::string desc,
                      Section settings::*sec, duration Section::*field, duration min) {
  return {section, key, desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            auto d = parse_duration(v);
            if (!d || *d < min)
              return "expected a duration such as \"500ms\", \"10s\", \"5m\", \"1h\" (at least " +
                     print_duration(min) + ")";
            (s.*sec).*field = *d;
            return std::nullopt;
          },
          [=](const settings& s) { return print_duration((s.*sec).*field); }};
}

template <class Section>
key_spec bool_key(std::string section, std::string key, std::string desc, Section settings::*sec,
                  bool Section::*field) {
  return {section,
          key,
          desc,
          [=](settings& s, const std::string& v) -> std::optional<std::string> {
            if (v == "true" || v == "1")
              (s.*sec).*field = true;
            else if (v == "false" || v == "0")
              (s.*sec).*field = false;
            else
              return "expected true or false";
            return std::nullopt;
          },
          [=](const settings& s) { return std::string((s.*sec).*field ? "true" : "false"); },
          false};
}

}  // namespace vpnbot::config
