// SPDX-License-Identifier: Apache-2.0
// The AIGC label in WAV: a top-level RIFF chunk `AIGC` whose data is the label's JSON (TC260 audio guide, design
// labels.md §5.3). The chunk walk is lib/containers/riff.
#include <algorithm>

#include "containers/riff.hpp"
#include "core/fail.hpp"
#include "labels/carriers.hpp"

namespace provmark::labels {

std::vector<CarrierValue> wav_aigc_values(std::span<const std::uint8_t> wav) {
  const auto form = containers::parse_riff(wav);
  std::vector<CarrierValue> values;
  for (const auto& chunk : form.chunks) {
    if (!chunk.is("AIGC")) continue;
    auto data = wav.subspan(chunk.data_offset(), chunk.size);
    // Writers that NUL-terminate the text (as AVI INFO strings are) leave NULs at the end.
    while (!data.empty() && data.back() == 0) data = data.first(data.size() - 1);
    values.push_back({kCarrierWavChunk, std::string(data.begin(), data.end())});
  }
  return values;
}

std::vector<std::uint8_t> wav_write_aigc(std::span<const std::uint8_t> wav, std::string_view json) {
  const auto form = containers::parse_riff(wav);
  std::vector<bool> keep(form.chunks.size(), true);
  std::vector<std::vector<std::uint8_t>> appended{
      containers::riff_chunk("AIGC", std::span(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()))};
  // A C2PA chunk stays last, where c2pa-rs puts it (the label changes bytes its data hash covers: sign after).
  for (std::size_t i = 0; i < form.chunks.size(); ++i) {
    const auto& chunk = form.chunks[i];
    if (chunk.is("AIGC")) keep[i] = false;
    if (chunk.is("C2PA")) {
      keep[i] = false;
      const auto bytes = wav.subspan(chunk.offset, 8 + std::size_t{chunk.size});
      appended.emplace_back(bytes.begin(), bytes.end());
      if (chunk.size & 1u) appended.back().push_back(0);
    }
  }
  return containers::riff_rebuild(wav, form, keep, appended);
}

}  // namespace provmark::labels
