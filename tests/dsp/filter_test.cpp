// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dsp/filter.hpp"

using provmark::dsp::Plane;

namespace {

// The definition, one window at a time: the mean over (2r+1)^2 pixels, coordinates clamped to the plane.
float box_mean_at(const Plane& p, int x, int y, int r) {
  double sum = 0;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) sum += p.at(std::clamp(x + dx, 0, p.width - 1), std::clamp(y + dy, 0, p.height - 1));
  return static_cast<float>(sum / ((2 * r + 1) * (2 * r + 1)));
}

Plane pseudo_random_plane(int width, int height) {
  Plane p(width, height);
  std::uint32_t state = 12345;
  for (float& v : p.data) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 24);
  }
  return p;
}

// box_blur's arithmetic, one row and one column at a time: running sums in double along rows (of float differences),
// then in float down columns. The code runs 8 or 4 rows at once; each must give these bits.
Plane box_blur_one_by_one(const Plane& in, int r) {
  const int w = in.width, h = in.height;
  const float inv = 1.0f / static_cast<float>(2 * r + 1);
  Plane tmp(w, h);
  for (int y = 0; y < h; ++y) {
    const float* src = in.row(y);
    double sum = 0;
    for (int k = -r; k <= r; ++k) sum += src[std::clamp(k, 0, w - 1)];
    for (int x = 0; x < w; ++x) {
      tmp.row(y)[x] = static_cast<float>(sum) * inv;
      sum += src[std::min(x + r + 1, w - 1)] - src[std::max(x - r, 0)];
    }
  }
  Plane out(w, h);
  for (int x = 0; x < w; ++x) {
    float sum = 0;
    for (int k = -r; k <= r; ++k) sum += tmp.at(x, std::clamp(k, 0, h - 1));
    for (int y = 0; y < h; ++y) {
      out.row(y)[x] = sum * inv;
      sum += tmp.at(x, std::min(y + r + 1, h - 1)) - tmp.at(x, std::max(y - r, 0));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("box_blur equals the clamped-window mean, for planes narrower than the window and any row count") {
  struct Case {
    int width, height, radius;
  };
  for (const Case c : {Case{1, 1, 4}, Case{3, 5, 4}, Case{3, 9, 4}, Case{9, 7, 4}, Case{10, 9, 4}, Case{37, 13, 8},
                       Case{64, 6, 1}, Case{21, 17, 8}}) {
    const int width = c.width, height = c.height, radius = c.radius;  // plain variables: clang 14 cannot capture bindings
    CAPTURE(width);
    CAPTURE(height);
    CAPTURE(radius);
    const Plane in = pseudo_random_plane(width, height);
    const Plane out = provmark::dsp::box_blur(in, radius);
    REQUIRE(out.width == width);
    REQUIRE(out.height == height);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) CHECK(out.at(x, y) == doctest::Approx(box_mean_at(in, x, y, radius)).epsilon(1e-5));
  }
}

TEST_CASE("box_blur gives the bits of its arithmetic done row by row, whether rows go 8, 4 or 1 at a time") {
  // 13 rows: 0-7 go through the eight-row pass, 8-11 through the four-row pass, 12 alone; widths with a remainder
  // after the 8 x 8 blocks, and narrower than the window.
  struct Case {
    int width, height, radius;
  };
  for (const Case c : {Case{683, 13, 4}, Case{683, 13, 8}, Case{77, 21, 1}, Case{5, 13, 8}}) {
    const int width = c.width, height = c.height, radius = c.radius;
    CAPTURE(width);
    CAPTURE(height);
    CAPTURE(radius);
    Plane in(width, height);
    std::uint32_t state = 99;
    for (float& v : in.data) {  // a wide range, so that any change in the order of rounding shows
      state = state * 1664525u + 1013904223u;
      v = std::exp2(static_cast<float>(state >> 8) / 65536.0f / 8.0f);  // 1 to 2^32: rounding everywhere
    }
    const Plane expected = box_blur_one_by_one(in, radius);
    const Plane out = provmark::dsp::box_blur(in, radius);
    int differing = 0;
    for (std::size_t i = 0; i < out.data.size(); ++i) differing += out.data[i] != expected.data[i];
    CHECK(differing == 0);
  }
}

TEST_CASE("sum adds every value, whatever the length's remainder after the eight partial sums") {
  for (const int n : {0, 1, 7, 8, 9, 6401}) {
    std::vector<float> values(static_cast<std::size_t>(n));
    double expected = 0;
    for (int i = 0; i < n; ++i) {
      values[static_cast<std::size_t>(i)] = static_cast<float>(i % 13) - 6.5f;
      expected += values[static_cast<std::size_t>(i)];
    }
    CAPTURE(n);
    CHECK(provmark::dsp::sum(values) == doctest::Approx(expected).epsilon(1e-12));
  }
}
