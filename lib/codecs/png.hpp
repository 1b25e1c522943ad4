// SPDX-License-Identifier: Apache-2.0
#pragma once
// PNG through libpng, with our own chunk walker so that ancillary chunks (text, eXIf, iCCP, caBX,
// ...) survive a re-encode byte for byte.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "provmark/image.hpp"
#include "provmark/limits.hpp"

namespace provmark::codecs {

/// One ancillary chunk as stored (type, data; the CRC is recomputed on write).
struct PngChunk {
  std::array<char, 4> type{};
  std::vector<std::uint8_t> data;
  bool after_idat = false;  ///< stood after the image data in the source
};

struct PngImage {
  Image image;  ///< gray8, rgb8 or rgba8 (palette expanded, 16-bit reduced to 8, gray+alpha -> rgba8)
  /// Ancillary chunks that still describe the decoded pixels; those that no longer do after the
  /// conversion above (tRNS, sBIT, hIST, bKGD, and a grey iCCP once grey is widened to rgba8) are
  /// dropped, as are APNG frame chunks (acTL, fcTL, fdAT): only the default image is decoded.
  std::vector<PngChunk> ancillary;
};

/// @throws Error(malformed_input | limit_exceeded) — the IHDR size is checked before decoding.
[[nodiscard]] PngImage decode_png(std::span<const std::uint8_t> bytes, const Limits& limits);
/// Encodes 8-bit pixels and writes `ancillary` chunks back in their places.
[[nodiscard]] std::vector<std::uint8_t> encode_png(const ImageView& image, const std::vector<PngChunk>& ancillary = {});

/// One chunk located in the file (for metadata edits in place): bytes [start, end) hold its length, type,
/// data and CRC; `data` points into the walked bytes.
struct PngChunkPlace {
  std::array<char, 4> type{};
  std::size_t start = 0;
  std::size_t end = 0;
  std::span<const std::uint8_t> data;
};

/// Every chunk from the first (a 13-byte IHDR) to IEND in file order (the walk decode_png() makes), with
/// lengths, types and CRCs checked; bytes after IEND are not walked. @throws Error(malformed_input)
[[nodiscard]] std::vector<PngChunkPlace> walk_png_chunks(std::span<const std::uint8_t> bytes);

/// A whole chunk: length, type, data, CRC. @throws Error(invalid_argument) for data over 2^31-1 bytes.
[[nodiscard]] std::vector<std::uint8_t> png_chunk_bytes(const std::array<char, 4>& type,
                                                        std::span<const std::uint8_t> data);

}  // namespace provmark::codecs
