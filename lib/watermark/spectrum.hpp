// SPDX-License-Identifier: Apache-2.0
#pragma once
// The detection frame in the frequency domain (spec/image-watermark-v1.md#whitening): windowed,
// transformed, and whitened so that every frequency carries about unit host energy and the
// watermark's lattice of peaks stands out.

#include "dsp/fft.hpp"
#include "dsp/plane.hpp"

namespace provmark::wm {

struct WhitenedFrame {
  int rows = 0;  ///< frame height (an FFT-friendly size)
  int cols = 0;  ///< frame width
  /// |whitened spectrum| on the half plane: rows x (cols/2 + 1), row index = vertical frequency
  /// (wrapping), column = horizontal frequency >= 0.
  dsp::Plane magnitude;
  /// The whitened frame back in the pixel domain (rows x cols): folded once, at the identity geometry.
  dsp::Plane image;
};

/// Centre-crops `luma` to FFT-friendly sizes, windows, whitens.
[[nodiscard]] WhitenedFrame whiten(const dsp::Plane& luma);

/// The high-pass frame (spec 8.1 step 5): the luma minus its 9x9 local mean, normalised by the local power
/// (no FFT). The first look at the embedding's geometry and every fold of the geometric search read it.
[[nodiscard]] dsp::Plane high_pass(const dsp::Plane& luma);

}  // namespace provmark::wm
