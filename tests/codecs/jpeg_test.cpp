// SPDX-License-Identifier: Apache-2.0
#include "codecs/jpeg.hpp"

#include <doctest/doctest.h>
#include <turbojpeg.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "codecs/compare.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using namespace provmark::codecs;
using Bytes = std::vector<std::uint8_t>;

using test::error_code_of;

Bytes segment(std::uint8_t marker, const Bytes& payload) {
  Bytes out(payload.size() + 4);
  out[0] = 0xFF;
  out[1] = marker;
  out[2] = static_cast<std::uint8_t>((payload.size() + 2) >> 8);
  out[3] = static_cast<std::uint8_t>((payload.size() + 2) & 0xFF);
  std::copy(payload.begin(), payload.end(), out.begin() + 4);
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

const Bytes kSoi = {0xFF, 0xD8};

// A frame header: `components` entries of {id, HV factors, table}.
Bytes sof(std::uint8_t marker, int precision, int height, int width, const std::vector<Bytes>& components) {
  Bytes p = {static_cast<std::uint8_t>(precision),     static_cast<std::uint8_t>(height >> 8),
             static_cast<std::uint8_t>(height & 0xFF), static_cast<std::uint8_t>(width >> 8),
             static_cast<std::uint8_t>(width & 0xFF),  static_cast<std::uint8_t>(components.size())};
  for (const Bytes& c : components) p.insert(p.end(), c.begin(), c.end());
  return segment(marker, p);
}

Bytes dqt(int id, int value) {
  Bytes p(65, static_cast<std::uint8_t>(value));
  p[0] = static_cast<std::uint8_t>(id);
  return segment(0xDB, p);
}

const Bytes kSos = segment(0xDA, {0x01, 0x01, 0x00, 0x00, 0x3F, 0x00});
const std::vector<Bytes> kYcc420 = {{1, 0x22, 0}, {2, 0x11, 1}, {3, 0x11, 1}};

// Offset of the first segment with `marker` in a well-formed JPEG (segments only, up to SOS).
std::size_t find_segment(const Bytes& jpeg, std::uint8_t marker) {
  std::size_t pos = 2;
  while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xFF) {
    if (jpeg[pos + 1] == marker) return pos;
    pos += 2 + ((jpeg[pos + 2] << 8) | jpeg[pos + 3]);
  }
  FAIL("marker not found");
  return 0;
}

bool same_segments(const std::vector<JpegSegment>& a, const std::vector<JpegSegment>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].marker != b[i].marker || a[i].payload != b[i].payload) return false;
  return true;
}

int count_markers(const std::vector<JpegSegment>& segments, std::uint8_t marker) {
  int n = 0;
  for (const JpegSegment& s : segments) n += s.marker == marker ? 1 : 0;
  return n;
}

Image coffee() { return test::load_photo("coffee.jpg"); }

ImageView crop(const Image& image, int x, int y, int width, int height) {
  const ImageView v = image.view();
  return {v.data + y * v.stride + x * channels(v.format), width, height, v.stride, v.format};
}

// Planes in any TurboJPEG subsampling, from RGB (test-only use of the TurboJPEG colour converter).
YuvImage planes_of(const Image& rgb, int subsampling) {
  YuvImage yuv;
  yuv.width = rgb.width();
  yuv.height = rgb.height();
  yuv.subsampling = subsampling;
  yuv.plane_count = subsampling == TJSAMP_GRAY ? 1 : 3;
  unsigned char* planes[3] = {};
  for (int i = 0; i < yuv.plane_count; ++i) {
    yuv.plane_width[i] = tjPlaneWidth(i, rgb.width(), subsampling);
    yuv.plane_height[i] = tjPlaneHeight(i, rgb.height(), subsampling);
    yuv.planes[i].resize(std::size_t(yuv.plane_width[i]) * yuv.plane_height[i]);
    planes[i] = yuv.planes[i].data();
  }
  tjhandle tj = tjInitCompress();
  const int status = tjEncodeYUVPlanes(tj, rgb.data(), rgb.width(), 0, rgb.height(), TJPF_RGB, planes,
                                       yuv.plane_width.data(), subsampling, 0);
  tjDestroy(tj);
  REQUIRE(status == 0);
  return yuv;
}

// The metadata of a typical camera JPEG: EXIF, XMP, an ICC profile (the real one from rocket.jpg) and a comment.
std::vector<JpegSegment> camera_metadata() {
  Bytes exif = test::bytes_of(std::string_view("Exif\0\0II*\0\x08\0\0\0\0\0\0\0\0\0", 20));
  Bytes xmp = test::bytes_of(std::string_view("http://ns.adobe.com/xap/1.0/\0", 29));
  const Bytes packet = test::bytes_of("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF/></x:xmpmeta>");
  xmp.insert(xmp.end(), packet.begin(), packet.end());
  const JpegInfo rocket = parse_jpeg(read_file(test::data_path("rocket.jpg")));
  REQUIRE(count_markers(rocket.metadata, 0xE2) == 1);
  Bytes icc;
  for (const JpegSegment& s : rocket.metadata)
    if (s.marker == 0xE2) icc = s.payload;
  return {{0xE1, exif}, {0xE1, xmp}, {0xE2, icc}, {0xFE, test::bytes_of("made by the provmark tests")}};
}

}  // namespace

TEST_SUITE("codecs/jpeg") {
  TEST_CASE("parse_jpeg reads the header and metadata of a camera JPEG without decoding it") {
    const JpegInfo info = parse_jpeg(read_file(test::data_path("rocket.jpg")));
    CHECK(info.width == 640);
    CHECK(info.height == 427);
    CHECK(info.components == 3);
    CHECK(info.subsampling == TJSAMP_444);
    CHECK_FALSE(info.progressive);
    REQUIRE(info.metadata.size() == 3);
    CHECK(info.metadata[0].marker == 0xE0);  // JFIF
    CHECK(info.metadata[1].marker == 0xE2);  // ICC profile
    CHECK(info.metadata[2].marker == 0xFE);  // comment
    const std::string comment(info.metadata[2].payload.begin(), info.metadata[2].payload.end());
    CHECK(comment.starts_with("cmp3.10"));
  }

  TEST_CASE("the quality estimate is within 2 of the quality TurboJPEG encoded with") {
    const Image photo = coffee();
    for (int quality : {30, 50, 75, 90, 95}) {
      for (bool subsampled : {true, false}) {
        CAPTURE(quality);
        CAPTURE(subsampled);
        const JpegInfo info = parse_jpeg(encode_jpeg(photo.view(), quality, subsampled));
        CHECK(std::abs(info.estimated_quality - quality) <= 2);
      }
    }
  }

  TEST_CASE("the quality estimate reads 16-bit quantization tables too") {
    Bytes jpeg = encode_jpeg(coffee().view(), 75, true);
    // Rewrite the 8-bit luma table (the first DQT table TurboJPEG writes) as a 16-bit one.
    const std::size_t at = find_segment(jpeg, 0xDB);
    const std::size_t length = (jpeg[at + 2] << 8) | jpeg[at + 3];
    Bytes table = {0x10};
    for (int k = 0; k < 64; ++k) table.insert(table.end(), {0x00, jpeg[at + 5 + k]});
    Bytes rest(jpeg.begin() + static_cast<std::ptrdiff_t>(at + 5 + 64),
               jpeg.begin() + static_cast<std::ptrdiff_t>(at + 2 + length));
    Bytes payload = table;
    payload.insert(payload.end(), rest.begin(), rest.end());
    Bytes patched(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(at));
    const Bytes dqt16 = segment(0xDB, payload);
    patched.insert(patched.end(), dqt16.begin(), dqt16.end());
    patched.insert(patched.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(at + 2 + length), jpeg.end());
    CHECK(std::abs(parse_jpeg(patched).estimated_quality - 75) <= 2);
  }

  TEST_CASE("parse_jpeg and decode_jpeg_yuv report each subsampling TurboJPEG can write") {
    const Image photo = Image::copy_of(crop(coffee(), 100, 50, 203, 117));  // odd sizes: padded planes
    for (int subsampling : {TJSAMP_444, TJSAMP_422, TJSAMP_420, TJSAMP_440, TJSAMP_411, TJSAMP_GRAY}) {
      CAPTURE(subsampling);
      const YuvImage source = planes_of(photo, subsampling);
      const Bytes jpeg = encode_jpeg_yuv(source, 92, {});
      const JpegInfo info = parse_jpeg(jpeg);
      CHECK(info.subsampling == subsampling);
      CHECK(info.components == (subsampling == TJSAMP_GRAY ? 1 : 3));
      CHECK(info.width == 203);
      CHECK(info.height == 117);

      const YuvImage decoded = decode_jpeg_yuv(jpeg, {});
      CHECK(decoded.subsampling == subsampling);
      REQUIRE(decoded.plane_count == source.plane_count);
      for (int i = 0; i < decoded.plane_count; ++i) {
        CHECK(decoded.plane_width[i] == source.plane_width[i]);
        CHECK(decoded.plane_height[i] == source.plane_height[i]);
        CHECK(test::plane_psnr(decoded.planes[i].data(), source.planes[i].data(), source.plane_width[i],
                               source.plane_height[i], source.plane_width[i]) > 36.0);
      }
    }
  }

  TEST_CASE("a progressive JPEG is recognised and decodes") {
    const Image photo = coffee();
    tjhandle tj = tjInitCompress();
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    const int status = tjCompress2(tj, photo.data(), photo.width(), 0, photo.height(), TJPF_RGB, &buffer, &size,
                                   TJSAMP_420, 85, TJFLAG_PROGRESSIVE);
    const Bytes jpeg(buffer, buffer + size);
    tjFree(buffer);
    tjDestroy(tj);
    REQUIRE(status == 0);
    CHECK(parse_jpeg(jpeg).progressive);
    const Image decoded = decode_jpeg(jpeg, {});
    CHECK(test::psnr(decoded.view(), photo.view()) > 33.0);
  }

  TEST_CASE("metadata segments survive a planar decode and re-encode byte for byte and in order") {
    const std::vector<JpegSegment> metadata = camera_metadata();
    const Bytes original = encode_jpeg(coffee().view(), 90, true, metadata);
    const JpegInfo info = parse_jpeg(original);
    // TurboJPEG's JFIF APP0 stays first when the metadata brings no APP0.
    REQUIRE(info.metadata.size() == metadata.size() + 1);
    CHECK(info.metadata[0].marker == 0xE0);
    CHECK(same_segments({info.metadata.begin() + 1, info.metadata.end()}, metadata));

    YuvImage yuv = decode_jpeg_yuv(original, {});
    for (std::uint8_t& y : yuv.planes[0]) y = static_cast<std::uint8_t>(y ^ 1);  // a tiny change, like a watermark
    const Bytes reencoded = encode_jpeg_yuv(yuv, info.estimated_quality, info.metadata);
    const JpegInfo again = parse_jpeg(reencoded);
    CHECK(same_segments(again.metadata, info.metadata));
    CHECK(count_markers(again.metadata, 0xE0) == 1);
    CHECK(again.estimated_quality == info.estimated_quality);
    CHECK(again.subsampling == TJSAMP_420);
  }

  TEST_CASE("an APP0 in the metadata replaces TurboJPEG's JFIF segment right after SOI") {
    const Bytes jfif_300dpi = {'J', 'F', 'I', 'F', 0, 1, 2, 1, 0x01, 0x2C, 0x01, 0x2C, 0, 0};
    const Bytes jpeg = encode_jpeg(coffee().view(), 80, false, {{0xE0, jfif_300dpi}, {0xFE, test::bytes_of("hi")}});
    CHECK(jpeg[2] == 0xFF);
    CHECK(jpeg[3] == 0xE0);
    const JpegInfo info = parse_jpeg(jpeg);
    REQUIRE(info.metadata.size() == 2);
    CHECK(info.metadata[0].payload == jfif_300dpi);
    CHECK(count_markers(info.metadata, 0xE0) == 1);
  }

  TEST_CASE("encoding rejects metadata that cannot be a JPEG segment") {
    const Image photo = coffee();
    CHECK(error_code_of([&] {
            (void)encode_jpeg(photo.view(), 90, true, {{0xE1, Bytes(65534, 0)}});
          }) == Errc::invalid_argument);
    CHECK(error_code_of([&] { (void)encode_jpeg(photo.view(), 90, true, {{0xE1, Bytes(65533, 0)}}); }) == Errc::ok);
    CHECK(error_code_of([&] {
            (void)encode_jpeg(photo.view(), 90, true, {{0xDB, Bytes(4, 0)}});
          }) == Errc::invalid_argument);
  }

  TEST_CASE("the Adobe APP14 colour-transform segment is not reported as metadata") {
    const Bytes adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1};
    const JpegInfo info = parse_jpeg(encode_jpeg(coffee().view(), 80, true, {{0xEE, adobe}, {0xEE, {'X'}}}));
    CHECK(count_markers(info.metadata, 0xEE) == 1);  // only the non-Adobe APP14
  }

  TEST_CASE("decode_jpeg gives rgb8 close to the source and gray8 for gray JPEGs") {
    const Image photo = coffee();
    REQUIRE(photo.format() == PixelFormat::rgb8);
    CHECK(photo.width() == 600);
    CHECK(photo.height() == 400);
    const Image color = decode_jpeg(encode_jpeg(photo.view(), 95, false), {});
    CHECK(color.format() == PixelFormat::rgb8);
    CHECK(test::psnr(color.view(), photo.view()) > 38.0);

    const Image camera = test::load_photo("camera_gray.png");
    const Bytes gray_jpeg = encode_jpeg(camera.view(), 90, true);
    const JpegInfo info = parse_jpeg(gray_jpeg);
    CHECK(info.components == 1);
    CHECK(info.subsampling == TJSAMP_GRAY);
    const Image gray = decode_jpeg(gray_jpeg, {});
    CHECK(gray.format() == PixelFormat::gray8);
    CHECK(test::psnr(gray.view(), camera.view()) > 36.0);
  }

  TEST_CASE("rgba8 encodes with its alpha ignored") {
    const Image photo = coffee();
    Image rgba(photo.width(), photo.height(), PixelFormat::rgba8);
    for (std::size_t i = 0, n = std::size_t(photo.width()) * photo.height(); i < n; ++i) {
      for (int c = 0; c < 3; ++c) rgba.data()[4 * i + c] = photo.data()[3 * i + c];
      rgba.data()[4 * i + 3] = static_cast<std::uint8_t>(i);
    }
    const Bytes a = encode_jpeg(rgba.view(), 90, true);
    const Bytes b = encode_jpeg(photo.view(), 90, true);
    CHECK(a == b);
  }

  TEST_CASE("decode_jpeg_gray_scaled picks the smallest scale whose short side stays large enough") {
    const Bytes jpeg = read_file(test::data_path("coffee.jpg"));  // 600x400
    struct Case {
      int min_short_side, width, height;
    };
    for (const Case c : {Case{0, 75, 50}, Case{50, 75, 50}, Case{51, 150, 100}, Case{100, 150, 100},
                         Case{101, 225, 150}, Case{300, 450, 300}, Case{351, 600, 400}, Case{5000, 600, 400}}) {
      CAPTURE(c.min_short_side);
      const Image gray = decode_jpeg_gray_scaled(jpeg, {}, c.min_short_side);
      CHECK(gray.format() == PixelFormat::gray8);
      CHECK(gray.width() == c.width);
      CHECK(gray.height() == c.height);
    }
    // At full size the result is the luma of the colour decode (up to rounding and RGB clipping).
    const Image gray = decode_jpeg_gray_scaled(jpeg, {}, 400);
    const Image color = decode_jpeg(jpeg, {});
    const std::size_t n = std::size_t(gray.width()) * gray.height();
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint8_t* rgb = color.data() + 3 * i;
      total += std::abs(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] - gray.data()[i]);
    }
    CHECK(total / double(n) < 1.0);
  }

  TEST_CASE("fill bytes, stray bytes and standalone markers between segments are tolerated") {
    const Bytes jpeg = encode_jpeg(coffee().view(), 80, true);
    const std::size_t at = find_segment(jpeg, 0xDB);
    Bytes padded(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(at));
    padded.insert(padded.end(), {0xFF, 0x01, 0x00, 0x17, 0xFF, 0xFF, 0xFF});  // TEM, 2 stray bytes, fill bytes
    padded.insert(padded.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(at + 1), jpeg.end());
    const JpegInfo info = parse_jpeg(padded);
    CHECK(info.width == 600);
    CHECK(info.estimated_quality == parse_jpeg(jpeg).estimated_quality);
    CHECK(decode_jpeg(padded, {}).width() == 600);
  }

  TEST_CASE("hostile headers give typed errors") {
    struct Case {
      const char* name;
      Bytes bytes;
      Errc expected;
    };
    const Bytes good_sof = sof(0xC0, 8, 16, 16, kYcc420);
    const std::vector<Case> cases = {
        {"empty", {}, Errc::malformed_input},
        {"not a JPEG", test::bytes_of("GIF89a"), Errc::malformed_input},
        {"SOI only", kSoi, Errc::malformed_input},
        {"segment length 0", concat({kSoi, {0xFF, 0xE0, 0x00, 0x00}}), Errc::malformed_input},
        {"segment length 1", concat({kSoi, {0xFF, 0xE0, 0x00, 0x01}}), Errc::malformed_input},
        {"length past the end", concat({kSoi, {0xFF, 0xE1, 0xFF, 0xF0, 'E', 'x'}}), Errc::malformed_input},
        {"length cut off", concat({kSoi, {0xFF, 0xE1, 0x00}}), Errc::malformed_input},
        {"EOI before the scan", concat({kSoi, dqt(0, 1), good_sof, {0xFF, 0xD9}}), Errc::malformed_input},
        {"no SOF", concat({kSoi, dqt(0, 1), kSos}), Errc::malformed_input},
        {"no DQT", concat({kSoi, good_sof, kSos}), Errc::malformed_input},
        {"two SOFs", concat({kSoi, dqt(0, 1), good_sof, good_sof, kSos}), Errc::malformed_input},
        {"no SOS", concat({kSoi, dqt(0, 1), good_sof}), Errc::malformed_input},
        {"truncated DQT", concat({kSoi, segment(0xDB, {0x00, 1, 2, 3})}), Errc::malformed_input},
        {"DQT id 5", concat({kSoi, segment(0xDB, Bytes(65, 5))}), Errc::malformed_input},
        {"unknown marker", concat({kSoi, segment(0xF3, {1, 2})}), Errc::malformed_input},
        {"width 0", concat({kSoi, dqt(0, 1), sof(0xC0, 8, 16, 0, kYcc420), kSos}), Errc::malformed_input},
        {"height 0", concat({kSoi, dqt(0, 1), sof(0xC0, 8, 0, 16, kYcc420), kSos}), Errc::malformed_input},
        {"0 components", concat({kSoi, dqt(0, 1), sof(0xC0, 8, 16, 16, {}), kSos}), Errc::malformed_input},
        {"SOF length mismatch", concat({kSoi, segment(0xC0, {8, 0, 16, 0, 16, 3, 1, 0x11, 0})}), Errc::malformed_input},
        {"sampling factor 0", concat({kSoi, dqt(0, 1), sof(0xC0, 8, 16, 16, {{1, 0x01, 0}}), kSos}),
         Errc::malformed_input},
        {"5 components",
         concat({kSoi, dqt(0, 1),
                 sof(0xC0, 8, 16, 16, {{1, 0x11, 0}, {2, 0x11, 0}, {3, 0x11, 0}, {4, 0x11, 0}, {5, 0x11, 0}}), kSos}),
         Errc::unsupported_format},
        {"CMYK",
         concat(
             {kSoi, dqt(0, 1), sof(0xC0, 8, 16, 16, {{1, 0x11, 0}, {2, 0x11, 0}, {3, 0x11, 0}, {4, 0x11, 0}}), kSos}),
         Errc::unsupported_format},
        {"12-bit", concat({kSoi, dqt(0, 1), sof(0xC1, 12, 16, 16, kYcc420), kSos}), Errc::unsupported_format},
        {"arithmetic coding", concat({kSoi, dqt(0, 1), sof(0xC9, 8, 16, 16, kYcc420), kSos}), Errc::unsupported_format},
        {"lossless", concat({kSoi, dqt(0, 1), sof(0xC3, 8, 16, 16, kYcc420), kSos}), Errc::unsupported_format},
        {"odd sampling",
         concat({kSoi, dqt(0, 1), sof(0xC0, 8, 16, 16, {{1, 0x31, 0}, {2, 0x11, 1}, {3, 0x11, 1}}), kSos}),
         Errc::unsupported_format},
    };
    for (const Case& c : cases) {
      CAPTURE(std::string(c.name));
      CHECK(error_code_of([&] { (void)parse_jpeg(c.bytes); }) == c.expected);
      CHECK(error_code_of([&] { (void)decode_jpeg(c.bytes, {}); }) == c.expected);
    }
  }

  TEST_CASE("a header claiming 60000x60000 fails with limit_exceeded before any pixel exists") {
    Bytes jpeg = encode_jpeg(crop(coffee(), 0, 0, 32, 32), 80, true);
    const std::size_t at = find_segment(jpeg, 0xC0);
    for (std::size_t i : {at + 5, at + 7}) {
      jpeg[i] = 60000 >> 8;
      jpeg[i + 1] = 60000 & 0xFF;
    }
    CHECK(parse_jpeg(jpeg).width == 60000);
    CHECK(error_code_of([&] { (void)decode_jpeg(jpeg, {}); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)decode_jpeg_yuv(jpeg, {}); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)decode_jpeg_gray_scaled(jpeg, {}, 64); }) == Errc::limit_exceeded);
    Limits small;
    small.max_pixels = 32 * 32 - 1;
    CHECK(error_code_of([&] { (void)decode_jpeg(encode_jpeg(crop(coffee(), 0, 0, 32, 32), 80, true), small); }) ==
          Errc::limit_exceeded);
  }

  TEST_CASE("truncated and corrupted JPEGs give a typed error or a picture, never a crash") {
    const Bytes jpeg = encode_jpeg(crop(coffee(), 200, 100, 40, 24), 85, true, camera_metadata());
    Limits limits;
    limits.max_pixels = 1 << 16;  // corrupt sizes must not turn into big decodes
    auto decode_all = [&limits](const Bytes& bytes) {
      for (const auto& call : std::initializer_list<std::function<void()>>{
               [&] { (void)parse_jpeg(bytes); }, [&] { (void)decode_jpeg(bytes, limits); },
               [&] { (void)decode_jpeg_yuv(bytes, limits); },
               [&] { (void)decode_jpeg_gray_scaled(bytes, limits, 8); }}) {
        const Errc code = error_code_of(call);
        CHECK((code == Errc::ok || code == Errc::malformed_input || code == Errc::unsupported_format ||
               code == Errc::limit_exceeded));
      }
    };
    for (std::size_t length = 0; length < jpeg.size(); ++length)
      decode_all(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(length)));

    std::uint32_t state = 12345;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int round = 0; round < 400; ++round) {
      Bytes corrupt = jpeg;
      for (int flips = 1 + next() % 4; flips > 0; --flips)
        corrupt[next() % corrupt.size()] = static_cast<std::uint8_t>(next() >> 24);
      decode_all(corrupt);
    }
  }

  TEST_CASE("encoding rejects bad views, qualities and sizes") {
    const Image photo = coffee();
    CHECK(error_code_of([&] { (void)encode_jpeg(photo.view(), 0, true); }) == Errc::invalid_argument);
    CHECK(error_code_of([&] { (void)encode_jpeg(photo.view(), 101, true); }) == Errc::invalid_argument);
    CHECK(error_code_of([&] { (void)encode_jpeg(ImageView{}, 90, true); }) == Errc::invalid_argument);
    const Bytes wide(70000 * 3, 0);
    CHECK(error_code_of([&] {
            (void)encode_jpeg(ImageView{wide.data(), 70000, 1, 70000 * 3, PixelFormat::rgb8}, 90, true);
          }) == Errc::invalid_argument);
    YuvImage yuv = planes_of(photo, TJSAMP_420);
    yuv.planes[1].resize(10);
    CHECK(error_code_of([&] { (void)encode_jpeg_yuv(yuv, 90, {}); }) == Errc::invalid_argument);
    yuv.plane_count = 1;
    CHECK(error_code_of([&] { (void)encode_jpeg_yuv(yuv, 90, {}); }) == Errc::invalid_argument);
  }
}
