// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <span>
#include <vector>

#include "dsp/plane.hpp"
#include "watermark/lattice.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Decode attempts per detection; the false-alarm bound counts every one of them.
inline constexpr int max_decode_attempts = 7;

/// Detection on the working-frame luma for every key of a keyring (the public detect() and detect_any() end here).
[[nodiscard]] KeyringDetectResult detect_in_frame(const dsp::Plane& luma, std::span<const WatermarkKey> keys,
                                                  const DetectOptions& options);

}  // namespace provmark::wm
