// SPDX-License-Identifier: Apache-2.0
#include "dsp/filter.hpp"

#include <algorithm>
#include <vector>

namespace provmark::dsp {
namespace {

// 1-D running mean with clamped edges over `n` samples spaced `step` apart.
void box_1d(const float* in, float* out, int n, std::ptrdiff_t step, int r) {
  double sum = 0;
  for (int k = -r; k <= r; ++k) sum += in[std::clamp(k, 0, n - 1) * step];
  const float inv = 1.0f / static_cast<float>(2 * r + 1);
  for (int i = 0; i < n; ++i) {
    out[i * step] = static_cast<float>(sum) * inv;
    sum += in[std::min(i + r + 1, n - 1) * step] - in[std::max(i - r, 0) * step];
  }
}

}  // namespace

Plane box_blur(const Plane& in, int radius) {
  Plane tmp(in.width, in.height);
  Plane out(in.width, in.height);
  for (int y = 0; y < in.height; ++y) box_1d(in.row(y), tmp.row(y), in.width, 1, radius);
  for (int x = 0; x < in.width; ++x) box_1d(tmp.data.data() + x, out.data.data() + x, in.height, in.width, radius);
  return out;
}

}  // namespace provmark::dsp
