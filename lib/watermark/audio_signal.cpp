// SPDX-License-Identifier: Apache-2.0
#include "watermark/audio_signal.hpp"

#include <array>
#include <cmath>
#include <numbers>

#include "dsp/audio_resample.hpp"

namespace provmark::wm::audio {
namespace {

const std::array<float, frame_size>& window() {
  static const auto table = [] {
    std::array<float, frame_size> w{};
    for (int i = 0; i < frame_size; ++i)
      w[static_cast<std::size_t>(i)] = static_cast<float>(std::sin(std::numbers::pi * i / frame_size));
    return w;
  }();
  return table;
}

}  // namespace

float window_at(int i) noexcept { return window()[static_cast<std::size_t>(i)]; }

std::vector<float> working_signal(const AudioView& audio) {
  std::vector<float> mono(audio.frames);
  const auto channels = static_cast<std::size_t>(audio.channels);
  for (std::size_t i = 0; i < audio.frames; ++i) {
    double sum = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      const float v = audio.samples[i * channels + c];
      sum += std::isfinite(v) ? v : 0.0f;  // NaN and infinities are silence here, as in the encoder
    }
    mono[i] = static_cast<float>(sum / static_cast<double>(channels));
  }
  return dsp::resample_mono(mono, audio.sample_rate, working_rate);
}

FrameTransform::FrameTransform() : real_(frame_size), complex_(spectrum_bins) {}

const dsp::cfloat* FrameTransform::spectrum(const float* frame_start) {
  const auto& w = window();
  for (int i = 0; i < frame_size; ++i)
    real_[static_cast<std::size_t>(i)] = frame_start[i] * w[static_cast<std::size_t>(i)];
  dsp::fft_r2c_2d(1, frame_size, real_.data(), complex_.data());  // a 1 x N transform is the 1-D one
  return complex_.data();
}

void FrameTransform::add_inverse(dsp::cfloat* in, float* out) {
  dsp::fft_c2r_2d(1, frame_size, in, real_.data());
  const auto& w = window();
  for (int i = 0; i < frame_size; ++i)
    out[i] += real_[static_cast<std::size_t>(i)] * w[static_cast<std::size_t>(i)] / static_cast<float>(frame_size);
}

namespace {

// Band b covers [7.5 + 4b, 11.5 + 4b) * scale in bin units, bin k covering [k - 0.5, k + 0.5); partial bins count
// in proportion.
template <class PowerAt>
void bands_of(PowerAt power_at, double scale, double* energies) noexcept {
  for (int b = 0; b < bands; ++b) {
    const double lo = (first_bin - 0.5 + band_bins * b) * scale;
    const double hi = (first_bin - 0.5 + band_bins * (b + 1)) * scale;
    double sum = 0;
    for (int k = static_cast<int>(std::floor(lo + 0.5)); k < spectrum_bins && k - 0.5 < hi; ++k) {
      const double cover = std::min(hi, k + 0.5) - std::max(lo, k - 0.5);
      if (cover > 0) sum += cover * power_at(k);
    }
    energies[b] = sum;
  }
}

}  // namespace

void band_energies(const dsp::cfloat* spectrum, double frequency_scale, double* energies) noexcept {
  bands_of([&](int k) { return static_cast<double>(std::norm(spectrum[k])); }, frequency_scale, energies);
}

void band_energies(const float* power, double frequency_scale, double* energies) noexcept {
  bands_of([&](int k) { return static_cast<double>(power[k]); }, frequency_scale, energies);
}

}  // namespace provmark::wm::audio
