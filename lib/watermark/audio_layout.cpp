// SPDX-License-Identifier: Apache-2.0
#include "watermark/audio_layout.hpp"

#include <cmath>
#include <numeric>

#include "crypto/keystream.hpp"
#include "watermark/layout.hpp"

namespace provmark::wm::audio {

AudioLayout make_audio_layout(const WatermarkKey& key) {
  AudioLayout layout;
  std::array<std::uint16_t, groups> order{};
  std::iota(order.begin(), order.end(), std::uint16_t{0});
  crypto::KeyStream shuffle(key.bytes(), "pmwarol2", 0);
  for (std::size_t i = order.size() - 1; i > 0; --i)  // Fisher-Yates, keyed
    std::swap(order[i], order[shuffle.below(static_cast<std::uint32_t>(i + 1))]);
  const auto coded = static_cast<std::uint16_t>(coded_bit_count());
  for (std::size_t g = 0; g < groups; ++g) layout.role[g] = static_cast<std::uint16_t>(order[g] % coded);

  crypto::KeyStream signs(key.bytes(), "pmwasgn2", 0);
  for (auto& group : layout.sign)
    for (auto& s : group) s = signs.next_u32() < 0x8000'0000u ? std::int8_t{1} : std::int8_t{-1};
  crypto::KeyStream dithers(key.bytes(), "pmwadth2", 0);
  for (double& d : layout.dither) d = dithers.unit();

  std::vector<std::vector<std::uint16_t>> carriers(coded);
  for (std::uint16_t g = 0; g < groups; ++g) carriers[layout.role[g]].push_back(g);
  for (const auto& same : carriers)
    for (std::size_t i = 0; i < same.size(); ++i)
      for (std::size_t j = i + 1; j < same.size(); ++j) layout.same_bit_pairs.push_back({same[i], same[j]});
  return layout;
}

void slot_features(const double* energies, double* features) noexcept {
  double mean = 0;
  for (int b = 0; b < bands; ++b) mean += energies[b];
  const double floor = floor_ratio * mean / bands + energy_epsilon;
  for (int b = 0; b < bands; ++b) features[b] = std::log(energies[b] + floor);
}

}  // namespace provmark::wm::audio
