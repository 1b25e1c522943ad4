// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// RIFF (WAV, BWF, AVI, WebP): the top-level chunks of the RIFF form, and rebuilding the form with chunks
/// removed or appended. Little-endian sizes; a chunk of odd size is followed by one pad byte (RIFF 1991, 2-1).
/// Only the first level is walked: C2PA and the AIGC label live there, and a nesting bomb costs nothing.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace provmark::containers {

using FourCc = std::array<char, 4>;

/// A chunk of the RIFF form: header at `offset`, `size` data bytes after the 8-byte header.
struct RiffChunk {
  FourCc id{};
  std::size_t offset = 0;
  std::uint32_t size = 0;
  [[nodiscard]] std::size_t data_offset() const { return offset + 8; }
  /// Header, data and pad byte: where the next chunk starts.
  [[nodiscard]] std::size_t padded_size() const { return 8 + std::size_t{size} + (size & 1u); }
  [[nodiscard]] bool is(std::string_view four) const {
    return four.size() == 4 && std::equal(id.begin(), id.end(), four.begin());
  }
};

struct RiffForm {
  FourCc form_type{};  ///< "WAVE", "AVI ", "WEBP", ...
  std::vector<RiffChunk> chunks;
  std::size_t end = 0;  ///< 8 + the RIFF size: bytes after it (rare trailing data) are not part of the form
};

/// At most this many top-level chunks: real files have tens.
inline constexpr std::size_t kMaxRiffChunks = 100'000;

/// The form's chunks. Error(malformed_input) for no "RIFF" header, a RIFF size past the end of the file, or a
/// chunk reaching past the form (a missing final pad byte is tolerated); limit_exceeded past kMaxRiffChunks.
[[nodiscard]] RiffForm parse_riff(std::span<const std::uint8_t> file);

/// A chunk as bytes: header, data, pad byte. Error(limit_exceeded) for data of 4 GiB or more.
[[nodiscard]] std::vector<std::uint8_t> riff_chunk(std::string_view id, std::span<const std::uint8_t> data);

/// The file with the form's chunks for which `keep[i]` is false left out, `appended` (whole chunks from
/// riff_chunk) added at the end of the form, the RIFF size updated and trailing bytes kept.
/// Error(limit_exceeded) when the form would reach 4 GiB.
[[nodiscard]] std::vector<std::uint8_t> riff_rebuild(std::span<const std::uint8_t> file, const RiffForm& form,
                                                     const std::vector<bool>& keep,
                                                     std::span<const std::vector<std::uint8_t>> appended);

}  // namespace provmark::containers
