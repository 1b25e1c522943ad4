// SPDX-License-Identifier: Apache-2.0
#pragma once
// The keyed layout of the image watermark, version 1 (spec/image-watermark-v1.md): which
// frequencies of the tile carry sync and which carry coded payload bits, and their phases.

#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/plane.hpp"
#include "provmark/watermark.hpp"

namespace provmark::wm {

/// Tile side in working-frame pixels; the pattern repeats with this period.
inline constexpr int tile_size = 80;
/// Shorter side of the working frame (images are never enlarged to it).
inline constexpr int working_short_side = 512;
/// Annulus of tile frequencies used: radius^2 in [band_r2_min, band_r2_max] (cycles per tile).
inline constexpr int band_r2_min = 9;
inline constexpr int band_r2_max = 324;
/// Payload bits + CRC-24 = information bits fed to the convolutional code.
inline constexpr int crc_bits = 24;
inline constexpr int info_bits = 64 + crc_bits;

/// One tile frequency (u cycles along x, v along y per tile) and its unit-modulus coefficient phase.
struct Bin {
  int u = 0;
  int v = 0;
  float phase = 0;  ///< radians
  [[nodiscard]] std::complex<float> unit() const noexcept { return std::polar(1.0f, phase); }
};

struct Layout {
  std::vector<Bin> data;  ///< data[j] carries coded bit j: coefficient +unit() for 1, -unit() for 0
  std::vector<Bin> sync;  ///< known coefficient +unit()
};

/// Every bin of the annulus in canonical order (v ascending, then u ascending; half plane
/// v > 0 or (v == 0 and u > 0)).
[[nodiscard]] std::vector<Bin> annulus_bins();

/// Derives the layout from the key (KDF contexts "pmwmlay1" and "pmwmphs1").
[[nodiscard]] Layout make_layout(const WatermarkKey& key);

/// Payload -> 64 bits + CRC-24 -> convolutional code (K=7, rate 1/4) -> coded bits.
[[nodiscard]] std::vector<std::uint8_t> encode_payload(const Payload& payload);
/// Number of coded bits (= data bins).
[[nodiscard]] int coded_bit_count();

/// What the Viterbi decoder makes of the coded bits' soft values, with the statistics of the false-alarm bound.
struct DecodedPayload {
  bool crc_ok = false;
  Payload payload{};
  int disagreements = 0;   ///< coded bits whose soft sign differs from the re-encoded codeword (0 counts as differing)
  int coded = 0;           ///< coded bits
  double correlation = 0;  ///< sum over coded bits c of (2c - 1) * soft
  double soft_energy = 0;  ///< sum of soft^2
};

/// Soft values of the coded_bit_count() coded bits (positive: 1, 0: erased) -> Viterbi -> payload and CRC check.
[[nodiscard]] DecodedPayload decode_payload(std::span<const float> soft);

/// Upper bound on the probability that unmarked content yields, in one of `attempts` decode attempts, a
/// CRC-valid codeword matching its soft values as well as `decoded` does. It holds when, without the key's
/// watermark, every soft value is a fair-coin sign times a magnitude independent of it, independently across
/// coded bits (spec/image-watermark-v1.md#9-decision-rule-and-false-alarm-bound).
[[nodiscard]] double false_alarm_bound(int attempts, const DecodedPayload& decoded);

/// The specs' ceiling on the reported false-alarm probability: callers may ask for less, never more.
inline constexpr double false_alarm_ceiling = 1e-9;
/// @throws Error(invalid_argument) unless 0 < max_false_alarm <= false_alarm_ceiling (NaN included).
void check_max_false_alarm(double max_false_alarm);

/// The tile (tile_size x tile_size, unit RMS) for `coded` bits under `layout`.
[[nodiscard]] dsp::Plane make_tile(const Layout& layout, std::span<const std::uint8_t> coded);

}  // namespace provmark::wm
