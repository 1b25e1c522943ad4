// SPDX-License-Identifier: Apache-2.0
#pragma once
// JPEG: our own marker parser (TurboJPEG 2.1 drops APPn/COM, so metadata is carried over by hand)
// plus TurboJPEG for the pixels. Every function validates untrusted input and throws provmark::Error.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "provmark/image.hpp"
#include "provmark/limits.hpp"

namespace provmark::codecs {

/// One APPn (0xE0..0xEF) or COM (0xFE) segment; `payload` excludes the marker and length bytes.
struct JpegSegment {
  std::uint8_t marker = 0;
  std::vector<std::uint8_t> payload;
};

/// What the marker walk learns without decoding pixels.
struct JpegInfo {
  int width = 0;
  int height = 0;
  int components = 0;   ///< 1 (gray) or 3 (YCbCr); others are rejected as unsupported
  int subsampling = 0;  ///< a TurboJPEG TJSAMP value
  bool progressive = false;
  int estimated_quality = 0;  ///< IJG quality 1..100 that reproduces the luma table best (spec: jpeg quality)
  /// APPn and COM segments in file order, except the Adobe APP14 segment: it is the colour transform of
  /// the old encoding, not metadata, and would mislabel a TurboJPEG re-encode.
  std::vector<JpegSegment> metadata;
};

/// Walks the markers up to the first SOS. @throws Error(malformed_input | unsupported_format)
[[nodiscard]] JpegInfo parse_jpeg(std::span<const std::uint8_t> bytes);

/// One marker segment of the header, located in the file (for metadata edits in place): bytes [start, end)
/// are the marker and the segment; fill bytes before the marker are not included. `payload` excludes the
/// marker and the length bytes and points into the walked bytes.
struct JpegMarkerSegment {
  std::uint8_t marker = 0;
  std::size_t start = 0;
  std::size_t end = 0;
  std::span<const std::uint8_t> payload;
};

/// The segments after SOI up to and including the first SOS, in file order (the walk parse_jpeg() makes;
/// TEM and RSTn, which have no length, are left out). Checks lengths only, not what the segments hold.
/// @throws Error(malformed_input)
[[nodiscard]] std::vector<JpegMarkerSegment> walk_jpeg_header(std::span<const std::uint8_t> bytes);

/// Planar YCbCr (or a single Y plane for gray) as TurboJPEG lays it out, without colour conversion.
struct YuvImage {
  int width = 0;
  int height = 0;
  int subsampling = 0;  ///< TJSAMP
  int plane_count = 0;  ///< 1 or 3
  std::array<std::vector<std::uint8_t>, 3> planes;
  std::array<int, 3> plane_width{};  ///< also the stride
  std::array<int, 3> plane_height{};
};

/// Decodes to planes; the header is checked against `limits` before any pixel buffer exists.
/// @throws Error(unsupported_format) for JPEGs stored as RGB (Adobe) rather than YCbCr or gray.
[[nodiscard]] YuvImage decode_jpeg_yuv(std::span<const std::uint8_t> bytes, const Limits& limits);
/// Encodes planes at `quality` and inserts `metadata`: right after SOI, replacing TurboJPEG's own JFIF
/// APP0, when the metadata has an APP0; otherwise right after that JFIF APP0 (so the JFIF APP0 never
/// doubles one of the metadata). @throws Error(invalid_argument) for a segment over 65533 bytes or not APPn/COM.
[[nodiscard]] std::vector<std::uint8_t> encode_jpeg_yuv(const YuvImage& yuv, int quality,
                                                        const std::vector<JpegSegment>& metadata);

/// Decodes to rgb8 (gray8 for one-component JPEGs).
[[nodiscard]] Image decode_jpeg(std::span<const std::uint8_t> bytes, const Limits& limits);
/// Decodes luma only, at the smallest TurboJPEG scale factor (1/8 .. 1) whose result still has a
/// shorter side >= min_short_side (or at full size when the image is smaller). Fast path for detection.
[[nodiscard]] Image decode_jpeg_gray_scaled(std::span<const std::uint8_t> bytes, const Limits& limits,
                                            int min_short_side);
/// Encodes gray8 / rgb8 / rgba8 (alpha dropped) and inserts `metadata` as encode_jpeg_yuv does.
[[nodiscard]] std::vector<std::uint8_t> encode_jpeg(const ImageView& image, int quality, bool chroma_subsampling,
                                                    const std::vector<JpegSegment>& metadata = {});

}  // namespace provmark::codecs
