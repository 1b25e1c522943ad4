// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

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

namespace {

// "fftw-3.3.10" from FFTW's version string ("fftw-3.3.10-sse2-avx") or from the wisdom's first line.
std::string fftw_release(const std::string& text) {
  const std::size_t start = text.find("fftw-");
  const std::size_t end = text.find_first_of(" -", start + 5);
  return start == std::string::npos ? std::string() : text.substr(start, end - start);
}

}  // namespace

TEST_CASE("the built-in FFTW plans load into the FFTW that measured them") {
  const std::string wisdom = provmark::dsp::builtin_fft_wisdom;
  REQUIRE(!fftw_release(wisdom).empty());
  // Another FFTW release rejects them (every shape then gets an estimated plan): that is what the check allows.
  CHECK(provmark::dsp::fft_wisdom_loaded() == (fftw_release(wisdom) == fftw_release(fftwf_version)));
}

TEST_CASE("the transforms detection makes on a 1 MP photo have measured plans") {
  if (!provmark::dsp::fft_wisdom_loaded()) return;  // another FFTW release: nothing built in applies
  // FFTW_WISDOM_ONLY makes no plan unless the wisdom holds one; arrays aligned as FftBuffer aligns them.
  constexpr unsigned only_wisdom = FFTW_ESTIMATE | FFTW_WISDOM_ONLY;
  FftBuffer<float> real(2 * 512 * 1024);
  FftBuffer<cfloat> complex(512 * 1024);
  auto* c = reinterpret_cast<fftwf_complex*>(complex.data());
  for (const auto& shape : {std::pair{512, 672}, std::pair{672, 512}, std::pair{512, 768}, std::pair{256, 288}}) {
    const int rows = shape.first, cols = shape.second;  // named variables: doctest's CAPTURE takes no bindings
    CAPTURE(rows);
    CAPTURE(cols);
    fftwf_plan forward = fftwf_plan_dft_r2c_2d(rows, cols, real.data(), c, only_wisdom);
    fftwf_plan inverse = fftwf_plan_dft_c2r_2d(rows, cols, c, real.data(), only_wisdom);
    CHECK(forward != nullptr);
    CHECK(inverse != nullptr);
    if (forward != nullptr) fftwf_destroy_plan(forward);
    if (inverse != nullptr) fftwf_destroy_plan(inverse);
  }
  // And none for a shape no detection transforms (odd sizes are never used), so the checks above can fail.
  CHECK(fftwf_plan_dft_r2c_2d(511, 673, real.data(), c, only_wisdom) == nullptr);
}

TEST_CASE("a measured 2-D transform and its inverse give back the input") {
  constexpr int rows = 512, cols = 672;
  FftBuffer<float> in(static_cast<std::size_t>(rows) * cols), out(static_cast<std::size_t>(rows) * cols);
  std::uint32_t state = 3;
  for (std::size_t i = 0; i < in.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    in[i] = static_cast<float>(state >> 20) / 4096.0f - 0.5f;
  }
  FftBuffer<float> copy(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) copy[i] = in[i];
  FftBuffer<cfloat> spectrum(static_cast<std::size_t>(rows) * (cols / 2 + 1));
  provmark::dsp::fft_r2c_2d(rows, cols, copy.data(), spectrum.data());
  provmark::dsp::fft_c2r_2d(rows, cols, spectrum.data(), out.data());
  double largest_error = 0;
  for (std::size_t i = 0; i < in.size(); ++i)
    largest_error = std::max(largest_error, std::abs(static_cast<double>(out[i]) / (rows * cols) - in[i]));
  CHECK(largest_error < 1e-5);
}
