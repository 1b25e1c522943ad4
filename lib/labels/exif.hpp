// SPDX-License-Identifier: Apache-2.0
#pragma once
// The EXIF UserComment (tag 0x9286 in the Exif IFD), where the TC260 image guide's Annex B allows the wrapped
// AIGC JSON. Read only, plus blanking in place so that a writer can leave a single label behind.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace provmark::labels {

/// A UserComment located in its TIFF block: bytes [offset, offset + length) are the whole value, character
/// code included.
struct ExifUserComment {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string text;  ///< after the 8-byte character code, trailing NULs and spaces removed
};

/// The UserComment of a TIFF block (a JPEG APP1 Exif payload after "Exif\0\0", or a PNG eXIf chunk) whose
/// character code is ASCII or undefined (eight NULs). Nothing for Unicode or JIS comments, and nothing for a
/// block whose IFD0 or Exif IFD cannot be walked: EXIF in the wild is often sloppy, and a comment we cannot
/// locate is not one we would report either. Never throws for bad input.
[[nodiscard]] std::optional<ExifUserComment> find_exif_user_comment(std::span<const std::uint8_t> tiff);

}  // namespace provmark::labels
