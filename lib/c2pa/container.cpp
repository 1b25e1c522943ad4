// SPDX-License-Identifier: Apache-2.0
#include "c2pa/container.hpp"

#include <algorithm>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/asset_media.hpp"
#include "c2pa/asset_png.hpp"
#include "containers/bmff.hpp"
#include "core/fail.hpp"

namespace provmark::c2pa {
namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix, std::size_t at = 0) {
  return bytes.size() >= at + prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

// An MPEG audio frame header: 11 sync bits, a version other than "reserved", a layer other than "reserved".
bool is_mpeg_audio_frame(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 4 && bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0 && (bytes[1] & 0x18) != 0x08 &&
         (bytes[1] & 0x06) != 0;
}

}  // namespace

Container sniff_container(std::span<const std::uint8_t> asset) {
  if (starts_with(asset, "\xFF\xD8")) return Container::jpeg;
  if (starts_with(asset, "\x89PNG\r\n\x1A\n")) return Container::png;
  if (starts_with(asset, "RIFF") && starts_with(asset, "WAVE", 8)) return Container::wav;
  if (starts_with(asset, "ID3") || is_mpeg_audio_frame(asset)) return Container::mp3;
  if (containers::is_bmff(asset)) return Container::bmff;
  fail(Errc::unsupported_format, "c2pa: not a JPEG, PNG, WAV, MP3 or BMFF (MP4, M4A, MOV) file");
}

std::string_view media_type(Container container, std::span<const std::uint8_t> asset) {
  switch (container) {
    case Container::jpeg: return "image/jpeg";
    case Container::png: return "image/png";
    case Container::wav: return "audio/wav";
    case Container::mp3: return "audio/mpeg";
    case Container::bmff: break;
  }
  if (starts_with(asset, "M4A ", 8)) return "audio/mp4";
  if (starts_with(asset, "qt  ", 8)) return "video/quicktime";
  return "video/mp4";
}

std::optional<std::vector<std::uint8_t>> read_manifest_store(Container container, std::span<const std::uint8_t> asset) {
  switch (container) {
    case Container::jpeg: return jpeg_read_manifest_store(asset);
    case Container::png: return png_read_manifest_store(asset);
    case Container::wav: return wav_read_manifest_store(asset);
    case Container::mp3: return mp3_read_manifest_store(asset);
    case Container::bmff: return bmff_read_manifest_store(asset);
  }
  fail(Errc::internal, "c2pa: unknown container");
}

std::optional<ByteRange> manifest_store_range(Container container, std::span<const std::uint8_t> asset,
                                              std::span<const std::uint8_t> store) {
  switch (container) {
    case Container::jpeg: return jpeg_plan_manifest_store(asset, store).removed;
    case Container::png: return png_plan_manifest_store(asset, store).removed;
    case Container::wav: return wav_manifest_store_range(asset);
    case Container::mp3: return mp3_manifest_store_range(asset);
    case Container::bmff: return bmff_manifest_store_range(asset);
  }
  fail(Errc::internal, "c2pa: unknown container");
}

EmbeddedAsset embed_manifest_store(Container container, std::span<const std::uint8_t> asset,
                                   std::span<const std::uint8_t> store) {
  switch (container) {
    case Container::jpeg: return jpeg_embed_manifest_store(asset, store);
    case Container::png: return png_embed_manifest_store(asset, store);
    case Container::wav: return wav_embed_manifest_store(asset, store);
    case Container::mp3: return mp3_embed_manifest_store(asset, store);
    case Container::bmff: return bmff_embed_manifest_store(asset, store);
  }
  fail(Errc::internal, "c2pa: unknown container");
}

}  // namespace provmark::c2pa
