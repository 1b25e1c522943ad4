// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Image decoding and encoding (JPEG through TurboJPEG, PNG through libpng).

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "provmark/error.hpp"
#include "provmark/image.hpp"
#include "provmark/limits.hpp"

namespace provmark {

enum class ImageFormat { jpeg, png };

/// The container format of encoded bytes, from their signature.
/// @throws Error(unsupported_format) when the bytes are neither JPEG nor PNG.
[[nodiscard]] ImageFormat sniff_image_format(std::span<const std::uint8_t> bytes);

/// Decodes a JPEG or PNG to rgb8 (or gray8 for grayscale sources; rgba8 for PNG with alpha).
/// @throws Error(malformed_input | unsupported_format | limit_exceeded)
[[nodiscard]] Image decode_image(std::span<const std::uint8_t> bytes, const Limits& limits = {});

struct JpegEncodeOptions {
  int quality = 90;               ///< 1..100
  bool chroma_subsampling = true;  ///< 4:2:0 when true, 4:4:4 when false
};

/// @throws Error(invalid_argument) for a bad view or quality.
[[nodiscard]] std::vector<std::uint8_t> encode_jpeg(const ImageView& image, const JpegEncodeOptions& options = {});
/// @throws Error(invalid_argument) for a bad view.
[[nodiscard]] std::vector<std::uint8_t> encode_png(const ImageView& image);

/// Reads a whole file, refusing files larger than limits.max_file_bytes.
/// @throws Error(io | limit_exceeded)
[[nodiscard]] std::vector<std::uint8_t> read_file(const std::filesystem::path& path, const Limits& limits = {});

/// Writes a file atomically: a temporary file in the same folder, flushed, then renamed over
/// `path`. On failure nothing is left behind. @throws Error(io)
void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace provmark
