// SPDX-License-Identifier: Apache-2.0
// Watermarking encoded files. JPEGs take a fast path that never leaves YCbCr: the Y plane is
// marked in place (the watermark only changes luma) and re-encoded with the source's subsampling
// and estimated quality, so chroma is not touched at all and no colour conversion is paid.
#include "codecs/jpeg.hpp"
#include "codecs/png.hpp"
#include "core/fail.hpp"
#include "provmark/watermark.hpp"
#include "watermark/file.hpp"
#include "watermark/layout.hpp"

namespace provmark {

Image wm::decode_for_detection(std::span<const std::uint8_t> bytes, const Limits& limits) {
  switch (sniff_image_format(bytes)) {
    case ImageFormat::jpeg:
      return codecs::decode_jpeg_gray_scaled(bytes, limits, wm::working_short_side);
    case ImageFormat::png:
      return std::move(codecs::decode_png(bytes, limits).image);
  }
  fail(Errc::internal, "unhandled image format");
}

std::vector<std::uint8_t> embed_encoded(std::span<const std::uint8_t> bytes, const Payload& payload,
                                        const WatermarkKey& key, const FileEmbedOptions& options) {
  if (options.jpeg_quality < 0 || options.jpeg_quality > 100)
    fail(Errc::invalid_argument, "jpeg quality must be 0 (same as input) or 1..100");
  switch (sniff_image_format(bytes)) {
    case ImageFormat::jpeg: {
      const codecs::JpegInfo info = codecs::parse_jpeg(bytes);
      codecs::YuvImage yuv = codecs::decode_jpeg_yuv(bytes, options.limits);
      const MutableImageView luma{yuv.planes[0].data(), yuv.width, yuv.height, yuv.plane_width[0], PixelFormat::gray8};
      embed_into(luma, payload, key, options.embed);
      const int quality = options.jpeg_quality != 0 ? options.jpeg_quality : info.estimated_quality;
      return codecs::encode_jpeg_yuv(yuv, quality, info.metadata);
    }
    case ImageFormat::png: {
      codecs::PngImage png = codecs::decode_png(bytes, options.limits);
      embed_into(png.image.mutable_view(), payload, key, options.embed);
      return codecs::encode_png(png.image.view(), png.ancillary);
    }
  }
  fail(Errc::internal, "unhandled image format");
}

DetectResult detect_encoded(std::span<const std::uint8_t> bytes, const WatermarkKey& key,
                            const DetectOptions& options, const Limits& limits) {
  return detect(wm::decode_for_detection(bytes, limits).view(), key, options);
}

void embed_file(const std::filesystem::path& in, const std::filesystem::path& out, const Payload& payload,
                const WatermarkKey& key, const FileEmbedOptions& options) {
  const std::vector<std::uint8_t> marked = embed_encoded(read_file(in, options.limits), payload, key, options);
  write_file_atomic(out, marked);
}

DetectResult detect_file(const std::filesystem::path& in, const WatermarkKey& key, const DetectOptions& options,
                         const Limits& limits) {
  return detect_encoded(read_file(in, limits), key, options, limits);
}

}  // namespace provmark
