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

}  // namespace

TEST_CASE("box_blur equals the clamped-window mean, for planes narrower than the window and any row count") {
  struct Case {
    int width, height, radius;
  };
  for (const Case c : {Case{1, 1, 4}, Case{3, 5, 4}, Case{9, 7, 4}, Case{10, 9, 4}, Case{37, 13, 8}, Case{64, 6, 1}}) {
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

TEST_CASE("box_blur gives the same bits whether a row is filtered alone or four at a time") {
  // Nine equal rows: rows 0-7 go through the four-row pass, row 8 alone; equal rows keep the vertical running sum
  // constant, so every output row must equal the last to the bit.
  for (const int radius : {4, 8}) {
    CAPTURE(radius);
    Plane in(683, 9);
    std::uint32_t state = 99;
    for (int x = 0; x < in.width; ++x) {  // a wide range, so that any change in the order of rounding shows
      state = state * 1664525u + 1013904223u;
      in.row(0)[x] = std::exp2(static_cast<float>(state >> 8) / 65536.0f / 8.0f);  // 1 to 2^32: rounding everywhere
    }
    for (int y = 1; y < in.height; ++y) std::copy(in.row(0), in.row(0) + in.width, in.row(y));
    const Plane out = provmark::dsp::box_blur(in, radius);
    int differing = 0;
    for (int y = 0; y + 1 < out.height; ++y)
      for (int x = 0; x < out.width; ++x) differing += out.at(x, y) != out.at(x, out.height - 1);
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
