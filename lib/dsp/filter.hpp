// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <span>

#include "dsp/plane.hpp"

namespace provmark::dsp {

/// Mean over the (2r+1) x (2r+1) window, edges clamped. Separable running sums: O(1) per pixel.
[[nodiscard]] Plane box_blur(const Plane& in, int radius);

/// Sum in double precision over eight interleaved partial sums: one running sum is a chain of dependent
/// additions, four times slower over a frame.
[[nodiscard]] double sum(std::span<const float> values) noexcept;

}  // namespace provmark::dsp
