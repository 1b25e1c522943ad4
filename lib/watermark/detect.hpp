// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <vector>

#include "dsp/plane.hpp"
#include "watermark/lattice.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Decode attempts per detection; the false-alarm bound counts every one of them.
inline constexpr int max_decode_attempts = 7;

/// Detection on the working-frame luma (the public detect() and the JPEG fast path end here).
[[nodiscard]] DetectResult detect_in_frame(const dsp::Plane& luma, const WatermarkKey& key,
                                           const DetectOptions& options);

}  // namespace provmark::wm
