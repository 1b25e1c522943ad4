// SPDX-License-Identifier: Apache-2.0
#pragma once
// Geometric synchronisation, step 1 (spec/image-watermark-v1.md#lattice-search): the tiled
// pattern puts a lattice of peaks into the whitened spectrum. Finding the linear map that sends
// tile frequencies onto those peaks gives scale, aspect, rotation and shear of the image; the
// remaining ambiguity (the lattice's own symmetries: 90-degree turns and mirrors) and the
// translation are resolved by the sync bins afterwards.

#include <vector>

#include "watermark/spectrum.hpp"

namespace provmark::wm {

/// f = A k: tile frequency k = (u, v) (cycles per tile) -> frame frequency f (cycles per pixel).
struct FrequencyMap {
  double a = 0, b = 0, c = 0, d = 0;  ///< f_x = a u + b v, f_y = c u + d v
};

struct LatticeCandidate {
  FrequencyMap map;
  double score = 0;  ///< log-polar correlation of the template match
};

/// Best lattice hypotheses from the log-polar search, strongest first (at most `max_candidates`).
[[nodiscard]] std::vector<LatticeCandidate> find_lattice(const WhitenedFrame& frame, int max_candidates);

/// Polishes a hypothesis by ascending the template score on the exact (interpolated) spectrum.
[[nodiscard]] FrequencyMap refine_lattice(const WhitenedFrame& frame, const FrequencyMap& start);

}  // namespace provmark::wm
