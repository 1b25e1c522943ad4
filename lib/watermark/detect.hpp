// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <vector>

#include "dsp/plane.hpp"
#include "watermark/lattice.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Decode attempts per detection; the false-alarm bound counts every one of them.
inline constexpr int max_decode_attempts = 6;

/// Upper bound on the probability that unmarked content yields, in one of max_decode_attempts
/// attempts, a CRC-valid codeword with at most `disagreements` of `coded` signs wrong, or with a
/// correlation this high given the soft values' energy (spec: false-alarm bound).
[[nodiscard]] double false_alarm_bound(int coded, int disagreements, double correlation, double soft_energy);

/// Detection on the working-frame luma (the public detect() and the JPEG fast path end here).
[[nodiscard]] DetectResult detect_in_frame(const dsp::Plane& luma, const WatermarkKey& key,
                                           const DetectOptions& options);

/// Fold, sync and decode for given lattice candidates (strongest first).
[[nodiscard]] DetectResult decode_candidates(const WhitenedFrame& frame, const std::vector<LatticeCandidate>& candidates,
                                             const WatermarkKey& key, const DetectOptions& options);

}  // namespace provmark::wm
