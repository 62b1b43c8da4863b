#include "support/random_json.hpp"

namespace vpnbot::testing_support {
namespace {

nlohmann::json random_json_at(std::mt19937_64& rng, const std::vector<std::string>& strings,
                              int depth, int max_depth) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto word = [&] { return strings[pick(strings.size())]; };
  switch (depth >= max_depth ? pick(5) : pick(7)) {
    case 0:
      return nullptr;
    case 1:
      return pick(2) == 0;
    case 2:
      return static_cast<std::int64_t>(rng()) >> pick(64);
    case 3:
      return static_cast<double>(pick(1000)) / 7;
    case 4:
      return word();
    case 5: {
      auto a = nlohmann::json::array();
      for (auto i = pick(4); i > 0; --i)
        a.push_back(random_json_at(rng, strings, depth + 1, max_depth));
      return a;
    }
    default: {
      auto o = nlohmann::json::object();
      for (auto i = pick(5); i > 0; --i)
        o[word()] = random_json_at(rng, strings, depth + 1, max_depth);
      return o;
    }
  }
}

}  // namespace

nlohmann::json random_json(std::mt19937_64& rng, const std::vector<std::string>& strings,
                           int max_depth) {
  return random_json_at(rng, strings, 0, max_depth);
}

}  // namespace vpnbot::testing_support
