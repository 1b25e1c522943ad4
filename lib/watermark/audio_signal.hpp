// SPDX-License-Identifier: Apache-2.0
#pragma once
// The audio watermark's working signal and its short-time spectra (spec/audio-watermark-v2.md#working-signal).

#include <vector>

#include "dsp/fft.hpp"
#include "provmark/audio.hpp"
#include "watermark/audio_layout.hpp"

namespace provmark::wm::audio {

inline constexpr int spectrum_bins = frame_size / 2 + 1;

/// The mean of the channels, resampled to working_rate.
[[nodiscard]] std::vector<float> working_signal(const AudioView& audio);

/// Windowed spectra of frames of a signal: frame i starts at sample i * step and must lie wholly inside it.
/// Thread safety: one per thread.
class FrameTransform {
 public:
  FrameTransform();
  /// The windowed frame's spectrum (spectrum_bins values; FFTW's unnormalised forward transform).
  const dsp::cfloat* spectrum(const float* frame_start);
  /// Adds window * inverse(spectrum) / frame_size to out[0 .. frame_size): overlap-add synthesis. Destroys `in`.
  void add_inverse(dsp::cfloat* in, float* out);

 private:
  dsp::FftBuffer<float> real_;
  dsp::FftBuffer<dsp::cfloat> complex_;
};

/// sin(pi i / frame_size): the square root of the periodic Hann window, for analysis and synthesis alike (its
/// square sums to 1 at hop frame_size / 2).
[[nodiscard]] float window_at(int i) noexcept;

/// Energy of each band in a spectrum, the band edges scaled by `frequency_scale` (1: bins 8+4b .. 11+4b).
void band_energies(const dsp::cfloat* spectrum, double frequency_scale, double* energies) noexcept;
/// The same from power values (|X_k|^2 for k < spectrum_bins).
void band_energies(const float* power, double frequency_scale, double* energies) noexcept;

}  // namespace provmark::wm::audio
