#pragma once

// A property a parser promises about its own results. A broken one ends the
// run like a crash, so libFuzzer keeps the input that broke it.

#include <cstdio>
#include <cstdlib>

namespace vpnbot::fuzz {

inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace vpnbot::fuzz
