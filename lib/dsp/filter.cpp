// SPDX-License-Identifier: Apache-2.0
#include "dsp/filter.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "dsp/clones.hpp"
#include "dsp/vectors.hpp"

namespace provmark::dsp {
namespace {

// Running means with clamped edges along `rows` rows at once: a running sum is a chain of dependent
// additions, and interleaving independent rows lets the CPU overlap them (4x faster than row by row).
// Always inlined into box_blur, so that its AVX2 clone (dsp/clones.hpp) runs an AVX2 copy.
template <int rows>
[[gnu::always_inline]] inline void box_rows(const Plane& in, Plane& out, int y0, int r) {
  const int n = in.width;
  const float* src[rows];
  float* dst[rows];
  double sum[rows];
  for (int j = 0; j < rows; ++j) {
    src[j] = in.row(y0 + j);
    dst[j] = out.row(y0 + j);
    sum[j] = 0;
    for (int k = -r; k <= r; ++k) sum[j] += src[j][std::clamp(k, 0, n - 1)];
  }
  const float inv = 1.0f / static_cast<float>(2 * r + 1);
  auto step = [&](int i, int add, int sub) {
    for (int j = 0; j < rows; ++j) {
      dst[j][i] = static_cast<float>(sum[j]) * inv;
      sum[j] += src[j][add] - src[j][sub];
    }
  };
  const int interior_end = std::max(0, n - r - 1);  // below it, i + r + 1 needs no clamp
  int i = 0;
  for (; i < std::min(r, interior_end); ++i) step(i, i + r + 1, 0);
  for (; i < interior_end; ++i) step(i, i + r + 1, i - r);
  for (; i < n; ++i) step(i, std::min(i + r + 1, n - 1), std::max(i - r, 0));
}

// Eight rows at a time, the same operations on each row as box_rows, through a strip of columns (dsp/vectors.hpp):
// each step of the running sums is one vector operation for all 8 rows. box_rows's chains wait on scalar loads and
// conversions: a radius-4 and a radius-8 blur of a 768 x 512 plane took 0.58 ms with it alone, now 0.39.
[[gnu::always_inline]] inline void box_rows8(const Plane& in, Plane& out, int y0, int r, std::vector<float>& strip,
                                             std::vector<float>& result) {
  const int n = in.width;
  to_strip([&](int j) { return in.row(y0 + j); }, n, strip.data());
  // Each column as two halves of 4 rows: a half converts to doubles in one instruction.
  auto half = [&](int x, int h) {
    v4f v;
    std::memcpy(&v, strip.data() + 8 * static_cast<std::size_t>(x) + 4 * static_cast<std::size_t>(h), sizeof v);
    return v;
  };
  v4d sum_low{}, sum_high{};
  for (int k = -r; k <= r; ++k) {
    const int x = std::clamp(k, 0, n - 1);
    sum_low += __builtin_convertvector(half(x, 0), v4d);
    sum_high += __builtin_convertvector(half(x, 1), v4d);
  }
  const float inv = 1.0f / static_cast<float>(2 * r + 1);
  auto step = [&](int i, int add, int sub) {
    const v4f a = __builtin_convertvector(sum_low, v4f) * inv, b = __builtin_convertvector(sum_high, v4f) * inv;
    float* dst = result.data() + 8 * static_cast<std::size_t>(i);
    std::memcpy(dst, &a, sizeof a);
    std::memcpy(dst + 4, &b, sizeof b);
    sum_low += __builtin_convertvector(half(add, 0) - half(sub, 0), v4d);
    sum_high += __builtin_convertvector(half(add, 1) - half(sub, 1), v4d);
  };
  const int interior_end = std::max(0, n - r - 1);
  int i = 0;
  for (; i < std::min(r, interior_end); ++i) step(i, i + r + 1, 0);
  for (; i < interior_end; ++i) step(i, i + r + 1, i - r);
  for (; i < n; ++i) step(i, std::min(i + r + 1, n - 1), std::max(i - r, 0));
  from_strip(result.data(), n, [&](int j) { return out.row(y0 + j); });
}

}  // namespace

PROVMARK_HOT_LOOP Plane box_blur(const Plane& in, int radius) {
  Plane tmp(in.width, in.height, Uninitialized{});
  Plane out(in.width, in.height, Uninitialized{});
  int y = 0;
  std::vector<float> strip(8 * static_cast<std::size_t>(in.width)), result(strip.size());
  for (; y + 8 <= in.height; y += 8) box_rows8(in, tmp, y, radius, strip, result);
  for (; y + 4 <= in.height; y += 4) box_rows<4>(in, tmp, y, radius);
  for (; y < in.height; ++y) box_rows<1>(in, tmp, y, radius);
  // Vertically with a running sum of whole rows: cache-friendly and vectorisable.
  const auto width = static_cast<std::size_t>(in.width);
  std::vector<float> sum(width, 0.0f);
  const int last = in.height - 1;
  for (int k = -radius; k <= radius; ++k) {
    const float* r = tmp.row(std::clamp(k, 0, last));
    for (std::size_t x = 0; x < width; ++x) sum[x] += r[x];
  }
  const float inv = 1.0f / static_cast<float>(2 * radius + 1);
  float* __restrict running = sum.data();  // one pass per row, and no overlap for the vectoriser to check for
  for (y = 0; y < in.height; ++y) {
    float* __restrict o = out.row(y);
    const float* add = tmp.row(std::min(y + radius + 1, last));
    const float* sub = tmp.row(std::max(y - radius, 0));
    for (std::size_t x = 0; x < width; ++x) {
      o[x] = running[x] * inv;
      running[x] += add[x] - sub[x];
    }
  }
  return out;
}

double sum(std::span<const float> values) noexcept {
  std::array<double, 8> lanes{};
  std::size_t i = 0;
  for (; i + lanes.size() <= values.size(); i += lanes.size())
    for (std::size_t j = 0; j < lanes.size(); ++j) lanes[j] += values[i + j];
  double total = 0;
  for (; i < values.size(); ++i) total += values[i];
  for (double lane : lanes) total += lane;
  return total;
}

}  // namespace provmark::dsp
