// SPDX-License-Identifier: Apache-2.0
#pragma once
// The audio watermark, version 2 (spec/audio-watermark-v2.md): its fixed grid and the keyed tables.
//
// The 8 kHz mono working signal is cut into STFT frames (256 samples, hop 128); two frames make a slot, two slots
// a pair-slot. A cell is one band (4 FFT bins) of one pair-slot; its value is the difference of the two slots'
// log band energies. A group is 4 cells of one pair-slot (every sixth band); a keyed signed mean of them is
// quantised onto one of two interleaved lattices (dithered QIM) to carry one coded bit. 144 pair-slots of 6
// groups make the 9.216 s period, repeated from the first sample to the last. Six small groups rather than three
// of 8 cells (version 1) carry each coded bit two or three times at different moments: under noise only the loud
// pair-slots are readable, and a bit is then rarely lost with all its carriers (spec §9).

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
inline constexpr int groups_per_pair = 6;
inline constexpr int cells_per_group = bands / groups_per_pair;              // 4
inline constexpr int groups = pair_slots * groups_per_pair;                  // 864
inline constexpr int period_slots = 2 * pair_slots;                          // 288
inline constexpr int period_samples = period_slots * frames_per_slot * hop;  // 73728 = 9.216 s
inline constexpr double lattice_step = 0.42;  ///< Δ, in natural-log units of the group value
inline constexpr double floor_ratio = 0.1;    ///< a slot's band energies are floored at this share of their mean
inline constexpr double energy_epsilon = 1e-12;

/// Band b of cell i of group g (g = 6 w + j): j + 6 i.
[[nodiscard]] constexpr int cell_band(int group, int cell) noexcept {
  return group % groups_per_pair + groups_per_pair * cell;
}
/// Pair-slot of group g.
[[nodiscard]] constexpr int group_pair_slot(int group) noexcept { return group / groups_per_pair; }

/// The keyed tables (KDF contexts "pmwarol2", "pmwasgn2", "pmwadth2").
struct AudioLayout {
  std::array<std::uint16_t, groups> role{};  ///< coded bit each group carries: a keyed permutation of 0..863 mod 376
  std::array<std::array<std::int8_t, cells_per_group>, groups> sign{};  ///< +1 or -1 per cell
  std::array<double, groups> dither{};  ///< in [0, 1): the bit-0 lattice is Δ (Z + dither)
  /// Every pair of groups that carry the same coded bit (smaller group first), for the detector's sync statistic.
  std::vector<std::array<std::uint16_t, 2>> same_bit_pairs;
};

[[nodiscard]] AudioLayout make_audio_layout(const WatermarkKey& key);

/// Natural-log feature of one slot's band energies: ln(E_b + floor_ratio * mean(E) + epsilon), for all 24 bands.
void slot_features(const double* energies, double* features) noexcept;

}  // namespace provmark::wm::audio
