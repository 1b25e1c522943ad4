// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// What kind of file label() and verify() were given, from its first bytes.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "c2pa/container.hpp"
#include "provmark/manifest.hpp"

namespace provmark::pipeline {

struct MediaKind {
  bool image = false;                        ///< JPEG or PNG; otherwise audio
  std::optional<c2pa::Container> container;  ///< where a C2PA manifest can go; none for FLAC and Ogg
  std::string media_type;                    ///< "image/jpeg", "audio/mpeg", "audio/flac", ...
};

/// @throws Error(unsupported_format) for anything but JPEG, PNG, WAV, MP3, MP4/M4A, FLAC and Ogg.
[[nodiscard]] MediaKind identify_media(std::span<const std::uint8_t> bytes);

/// The soft-binding algorithm of our watermark in media of this type: image or audio.
[[nodiscard]] inline std::string_view watermark_alg_of(std::string_view media_type) {
  return media_type.starts_with("image/") ? image_watermark_alg : audio_watermark_alg;
}

}  // namespace provmark::pipeline
