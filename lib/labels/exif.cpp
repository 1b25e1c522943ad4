// SPDX-License-Identifier: Apache-2.0
// A bounded walk of two IFDs, hand-written: libexif would parse (and on write re-serialise) the whole block
// for one tag we only read or blank in place. Every offset is checked against the block's size.

#include "labels/exif.hpp"

#include <algorithm>
#include <string_view>

namespace provmark::labels {
namespace {

constexpr std::uint16_t kExifIfdPointer = 0x8769;
constexpr std::uint16_t kUserComment = 0x9286;
constexpr std::size_t kEntrySize = 12;

class Tiff {
 public:
  explicit Tiff(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  // "II" or "MM", then 42.
  bool read_header() {
    if (bytes_.size() < 8) return false;
    if (bytes_[0] == 'I' && bytes_[1] == 'I') {
      little_ = true;
    } else if (!(bytes_[0] == 'M' && bytes_[1] == 'M')) {
      return false;
    }
    return u16(2) == 42;
  }

  std::uint32_t u16(std::size_t at) const {
    return little_ ? bytes_[at] | (std::uint32_t{bytes_[at + 1]} << 8)
                   : (std::uint32_t{bytes_[at]} << 8) | bytes_[at + 1];
  }
  std::uint32_t u32(std::size_t at) const {
    return little_ ? u16(at) | (u16(at + 2) << 16) : (u16(at) << 16) | u16(at + 2);
  }

  // The offset of the 12-byte entry for `tag` in the IFD at `ifd`, if the IFD lies inside the block.
  std::optional<std::size_t> find_entry(std::size_t ifd, std::uint32_t tag) const {
    if (ifd > bytes_.size() || bytes_.size() - ifd < 2) return std::nullopt;
    const std::size_t count = u16(ifd);
    if ((bytes_.size() - ifd - 2) / kEntrySize < count) return std::nullopt;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t entry = ifd + 2 + i * kEntrySize;
      if (u16(entry) == tag) return entry;
    }
    return std::nullopt;
  }

  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  std::span<const std::uint8_t> bytes_;
  bool little_ = false;
};

}  // namespace

std::optional<ExifUserComment> find_exif_user_comment(std::span<const std::uint8_t> tiff_bytes) {
  Tiff tiff(tiff_bytes);
  if (!tiff.read_header()) return std::nullopt;
  const auto pointer = tiff.find_entry(tiff.u32(4), kExifIfdPointer);
  if (!pointer) return std::nullopt;
  const auto entry = tiff.find_entry(tiff.u32(*pointer + 8), kUserComment);
  if (!entry) return std::nullopt;
  const std::uint32_t type = tiff.u16(*entry + 2);
  const std::size_t length = tiff.u32(*entry + 4);
  // UNDEFINED, or ASCII from sloppy writers; at least the character code, so never stored inside the entry.
  if ((type != 7 && type != 2) || length < 8) return std::nullopt;
  const std::size_t offset = tiff.u32(*entry + 8);
  if (offset > tiff_bytes.size() || tiff_bytes.size() - offset < length) return std::nullopt;
  const auto value = tiff_bytes.subspan(offset, length);
  static constexpr std::uint8_t kAscii[8] = {'A', 'S', 'C', 'I', 'I', 0, 0, 0};
  static constexpr std::uint8_t kUndefined[8] = {};
  if (!std::equal(value.begin(), value.begin() + 8, kAscii) &&
      !std::equal(value.begin(), value.begin() + 8, kUndefined))
    return std::nullopt;
  std::string text(value.begin() + 8, value.end());
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
  return ExifUserComment{offset, length, std::move(text)};
}

}  // namespace provmark::labels
