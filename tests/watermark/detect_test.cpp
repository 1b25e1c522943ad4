// SPDX-License-Identifier: Apache-2.0
// Detection internals that the public API cannot show: folds.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>

#include "watermark/detect.hpp"
#include "watermark/layout.hpp"

using provmark::dsp::Plane;
using provmark::wm::FrequencyMap;

namespace {

Plane pseudo_random_plane(int width, int height) {
  Plane p(width, height);
  std::uint32_t state = 2024;
  for (float& v : p.data) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(static_cast<std::int32_t>(state)) * 0x1p-24f;  // signed, wide range: rounding order shows
  }
  return p;
}

bool same_bits(const provmark::dsp::FftBuffer<provmark::dsp::cfloat>& a,
               const provmark::dsp::FftBuffer<provmark::dsp::cfloat>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}

}  // namespace

TEST_CASE("an axis-aligned fold with one cell per pixel gives the general fold's spectrum to the bit") {
  // Such maps (the identity first of all) take a fast path that adds row segments; a shear of 1e-30, which moves
  // no pixel to another cell, sends the same frame through the general scatter.
  constexpr double unit = 1.0 / provmark::wm::tile_size;
  const double heights[] = {unit, 1.3 * unit, -0.7 * unit};
  for (const auto& [width, height] : {std::pair{512, 768}, std::pair{517, 389}, std::pair{79, 161}}) {
    const int w = width, h = height;  // plain variables: clang 14 cannot capture bindings
    CAPTURE(w);
    CAPTURE(h);
    const Plane frame = pseudo_random_plane(w, h);
    for (const double d : heights) {
      CAPTURE(d);
      const auto fast = provmark::wm::fold_and_transform(frame, FrequencyMap{unit, 0, 0, d});
      const auto general = provmark::wm::fold_and_transform(frame, FrequencyMap{unit, 0, 1e-30, d});
      CHECK(same_bits(fast, general));
    }
  }
}

TEST_CASE("a fold's spectrum changes with the map") {
  // The check above would pass if both paths ignored the map; a map one pixel over must give another spectrum.
  constexpr double unit = 1.0 / provmark::wm::tile_size;
  const Plane frame = pseudo_random_plane(512, 768);
  const auto identity = provmark::wm::fold_and_transform(frame, FrequencyMap{unit, 0, 0, unit});
  CHECK_FALSE(same_bits(identity, provmark::wm::fold_and_transform(frame, FrequencyMap{unit * 1.01, 0, 0, unit})));
  CHECK_FALSE(same_bits(identity, provmark::wm::fold_and_transform(frame, FrequencyMap{unit, 0, 0, unit * 1.01})));
}
