// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// ID3v2 tags (v2.3 and v2.4; id3.org id3v2.3.0 and id3v2.4.0-structure) at the start of a file: header,
/// extended header, frames, unsynchronisation, syncsafe sizes. v2.2 tags are recognised (their size is skipped)
/// but their frames are not read.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace provmark::containers {

struct Id3Frame {
  std::array<char, 4> id{};
  std::size_t offset = 0;  ///< of the 10-byte frame header, in Id3Tag::frames_area
  std::uint32_t size = 0;  ///< bytes after the header, as stored
  std::array<std::uint8_t, 2> flags{};
  [[nodiscard]] bool is(std::string_view four) const {
    return four.size() == 4 && std::equal(id.begin(), id.end(), four.begin());
  }
};

struct Id3Tag {
  std::uint8_t major = 0;  ///< 2, 3 or 4
  std::uint8_t flags = 0;
  std::size_t size = 0;  ///< the whole tag in the file: header, extended header, frames, padding, footer
  /// The bytes after the header up to the padding; for a v2.3 tag with the unsynchronisation flag, resynchronised.
  std::vector<std::uint8_t> frames_area;
  /// True when frames_area is the file's bytes from offset 10 (frame offsets + 10 are file offsets).
  bool area_in_file = true;
  std::vector<Id3Frame> frames;
};

/// The tag at the start of `file`, or nullopt when the file does not start with "ID3".
/// Error(malformed_input) for a bad header, a tag past the end of the file or a frame past the end of the tag.
[[nodiscard]] std::optional<Id3Tag> parse_id3v2(std::span<const std::uint8_t> file);

/// A frame's content: unsynchronisation undone, the grouping byte and data length indicator skipped;
/// nullopt for a compressed or encrypted frame.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> id3_frame_content(const Id3Tag& tag, const Id3Frame& frame);

/// A frame's bytes as they stand in the tag (header included), ready to be copied into a new tag of the same
/// version: for a v2.4 tag whose header flags unsynchronisation for all frames, the frame's own flag is set.
[[nodiscard]] std::vector<std::uint8_t> id3_frame_bytes(const Id3Tag& tag, const Id3Frame& frame);

/// A new frame (no flags) for a tag of version `major` (3 or 4). Error(limit_exceeded) past 256 MiB.
[[nodiscard]] std::vector<std::uint8_t> id3_frame(int major, std::string_view id,
                                                  std::span<const std::uint8_t> content);

/// A tag header of version `major` with no flags, for `frames_size` bytes of frames.
[[nodiscard]] std::vector<std::uint8_t> id3_header(int major, std::size_t frames_size);

}  // namespace provmark::containers
