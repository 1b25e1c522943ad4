// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "dsp/plane.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Default amplitude (luma levels RMS) at strength 1 (spec: embedding).
inline constexpr float base_amplitude = 1.8f;

/// Local-activity mask on the working frame, mean square 1 (spec: perceptual mask).
[[nodiscard]] dsp::Plane perceptual_mask(const dsp::Plane& luma);

/// The luma offset to add, on the working frame whose luma is `luma`.
[[nodiscard]] dsp::Plane watermark_delta(const dsp::Plane& luma, const Payload& payload, const WatermarkKey& key,
                                         float strength);

}  // namespace provmark::wm
