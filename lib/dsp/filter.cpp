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
  // Vertically with a running sum of whole rows: cache-friendly and vectorisable.
  const auto width = static_cast<std::size_t>(in.width);
  std::vector<float> sum(width, 0.0f);
  const int last = in.height - 1;
  for (int k = -radius; k <= radius; ++k) {
    const float* r = tmp.row(std::clamp(k, 0, last));
    for (std::size_t x = 0; x < width; ++x) sum[x] += r[x];
  }
  const float inv = 1.0f / static_cast<float>(2 * radius + 1);
  for (int y = 0; y < in.height; ++y) {
    float* o = out.row(y);
    for (std::size_t x = 0; x < width; ++x) o[x] = sum[x] * inv;
    const float* add = tmp.row(std::min(y + radius + 1, last));
    const float* sub = tmp.row(std::max(y - radius, 0));
    for (std::size_t x = 0; x < width; ++x) sum[x] += add[x] - sub[x];
  }
  return out;
}

}  // namespace provmark::dsp
