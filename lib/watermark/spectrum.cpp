// SPDX-License-Identifier: Apache-2.0
#include "watermark/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "dsp/filter.hpp"

namespace provmark::wm {
namespace {

// Tukey window: flat in the middle, a raised-cosine taper over `taper` of each end. It keeps the
// frame's hard edges out of the spectrum while wasting little of the watermark.
std::vector<float> tukey(int n, double taper) {
  std::vector<float> w(static_cast<std::size_t>(n), 1.0f);
  const int m = std::max(1, static_cast<int>(taper * n));
  for (int i = 0; i < m && i < n; ++i) {
    const auto v = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * (i + 0.5) / m));
    w[static_cast<std::size_t>(i)] = v;
    w[static_cast<std::size_t>(n - 1 - i)] = v;
  }
  return w;
}

constexpr double window_taper = 0.08;
constexpr int whitening_radius = 4;      // local magnitude mean over 9x9 frequency bins
constexpr float whitened_clip = 4.0f;    // no single frequency may dominate
constexpr int dc_guard = 2;
constexpr int local_power_radius = 8;              // frequencies this close to DC carry only the host

constexpr int high_pass_radius = 4;     // 9x9 local mean: passes the tile's frequencies (>= 3 cycles per 80 px)

// Host energy varies across the picture (sky vs. foliage) far more than the mark's does: weight each
// pixel by its local host power so quiet regions, where the mark stands out, count more.
void normalise_local_power(dsp::Plane& image) {
  const std::size_t n = image.data.size();
  dsp::Plane power(image.width, image.height, dsp::Uninitialized{});
  for (std::size_t i = 0; i < n; ++i) power.data[i] = image.data[i] * image.data[i];
  power = dsp::box_blur(power, local_power_radius);
  const double mean_power = dsp::sum(power.data) / static_cast<double>(n);
  const auto eps = static_cast<float>(0.05 * mean_power + 1e-12);
  for (std::size_t i = 0; i < n; ++i) image.data[i] /= std::sqrt(power.data[i] + eps);
}

}  // namespace

dsp::Plane high_pass(const dsp::Plane& luma) {
  dsp::Plane out = dsp::box_blur(luma, high_pass_radius);
  for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] = luma.data[i] - out.data[i];
  normalise_local_power(out);
  return out;
}

WhitenedFrame whiten(const dsp::Plane& luma) {
  WhitenedFrame f;
  f.rows = dsp::fast_fft_size_at_most(luma.height);
  f.cols = dsp::fast_fft_size_at_most(luma.width);
  const int y0 = (luma.height - f.rows) / 2;
  const int x0 = (luma.width - f.cols) / 2;
  const int half = f.cols / 2 + 1;
  const std::size_t n = static_cast<std::size_t>(f.rows) * static_cast<std::size_t>(f.cols);

  double mean = 0;
  for (int y = 0; y < f.rows; ++y) mean += dsp::sum({luma.row(y0 + y) + x0, static_cast<std::size_t>(f.cols)});
  mean /= static_cast<double>(n);
  const auto wy = tukey(f.rows, window_taper);
  const auto wx = tukey(f.cols, window_taper);
  dsp::FftBuffer<float> pixels(n, dsp::Uninitialized{});
  for (int y = 0; y < f.rows; ++y)
    for (int x = 0; x < f.cols; ++x)
      pixels[static_cast<std::size_t>(y) * f.cols + x] =
          (luma.at(x0 + x, y0 + y) - static_cast<float>(mean)) * wy[static_cast<std::size_t>(y)] *
          wx[static_cast<std::size_t>(x)];

  dsp::FftBuffer<dsp::cfloat> spectrum(static_cast<std::size_t>(f.rows) * half, dsp::Uninitialized{});
  dsp::fft_r2c_2d(f.rows, f.cols, pixels.data(), spectrum.data());

  dsp::Plane magnitude(half, f.rows, dsp::Uninitialized{});
  for (std::size_t i = 0; i < spectrum.size(); ++i) magnitude.data[i] = std::sqrt(std::norm(spectrum[i]));  // not abs(): hypot is slow
  const dsp::Plane local = dsp::box_blur(magnitude, whitening_radius);
  f.magnitude = dsp::Plane(half, f.rows, dsp::Uninitialized{});
  for (int y = 0; y < f.rows; ++y) {
    const int fy = y <= f.rows / 2 ? y : f.rows - y;
    for (int x = 0; x < half; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * half + x;
      float m = magnitude.data[i] / (local.data[i] + 1e-6f);
      if (fy <= dc_guard && x <= dc_guard) m = 0;
      const float clipped = std::min(m, whitened_clip);
      // Keep the phase, replace the magnitude by the whitened (and clipped) one.
      spectrum[i] *= m > 0 ? clipped / magnitude.data[i] : 0.0f;
      f.magnitude.data[i] = clipped;
    }
  }
  f.image = dsp::Plane(f.cols, f.rows, dsp::Uninitialized{});
  dsp::fft_c2r_2d(f.rows, f.cols, spectrum.data(), f.image.data.data());  // scratch memory is FFTW-aligned
  normalise_local_power(f.image);
  return f;
}

}  // namespace provmark::wm
