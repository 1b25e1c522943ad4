// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the benchmarks measure with: thread CPU time (the machines are shared; wall clocks of a few ms mostly
// measure the scheduler) and medians.
#include <time.h>

#include <algorithm>
#include <vector>

namespace provmark::bench {

/// CPU time of the calling thread, in ms.
inline double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace provmark::bench
