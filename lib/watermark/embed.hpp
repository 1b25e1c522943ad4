// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "dsp/plane.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Default amplitude (luma levels RMS) at strength 1 (spec: embedding).
inline constexpr float base_amplitude = 2.1f;

/// Perceptual mask (spec: perceptual mask): gain = clamp(sqrt((activity + floor) / (reference + floor)),
/// min, max), activity in luma levels.
inline constexpr float mask_floor_levels = 0.5f;
inline constexpr float mask_reference_levels = 4.0f;
inline constexpr float mask_min = 0.25f;
inline constexpr float mask_max = 1.6f;

/// Local-activity mask on the working frame.
[[nodiscard]] dsp::Plane perceptual_mask(const dsp::Plane& luma);

/// The luma offset to add, on the working frame whose luma is `luma`.
[[nodiscard]] dsp::Plane watermark_delta(const dsp::Plane& luma, const Payload& payload, const WatermarkKey& key,
                                         float strength);

}  // namespace provmark::wm
