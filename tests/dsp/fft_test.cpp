// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dsp/fft.hpp"

using provmark::dsp::cfloat;
using provmark::dsp::FftBuffer;

TEST_CASE("the inverse of a half spectrum with zero high columns equals the full inverse") {
  constexpr int rows = 80, cols = 80, half = cols / 2 + 1, used = 19;
  FftBuffer<cfloat> spectrum(static_cast<std::size_t>(rows) * half);
  std::uint32_t state = 7;
  for (int v = 0; v < rows; ++v)
    for (int u = 0; u < used; ++u) {
      state = state * 1664525u + 1013904223u;
      const float re = static_cast<float>(state >> 20) / 4096.0f - 0.5f;
      state = state * 1664525u + 1013904223u;
      const float im = static_cast<float>(state >> 20) / 4096.0f - 0.5f;
      spectrum[static_cast<std::size_t>(v) * half + u] = {re, im};
    }
  FftBuffer<cfloat> copy(spectrum.size());
  for (std::size_t i = 0; i < spectrum.size(); ++i) copy[i] = spectrum[i];
  FftBuffer<float> full(static_cast<std::size_t>(rows) * cols), pruned(static_cast<std::size_t>(rows) * cols);
  provmark::dsp::fft_c2r_2d(rows, cols, spectrum.data(), full.data());
  provmark::dsp::fft_c2r_2d_low(rows, cols, used, copy.data(), pruned.data());
  double largest_difference = 0, largest_value = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    largest_difference = std::max(largest_difference, static_cast<double>(std::abs(full[i] - pruned[i])));
    largest_value = std::max(largest_value, static_cast<double>(std::abs(full[i])));
  }
  CHECK(largest_value > 1.0);
  CHECK(largest_difference < 1e-5 * largest_value);
}
