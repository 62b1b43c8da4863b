#include "domain/broadcasts/broadcast.hpp"

#include <array>
#include <utility>

namespace vpnbot::broadcasts {
namespace {

constexpr std::array<std::pair<segment, std::string_view>, 6> segments{{
    {segment::all, "all"},
    {segment::active_paid, "active_paid"},
    {segment::trial, "trial"},
    {segment::expired, "expired"},
    {segment::never_paid, "never_paid"},
    {segment::language, "language"},
}};

constexpr std::array<std::pair<run_state, std::string_view>, 4> states{{
    {run_state::running, "running"},
    {run_state::paused, "paused"},
    {run_state::cancelled, "cancelled"},
    {run_state::done, "done"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view n) {
  for (const auto& [value, name] : table)
    if (name == n) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(segment s) {
  return name_of(segments, s);
}
std::optional<segment> segment_from(std::string_view name) {
  return value_of(segments, name);
}
std::string_view to_string(run_state s) {
  return name_of(states, s);
}
std::optional<run_state> run_state_from(std::string_view name) {
  return value_of(states, name);
}

}  // namespace vpnbot::broadcasts
