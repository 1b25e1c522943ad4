// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// What kind of file label() and verify() were given, from its first bytes.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "c2pa/container.hpp"

namespace provmark::pipeline {

struct MediaKind {
  bool image = false;                        ///< JPEG or PNG; otherwise audio
  std::optional<c2pa::Container> container;  ///< where a C2PA manifest can go; none for FLAC and Ogg
  std::string media_type;                    ///< "image/jpeg", "audio/mpeg", "audio/flac", ...
};

/// @throws Error(unsupported_format) for anything but JPEG, PNG, WAV, MP3, MP4/M4A, FLAC and Ogg.
[[nodiscard]] MediaKind identify_media(std::span<const std::uint8_t> bytes);

}  // namespace provmark::pipeline
