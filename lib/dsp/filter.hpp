// SPDX-License-Identifier: Apache-2.0
#pragma once
#include "dsp/plane.hpp"

namespace provmark::dsp {

/// Mean over the (2r+1) x (2r+1) window, edges clamped. Separable running sums: O(1) per pixel.
[[nodiscard]] Plane box_blur(const Plane& in, int radius);

}  // namespace provmark::dsp
