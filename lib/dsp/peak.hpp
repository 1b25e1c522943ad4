// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <algorithm>

namespace provmark::dsp {

/// Offset in [-0.5, 0.5] of the vertex of the parabola through (-1, left), (0, centre), (1, right):
/// the sub-sample position of a peak at the centre sample (0 when the samples do not bend down).
[[nodiscard]] inline double parabola_peak_offset(double left, double centre, double right) noexcept {
  const double bend = left - 2 * centre + right;
  return bend < 0 ? std::clamp(0.5 * (left - right) / bend, -0.5, 0.5) : 0.0;
}

}  // namespace provmark::dsp
