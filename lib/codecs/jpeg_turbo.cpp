// SPDX-License-Identifier: Apache-2.0
// JPEG pixels through the TurboJPEG 2.1 API. Every call makes its own handle (handles are not thread-safe),
// runs parse_jpeg() first so that unsupported files get a typed error, and checks the header size against
// Limits before any pixel buffer exists.

#include <turbojpeg.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>

#include "codecs/jpeg.hpp"
#include "core/fail.hpp"

namespace provmark::codecs {
namespace {

// Cap progressive JPEGs at 500 scans: beyond that a tiny file can keep the decoder busy for minutes.
constexpr int kDecodeFlags = TJFLAG_LIMITSCANS;
constexpr int kEncodeFlags = TJFLAG_ACCURATEDCT;
constexpr int kMaxJpegSide = 65500;  // libjpeg's JPEG_MAX_DIMENSION
constexpr std::size_t kMaxSegmentPayload = 65533;

class TjHandle {
 public:
  explicit TjHandle(tjhandle handle) : handle_(handle) {
    if (handle_ == nullptr) fail(Errc::internal, std::string("turbojpeg: no handle: ") + tjGetErrorStr2(nullptr));
  }
  ~TjHandle() { tjDestroy(handle_); }
  TjHandle(const TjHandle&) = delete;
  TjHandle& operator=(const TjHandle&) = delete;
  [[nodiscard]] tjhandle get() const noexcept { return handle_; }
  [[nodiscard]] std::string error() const { return tjGetErrorStr2(handle_); }

 private:
  tjhandle handle_;
};

struct TjFree {
  void operator()(unsigned char* buffer) const noexcept { tjFree(buffer); }
};
using TjBuffer = std::unique_ptr<unsigned char, TjFree>;

struct Header {
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
};

// TurboJPEG reports warnings (stray bytes, corrupt entropy data) the same way as errors, but the image
// is still complete: such files are common and decode fine elsewhere too. A file that ends early is
// different: its missing part would decode grey and be re-encoded as if it were the picture, so
// truncation is an error.
void check_decode(int status, const TjHandle& tj) {
  if (status == 0) return;
  const std::string message = tj.error();
  if (tjGetErrorCode(tj.get()) == TJERR_FATAL || message.find("Premature end") != std::string::npos)
    fail(Errc::malformed_input, "jpeg: " + message);
}

Header read_header(const TjHandle& tj, std::span<const std::uint8_t> bytes, const Limits& limits) {
  Header h;
  check_decode(tjDecompressHeader3(tj.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), &h.width,
                                   &h.height, &h.subsampling, &h.colorspace),
               tj);
  const std::uint64_t pixels = std::uint64_t(h.width) * std::uint64_t(h.height);
  if (pixels > limits.max_pixels)
    fail(Errc::limit_exceeded, "jpeg: " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                                   " exceeds the limit of " + std::to_string(limits.max_pixels) + " pixels");
  return h;
}

void check_encode(int status, const TjHandle& tj) {
  // Inputs are validated before; a failure here is memory exhaustion or a bug.
  if (status != 0 && tjGetErrorCode(tj.get()) == TJERR_FATAL) fail(Errc::internal, "jpeg encode: " + tj.error());
}

void check_quality(int quality) {
  if (quality < 1 || quality > 100)
    fail(Errc::invalid_argument, "jpeg quality " + std::to_string(quality) + " is outside 1..100");
}

void check_size(int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxJpegSide || height > kMaxJpegSide)
    fail(Errc::invalid_argument, "jpeg cannot store " + std::to_string(width) + "x" + std::to_string(height) +
                                     " (sides must be 1.." + std::to_string(kMaxJpegSide) + ")");
}

void check_metadata(const std::vector<JpegSegment>& metadata) {
  for (const JpegSegment& segment : metadata) {
    if (!((segment.marker >= 0xE0 && segment.marker <= 0xEF) || segment.marker == 0xFE))
      fail(Errc::invalid_argument, "jpeg metadata marker " + std::to_string(segment.marker) + " is not APPn or COM");
    if (segment.payload.size() > kMaxSegmentPayload)
      fail(Errc::invalid_argument, "jpeg metadata segment of " + std::to_string(segment.payload.size()) +
                                       " bytes exceeds the 65533-byte segment limit");
  }
}

// TurboJPEG writes SOI, a JFIF APP0, then the tables and scans. The metadata goes after SOI when it brings
// its own APP0 (which then replaces the JFIF one: exactly one APP0), else after the JFIF APP0, keeping the
// usual JFIF-first layout.
std::vector<std::uint8_t> insert_metadata(const TjBuffer& jpeg, unsigned long size,
                                          const std::vector<JpegSegment>& metadata) {
  const std::uint8_t* data = jpeg.get();
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) fail(Errc::internal, "turbojpeg output has no SOI");
  std::size_t jfif_end = 2;
  if (size >= 6 && data[2] == 0xFF && data[3] == 0xE0)
    jfif_end = std::min<std::size_t>(size, 4 + ((data[4] << 8) | data[5]));
  const bool own_app0 =
      std::any_of(metadata.begin(), metadata.end(), [](const JpegSegment& s) { return s.marker == 0xE0; });

  std::size_t total = size;
  for (const JpegSegment& segment : metadata) total += 4 + segment.payload.size();
  std::vector<std::uint8_t> out;
  out.reserve(total);
  out.insert(out.end(), data, data + (own_app0 ? 2 : jfif_end));
  for (const JpegSegment& segment : metadata) {
    const std::size_t length = segment.payload.size() + 2;
    const std::uint8_t head[4] = {0xFF, segment.marker, static_cast<std::uint8_t>(length >> 8),
                                  static_cast<std::uint8_t>(length & 0xFF)};
    out.insert(out.end(), head, head + 4);
    out.insert(out.end(), segment.payload.begin(), segment.payload.end());
  }
  out.insert(out.end(), data + jfif_end, data + size);
  return out;
}

}  // namespace

YuvImage decode_jpeg_yuv(std::span<const std::uint8_t> bytes, const Limits& limits) {
  (void)parse_jpeg(bytes);
  TjHandle tj(tjInitDecompress());
  const Header header = read_header(tj, bytes, limits);
  // Planes of an RGB-coded (Adobe) JPEG would be R, G, B: the watermark must not mistake R for luma.
  if (header.colorspace != TJCS_YCbCr && header.colorspace != TJCS_GRAY)
    fail(Errc::unsupported_format, "jpeg: planar decoding needs YCbCr or gray data");

  YuvImage yuv;
  yuv.width = header.width;
  yuv.height = header.height;
  yuv.subsampling = header.subsampling;
  yuv.plane_count = header.subsampling == TJSAMP_GRAY ? 1 : 3;
  std::array<unsigned char*, 3> planes{};
  for (int i = 0; i < yuv.plane_count; ++i) {
    yuv.plane_width[i] = tjPlaneWidth(i, header.width, header.subsampling);
    yuv.plane_height[i] = tjPlaneHeight(i, header.height, header.subsampling);
    yuv.planes[i].resize(std::size_t(yuv.plane_width[i]) * std::size_t(yuv.plane_height[i]));
    planes[i] = yuv.planes[i].data();
  }
  check_decode(tjDecompressToYUVPlanes(tj.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), planes.data(),
                                       header.width, yuv.plane_width.data(), header.height, kDecodeFlags),
               tj);
  return yuv;
}

std::vector<std::uint8_t> encode_jpeg_yuv(const YuvImage& yuv, int quality, const std::vector<JpegSegment>& metadata) {
  check_quality(quality);
  check_metadata(metadata);
  check_size(yuv.width, yuv.height);
  if (yuv.subsampling < 0 || yuv.subsampling >= TJ_NUMSAMP)
    fail(Errc::invalid_argument, "yuv image has an unknown subsampling " + std::to_string(yuv.subsampling));
  const int plane_count = yuv.subsampling == TJSAMP_GRAY ? 1 : 3;
  if (yuv.plane_count != plane_count)
    fail(Errc::invalid_argument, "yuv image has " + std::to_string(yuv.plane_count) +
                                     " planes, its subsampling needs " + std::to_string(plane_count));
  std::array<const unsigned char*, 3> planes{};
  for (int i = 0; i < plane_count; ++i) {
    const int width = tjPlaneWidth(i, yuv.width, yuv.subsampling);
    const int height = tjPlaneHeight(i, yuv.height, yuv.subsampling);
    if (yuv.plane_width[i] != width || yuv.plane_height[i] != height ||
        yuv.planes[i].size() < std::size_t(width) * std::size_t(height))
      fail(Errc::invalid_argument, "yuv plane " + std::to_string(i) + " does not match the image size");
    planes[i] = yuv.planes[i].data();
  }
  TjHandle tj(tjInitCompress());
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  const int status = tjCompressFromYUVPlanes(tj.get(), planes.data(), yuv.width, yuv.plane_width.data(), yuv.height,
                                             yuv.subsampling, &jpeg, &size, quality, kEncodeFlags);
  const TjBuffer owned(jpeg);
  check_encode(status, tj);
  return insert_metadata(owned, size, metadata);
}

Image decode_jpeg(std::span<const std::uint8_t> bytes, const Limits& limits) {
  const JpegInfo info = parse_jpeg(bytes);
  TjHandle tj(tjInitDecompress());
  const Header header = read_header(tj, bytes, limits);
  const bool gray = info.components == 1;
  Image image(header.width, header.height, gray ? PixelFormat::gray8 : PixelFormat::rgb8);
  check_decode(tjDecompress2(tj.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), image.data(),
                             header.width, 0, header.height, gray ? TJPF_GRAY : TJPF_RGB, kDecodeFlags),
               tj);
  return image;
}

Image decode_jpeg_gray_scaled(std::span<const std::uint8_t> bytes, const Limits& limits, int min_short_side) {
  (void)parse_jpeg(bytes);
  TjHandle tj(tjInitDecompress());
  // The limit applies to the full size: progressive decoding keeps full-size coefficients whatever the scale.
  const Header header = read_header(tj, bytes, limits);
  int count = 0;
  const tjscalingfactor* factors = tjGetScalingFactors(&count);
  if (factors == nullptr) fail(Errc::internal, "turbojpeg: no scaling factors");
  int width = header.width;
  int height = header.height;
  for (int i = 0; i < count; ++i) {
    const tjscalingfactor factor = factors[i];
    if (factor.num > factor.denom) continue;  // enlarging
    const int scaled_width = TJSCALED(header.width, factor);
    const int scaled_height = TJSCALED(header.height, factor);
    if (std::min(scaled_width, scaled_height) >= min_short_side &&
        std::int64_t{scaled_width} * scaled_height < std::int64_t{width} * height) {
      width = scaled_width;
      height = scaled_height;
    }
  }
  // Given exactly a scaled size, TurboJPEG picks that scale; for YCbCr input libjpeg then skips the chroma IDCT.
  Image image(width, height, PixelFormat::gray8);
  check_decode(tjDecompress2(tj.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), image.data(), width, 0,
                             height, TJPF_GRAY, kDecodeFlags),
               tj);
  return image;
}

std::vector<std::uint8_t> encode_jpeg(const ImageView& image, int quality, bool chroma_subsampling,
                                      const std::vector<JpegSegment>& metadata) {
  check_view(image);
  check_quality(quality);
  check_metadata(metadata);
  check_size(image.width, image.height);
  if (image.stride > INT_MAX) fail(Errc::invalid_argument, "image stride does not fit TurboJPEG's int pitch");
  const int pixel_format = image.format == PixelFormat::gray8  ? TJPF_GRAY
                           : image.format == PixelFormat::rgb8 ? TJPF_RGB
                                                               : TJPF_RGBA;  // TurboJPEG ignores the alpha byte
  const int subsampling = image.format == PixelFormat::gray8 ? TJSAMP_GRAY
                          : chroma_subsampling               ? TJSAMP_420
                                                             : TJSAMP_444;
  TjHandle tj(tjInitCompress());
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  const int status = tjCompress2(tj.get(), image.data, image.width, static_cast<int>(image.stride), image.height,
                                 pixel_format, &jpeg, &size, subsampling, quality, kEncodeFlags);
  const TjBuffer owned(jpeg);
  check_encode(status, tj);
  return insert_metadata(owned, size, metadata);
}

}  // namespace provmark::codecs
