// SPDX-License-Identifier: Apache-2.0
#pragma once
// The audio watermark, version 1 (spec/audio-watermark-v1.md): its fixed grid and the keyed tables.
//
// The 8 kHz mono working signal is cut into STFT frames (256 samples, hop 128); two frames make a slot, two slots
// a pair-slot. A cell is one band (4 FFT bins) of one pair-slot; its value is the difference of the two slots'
// log band energies. A group is 8 cells of one pair-slot (every third band); a keyed signed mean of them is
// quantised onto one of two interleaved lattices (dithered QIM) to carry one coded bit. 144 pair-slots of 3
// groups make the 9.216 s period, repeated from the first sample to the last.

#include <array>
#include <cstdint>
#include <vector>

#include "provmark/watermark.hpp"

namespace provmark::wm::audio {

inline constexpr int working_rate = 8000;
inline constexpr int frame_size = 256;
inline constexpr int hop = 128;
inline constexpr int first_bin = 8;  ///< 250 Hz
inline constexpr int band_bins = 4;  ///< 125 Hz
inline constexpr int bands = 24;     ///< up to 3250 Hz: below a 4 kHz low-pass, inside telephone bandwidth
inline constexpr int frames_per_slot = 2;
inline constexpr int pair_slots = 144;
inline constexpr int groups_per_pair = 3;
inline constexpr int cells_per_group = bands / groups_per_pair;              // 8
inline constexpr int groups = pair_slots * groups_per_pair;                  // 432
inline constexpr int period_slots = 2 * pair_slots;                          // 288
inline constexpr int period_samples = period_slots * frames_per_slot * hop;  // 73728 = 9.216 s
inline constexpr double lattice_step = 0.45;  ///< Δ, in natural-log units of the group value
inline constexpr double floor_ratio = 0.1;    ///< a slot's band energies are floored at this share of their mean
inline constexpr double energy_epsilon = 1e-12;

/// Band b of cell i of group g (g = 3 w + j): j + 3 i.
[[nodiscard]] constexpr int cell_band(int group, int cell) noexcept { return group % groups_per_pair + 3 * cell; }
/// Pair-slot of group g.
[[nodiscard]] constexpr int group_pair_slot(int group) noexcept { return group / groups_per_pair; }

/// The keyed tables (KDF contexts "pmwarol1", "pmwasgn1", "pmwadth1").
struct AudioLayout {
  std::array<std::uint16_t, groups> role{};  ///< coded bit each group carries: a keyed permutation of 0..431 mod 376
  std::array<std::array<std::int8_t, cells_per_group>, groups> sign{};  ///< +1 or -1 per cell
  std::array<double, groups> dither{};  ///< in [0, 1): the bit-0 lattice is Δ (Z + dither)
};

[[nodiscard]] AudioLayout make_audio_layout(const WatermarkKey& key);

/// Natural-log feature of one slot's band energies: ln(E_b + floor_ratio * mean(E) + epsilon), for all 24 bands.
void slot_features(const double* energies, double* features) noexcept;

}  // namespace provmark::wm::audio
