// SPDX-License-Identifier: Apache-2.0
#include "pipeline/media.hpp"

#include <algorithm>
#include <string_view>

#include "core/fail.hpp"

namespace provmark::pipeline {
namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         std::equal(magic.begin(), magic.end(), bytes.begin(),
                    [](char m, std::uint8_t b) { return static_cast<std::uint8_t>(m) == b; });
}

}  // namespace

MediaKind identify_media(std::span<const std::uint8_t> bytes) {
  // C2PA has no binding for FLAC or Ogg; their AIGC label is a Vorbis comment (spec/aigc-label-v1.md).
  if (starts_with(bytes, "fLaC")) return {false, std::nullopt, "audio/flac"};
  if (starts_with(bytes, "OggS")) return {false, std::nullopt, "audio/ogg"};
  c2pa::Container container{};
  try {
    container = c2pa::sniff_container(bytes);
  } catch (const Error& e) {
    if (e.code() != Errc::unsupported_format) throw;
    fail(Errc::unsupported_format, "not a JPEG, PNG, WAV, MP3, MP4/M4A, FLAC or Ogg file");
  }
  const bool image = container == c2pa::Container::jpeg || container == c2pa::Container::png;
  return {image, container, std::string(c2pa::media_type(container, bytes))};
}

}  // namespace provmark::pipeline
