// SPDX-License-Identifier: Apache-2.0
// The public codec entry points: format sniffing and dispatch to codecs/jpeg and codecs/png.

#include <cstring>
#include <string>

#include "codecs/jpeg.hpp"
#include "codecs/png.hpp"
#include "core/fail.hpp"
#include "provmark/codec.hpp"

namespace provmark {

ImageFormat sniff_image_format(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kJpeg[3] = {0xFF, 0xD8, 0xFF};
  static constexpr std::uint8_t kPng[8] = {137, 80, 78, 71, 13, 10, 26, 10};
  if (bytes.size() >= sizeof kPng && std::memcmp(bytes.data(), kPng, sizeof kPng) == 0) return ImageFormat::png;
  if (bytes.size() >= sizeof kJpeg && std::memcmp(bytes.data(), kJpeg, sizeof kJpeg) == 0) return ImageFormat::jpeg;
  fail(Errc::unsupported_format, "neither a JPEG nor a PNG signature");
}

Image decode_image(std::span<const std::uint8_t> bytes, const Limits& limits) {
  if (bytes.size() > limits.max_file_bytes)
    fail(Errc::limit_exceeded, "encoded image of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                   std::to_string(limits.max_file_bytes));
  switch (sniff_image_format(bytes)) {
    case ImageFormat::jpeg:
      return codecs::decode_jpeg(bytes, limits);
    case ImageFormat::png:
      return std::move(codecs::decode_png(bytes, limits).image);
  }
  fail(Errc::internal, "unhandled image format");
}

std::vector<std::uint8_t> encode_jpeg(const ImageView& image, const JpegEncodeOptions& options) {
  return codecs::encode_jpeg(image, options.quality, options.chroma_subsampling);
}

std::vector<std::uint8_t> encode_png(const ImageView& image) { return codecs::encode_png(image); }

}  // namespace provmark
