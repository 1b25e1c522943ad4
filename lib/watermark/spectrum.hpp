// SPDX-License-Identifier: Apache-2.0
#pragma once
// The detection frame in the frequency domain (spec/image-watermark-v1.md#whitening): windowed,
// transformed, and whitened so that every frequency carries about unit host energy and the
// watermark's lattice of peaks stands out.

#include "dsp/fft.hpp"
#include "dsp/plane.hpp"

namespace provmark::wm {

/// A frame's spectrum with the phase referred to the frame's centre: without the phase ramp of an origin in
/// the corner it varies smoothly between bins, so it can be interpolated. Half plane (the frame is real):
/// rows x (cols/2 + 1), row index = vertical frequency (wrapping), column = horizontal frequency >= 0.
struct CentredSpectrum {
  int rows = 0;
  int cols = 0;
  dsp::FftBuffer<dsp::cfloat> bins;
  /// The spectrum at frequency (fx, fy) in cycles per pixel (any value: the spectrum of a sampled frame is
  /// periodic), interpolated from the 6 x 6 bins around it (Lanczos kernel).
  [[nodiscard]] dsp::cfloat at(double fx, double fy) const noexcept;
};

struct WhitenedFrame {
  int rows = 0;  ///< frame height (an FFT-friendly size)
  int cols = 0;  ///< frame width
  /// |whitened spectrum| on the half plane: rows x (cols/2 + 1), row index = vertical frequency
  /// (wrapping), column = horizontal frequency >= 0.
  dsp::Plane magnitude;
  /// The whitened frame back in the pixel domain (rows x cols): folded once, at the identity geometry.
  dsp::Plane image;
  /// The whitened spectrum itself (before the local power normalisation of `image`): the lattice
  /// hypotheses' tile spectra are read from it to rank them.
  CentredSpectrum spectrum;
};

/// Centre-crops `luma` to FFT-friendly sizes, windows, whitens.
[[nodiscard]] WhitenedFrame whiten(const dsp::Plane& luma);

/// The high-pass frame (spec 8.1 step 5): the luma minus its 9x9 local mean, normalised by the local power
/// (no FFT). The first look at the embedding's geometry and every fold of the geometric search read it.
[[nodiscard]] dsp::Plane high_pass(const dsp::Plane& luma);

}  // namespace provmark::wm
