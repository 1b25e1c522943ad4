// SPDX-License-Identifier: Apache-2.0
#include "watermark/spectrum.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "dsp/clones.hpp"
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
PROVMARK_HOT_LOOP void normalise_local_power(dsp::Plane& image) {
  const std::size_t n = image.data.size();
  dsp::Plane power(image.width, image.height, dsp::Uninitialized{});
  for (std::size_t i = 0; i < n; ++i) power.data[i] = image.data[i] * image.data[i];
  power = dsp::box_blur(power, local_power_radius);
  const double mean_power = dsp::sum(power.data) / static_cast<double>(n);
  const auto eps = static_cast<float>(0.05 * mean_power + 1e-12);
  for (std::size_t i = 0; i < n; ++i) image.data[i] /= std::sqrt(power.data[i] + eps);
}

// exp(2 pi i m c / n) for the signed bin m of each index (m in [-n/2, n/2)) and c the centre (n - 1) / 2:
// multiplying bin m by it refers the phase to the centre.
std::vector<dsp::cfloat> centre_phase(int n) {
  std::vector<dsp::cfloat> phase(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int m = i < n / 2 ? i : i - n;
    phase[static_cast<std::size_t>(i)] = std::polar(1.0f, static_cast<float>(std::numbers::pi * m * (n - 1) / n));
  }
  return phase;
}

// An r2c spectrum (rows x (cols/2 + 1)) with its phases referred to the frame's centre.
CentredSpectrum centred(const dsp::FftBuffer<dsp::cfloat>& in, int rows, int cols) {
  const int half = cols / 2 + 1;
  CentredSpectrum out{rows, cols, dsp::FftBuffer<dsp::cfloat>(in.size(), dsp::Uninitialized{})};
  const auto py = centre_phase(rows), px = centre_phase(cols);
  for (int y = 0; y < rows; ++y) {
    const dsp::cfloat p = py[static_cast<std::size_t>(y)];
    const std::size_t row = static_cast<std::size_t>(y) * half;
    for (int x = 0; x < half; ++x) {  // textbook products: std::complex's rescue of inf/NaN is slow
      const dsp::cfloat q = px[static_cast<std::size_t>(x)], v = in[row + x];
      const float re = p.real() * q.real() - p.imag() * q.imag(), im = p.real() * q.imag() + p.imag() * q.real();
      out.bins[row + x] = {v.real() * re - v.imag() * im, v.real() * im + v.imag() * re};
    }
  }
  return out;
}

// Lanczos kernel (a sinc windowed by a wider sinc), kernel_reach bins each side, tabulated. Bilinear
// interpolation of the complex bins would lose much of a peak that falls between two of them.
constexpr int kernel_reach = 3;
constexpr int kernel_steps = 1024;  // per bin
const std::array<float, kernel_reach * kernel_steps + 1>& lanczos_table() {
  static const auto table = [] {
    std::array<float, kernel_reach * kernel_steps + 1> t{};
    t[0] = 1.0f;
    for (std::size_t i = 1; i < t.size(); ++i) {
      const double x = static_cast<double>(i) / kernel_steps;
      const double px = std::numbers::pi * x;
      t[i] = static_cast<float>(kernel_reach * std::sin(px) * std::sin(px / kernel_reach) / (px * px));
    }
    t.back() = 0.0f;
    return t;
  }();
  return table;
}

// The 2 * kernel_reach interpolation weights for position p (in bins), normalised to sum 1, and the first bin.
int lanczos_weights(double p, std::array<float, 2 * kernel_reach>& w) {
  const auto& table = lanczos_table();
  const int first = static_cast<int>(std::floor(p)) - kernel_reach + 1;
  float sum = 0;
  for (int j = 0; j < 2 * kernel_reach; ++j) {
    const double d = std::abs(p - (first + j)) * kernel_steps;
    const auto i = std::min(static_cast<std::size_t>(d + 0.5), table.size() - 1);
    w[static_cast<std::size_t>(j)] = table[i];
    sum += table[i];
  }
  for (float& x : w) x /= sum;
  return first;
}

}  // namespace

dsp::Plane high_pass(const dsp::Plane& luma) {
  dsp::Plane out = dsp::box_blur(luma, high_pass_radius);
  for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] = luma.data[i] - out.data[i];
  normalise_local_power(out);
  return out;
}

dsp::cfloat CentredSpectrum::at(double fx, double fy) const noexcept {
  fx -= std::round(fx);  // the spectrum's period is 1 cycle per pixel
  fy -= std::round(fy);
  const bool conjugate = fx < 0;  // read -f on the stored half plane: H(f) = conj(H(-f))
  if (conjugate) {
    fx = -fx;
    fy = -fy;
  }
  std::array<float, 2 * kernel_reach> wx{}, wy{};
  const int first_x = lanczos_weights(fx * cols, wx);
  const int first_y = lanczos_weights(fy * rows, wy);
  const int half = cols / 2 + 1;
  const bool inside = first_x >= 0 && first_x + 2 * kernel_reach <= half;
  dsp::cfloat sum{};
  for (int i = 0; i < 2 * kernel_reach; ++i) {
    const int y = ((first_y + i) % rows + rows) % rows;
    const dsp::cfloat* row = bins.data() + static_cast<std::size_t>(y) * half;
    dsp::cfloat line{};
    if (inside) {
      for (std::size_t j = 0; j < wx.size(); ++j) line += wx[j] * row[first_x + static_cast<int>(j)];
    } else {  // near fx = 0 or 1/2 some taps are in the other half plane: conj(H(-x, -y))
      const dsp::cfloat* mirror = bins.data() + static_cast<std::size_t>((rows - y) % rows) * half;
      for (std::size_t j = 0; j < wx.size(); ++j) {
        const int x = ((first_x + static_cast<int>(j)) % cols + cols) % cols;
        line += wx[j] * (x < half ? row[x] : std::conj(mirror[cols - x]));
      }
    }
    sum += wy[static_cast<std::size_t>(i)] * line;
  }
  return conjugate ? std::conj(sum) : sum;
}

PROVMARK_HOT_LOOP WhitenedFrame whiten(const dsp::Plane& luma) {
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
  f.spectrum = centred(spectrum, f.rows, f.cols);
  f.image = dsp::Plane(f.cols, f.rows, dsp::Uninitialized{});
  dsp::fft_c2r_2d(f.rows, f.cols, spectrum.data(), f.image.data.data());  // scratch memory is FFTW-aligned
  normalise_local_power(f.image);
  return f;
}

}  // namespace provmark::wm
