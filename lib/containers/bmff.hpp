// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// ISO BMFF (ISO/IEC 14496-12: MP4, MOV, M4A, HEIF) box structure: every box with its path ("/moov/trak/mdia"),
/// container boxes walked into, as c2pa-rs's BMFF handler lists them for its xpath exclusions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace provmark::containers {

struct BmffBox {
  std::array<char, 4> type{};
  std::string path;            ///< "/ftyp", "/moov/trak/mdia/minf/stbl/stco", ...
  std::size_t offset = 0;      ///< of the box header in the file
  std::size_t size = 0;        ///< the whole box, header included
  std::size_t header = 8;      ///< 8, or 16 with a 64-bit size (the uuid user type is part of the payload)
  int depth = 0;               ///< 0 for top-level boxes
  std::optional<std::uint8_t> version;  ///< of full boxes c2pa-rs knows
  std::optional<std::uint32_t> flags;
  [[nodiscard]] bool is(std::string_view four) const {
    return four.size() == 4 && std::equal(type.begin(), type.end(), four.begin());
  }
  [[nodiscard]] std::size_t end() const { return offset + size; }
};

/// Deeper container nesting is refused (c2pa-rs refuses "too deeply nested" boxes too).
inline constexpr int kMaxBmffDepth = 32;
/// At most this many boxes in a file.
inline constexpr std::size_t kMaxBmffBoxes = 1'000'000;

/// Whether `file` starts with an `ftyp` box (what c2pa-rs requires of a BMFF asset).
[[nodiscard]] bool is_bmff(std::span<const std::uint8_t> file);

/// All boxes in file order (parents before children). Error(malformed_input) for no ftyp first, boxes past
/// their parent's end, or nesting deeper than kMaxBmffDepth; limit_exceeded past kMaxBmffBoxes.
[[nodiscard]] std::vector<BmffBox> parse_bmff(std::span<const std::uint8_t> file);

}  // namespace provmark::containers
