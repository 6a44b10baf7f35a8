#pragma once
// What every libFuzzer target shares: how a harness reports a finding.

#include <cstdio>
#include <cstdlib>
#include <string>

namespace swhub::fuzz {

// Stops the run with a message: libFuzzer records the input that got here as a crash.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "swhub fuzz: %s\n", what.c_str());
  std::abort();
}

}  // namespace swhub::fuzz
