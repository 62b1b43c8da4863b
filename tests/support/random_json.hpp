#pragma once

// Random JSON documents for tests that hold a reader to nlohmann's: scalars
// (null, booleans, int64 of every size, fractions, the given strings),
// arrays of up to three and objects of up to four members named from the
// same strings, nested at most `max_depth` deep.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace vpnbot::testing_support {

nlohmann::json random_json(std::mt19937_64& rng, const std::vector<std::string>& strings,
                           int max_depth);

}  // namespace vpnbot::testing_support
