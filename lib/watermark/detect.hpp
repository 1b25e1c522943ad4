// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <span>
#include <vector>

#include "dsp/fft.hpp"
#include "dsp/plane.hpp"
#include "provmark/watermark.hpp"
#include "watermark/lattice.hpp"

namespace provmark::wm {

/// Decode attempts per detection; the false-alarm bound counts every one of them.
inline constexpr int max_decode_attempts = 7;

/// The DFT of `image` folded onto one tile under `m`, each cell the mean of its pixels: the half spectrum,
/// tile_size rows of tile_size / 2 + 1 bins.
[[nodiscard]] dsp::FftBuffer<dsp::cfloat> fold_and_transform(const dsp::Plane& image, const FrequencyMap& m);

/// Detection on the working-frame luma for every key of a keyring (the public detect() and detect_any() end here).
[[nodiscard]] KeyringDetectResult detect_in_frame(const dsp::Plane& luma, std::span<const WatermarkKey> keys,
                                                  const DetectOptions& options);

}  // namespace provmark::wm
