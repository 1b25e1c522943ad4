// SPDX-License-Identifier: Apache-2.0
#include "watermark/layout.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/fail.hpp"
#include "crypto/keystream.hpp"
#include "dsp/fft.hpp"
#include "watermark/fec.hpp"

namespace provmark::wm {

std::vector<Bin> annulus_bins() {
  std::vector<Bin> bins;
  for (int v = 0; v * v <= band_r2_max; ++v)
    for (int u = -tile_size / 2; u < tile_size / 2; ++u) {
      const int r2 = u * u + v * v;
      if ((v > 0 || u > 0) && r2 >= band_r2_min && r2 <= band_r2_max) bins.push_back({u, v, 0});
    }
  return bins;
}

int coded_bit_count() {
  const ConvCode code = watermark_code();
  return (info_bits + code.constraint_length - 1) * static_cast<int>(code.generators.size());
}

Layout make_layout(const WatermarkKey& key) {
  std::vector<Bin> bins = annulus_bins();
  crypto::KeyStream order(key.bytes(), "pmwmlay1", 0);
  for (std::size_t i = bins.size() - 1; i > 0; --i)  // Fisher-Yates, keyed
    std::swap(bins[i], bins[order.below(static_cast<std::uint32_t>(i + 1))]);
  crypto::KeyStream phases(key.bytes(), "pmwmphs1", 0);
  for (auto& b : bins) b.phase = static_cast<float>(2.0 * std::numbers::pi * phases.unit());
  const auto n_data = static_cast<std::size_t>(coded_bit_count());
  if (bins.size() <= n_data) fail(Errc::internal, "watermark band too small for the code");
  Layout layout;
  layout.data.assign(bins.begin(), bins.begin() + static_cast<std::ptrdiff_t>(n_data));
  layout.sync.assign(bins.begin() + static_cast<std::ptrdiff_t>(n_data), bins.end());
  return layout;
}

std::vector<std::uint8_t> encode_payload(const Payload& payload) {
  std::vector<std::uint8_t> bits;
  bits.reserve(info_bits);
  for (std::uint8_t byte : payload.bytes)
    for (int i = 7; i >= 0; --i) bits.push_back(static_cast<std::uint8_t>((byte >> i) & 1));
  const std::uint32_t crc = crc24(bits);
  for (int i = crc_bits - 1; i >= 0; --i) bits.push_back(static_cast<std::uint8_t>((crc >> i) & 1));
  return conv_encode(bits, watermark_code());
}

dsp::Plane make_tile(const Layout& layout, std::span<const std::uint8_t> coded) {
  constexpr int T = tile_size;
  dsp::FftBuffer<dsp::cfloat> spectrum(static_cast<std::size_t>(T) * T);
  auto place = [&](const Bin& b, float sign) {
    const std::complex<float> c = sign * 0.5f * b.unit();
    spectrum[static_cast<std::size_t>(((b.v % T + T) % T) * T + (b.u % T + T) % T)] += c;
    spectrum[static_cast<std::size_t>(((-b.v % T + T) % T) * T + (-b.u % T + T) % T)] += std::conj(c);
  };
  for (std::size_t j = 0; j < layout.data.size(); ++j) place(layout.data[j], coded[j] ? 1.0f : -1.0f);
  for (const Bin& b : layout.sync) place(b, 1.0f);
  dsp::fft_c2c_2d(T, T, spectrum.data(), spectrum.data(), /*forward=*/false);
  // Each bin contributes a unit-amplitude cosine; they are orthogonal over the tile, so the RMS is
  // exactly sqrt(bins / 2).
  const auto n = static_cast<float>(layout.data.size() + layout.sync.size());
  const float scale = 1.0f / std::sqrt(n / 2.0f);
  dsp::Plane tile(T, T);
  for (std::size_t i = 0; i < tile.data.size(); ++i) tile.data[i] = spectrum[i].real() * scale;
  return tile;
}

DecodedPayload decode_payload(std::span<const float> soft) {
  DecodedPayload d;
  d.coded = static_cast<int>(soft.size());
  const ViterbiResult vr = viterbi_decode(soft, watermark_code(), info_bits);
  const std::vector<std::uint8_t>& bits = vr.bits;
  std::uint32_t crc = 0;
  for (int i = 0; i < crc_bits; ++i) crc = (crc << 1) | bits[static_cast<std::size_t>(64 + i)];
  d.crc_ok = crc == crc24(std::span<const std::uint8_t>(bits.data(), 64));
  for (std::size_t i = 0; i < Payload::size; ++i) {
    std::uint8_t byte = 0;
    for (int k = 0; k < 8; ++k) byte = static_cast<std::uint8_t>((byte << 1) | bits[i * 8 + static_cast<std::size_t>(k)]);
    d.payload.bytes[i] = byte;
  }
  const std::vector<std::uint8_t> recoded = conv_encode(bits, watermark_code());
  for (std::size_t j = 0; j < soft.size(); ++j) {
    if ((soft[j] > 0) != (recoded[j] == 1) || soft[j] == 0) ++d.disagreements;
    d.correlation += recoded[j] ? soft[j] : -soft[j];
    d.soft_energy += static_cast<double>(soft[j]) * soft[j];
  }
  return d;
}

double false_alarm_bound(int attempts, const DecodedPayload& decoded) {
  // A report needs one of the 2^64 CRC-valid codewords to match the received values this well, in one of the
  // attempts. Union bound over codewords and attempts, with two tail bounds for one codeword:
  //   hard: agreements ~ Binomial(n, 1/2);
  //   soft: given the magnitudes, the correlation is a Rademacher sum: P(>= s) <= exp(-s^2 / 2 sum a^2).
  const double log10_union = std::log10(static_cast<double>(std::max(attempts, 1))) + 64 * std::log10(2.0);
  const double hard = log10_binomial_tail(decoded.coded, decoded.coded - decoded.disagreements);
  const double soft = decoded.correlation > 0 && decoded.soft_energy > 0
                          ? -decoded.correlation * decoded.correlation / (2 * decoded.soft_energy) * std::numbers::log10e
                          : 0.0;
  return std::min(1.0, std::pow(10.0, log10_union + std::min(hard, soft)));
}

void check_max_false_alarm(double max_false_alarm) {
  if (!(max_false_alarm > 0 && max_false_alarm <= false_alarm_ceiling))
    fail(Errc::invalid_argument, "max_false_alarm must be in (0, 1e-9]: the spec's ceiling");
}

}  // namespace provmark::wm
