// SPDX-License-Identifier: Apache-2.0
#include "codecs/png.hpp"

#include <doctest/doctest.h>
#include <png.h>
#include <zlib.h>

#include <cstring>
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

std::array<char, 4> type_of(const char* name) { return {name[0], name[1], name[2], name[3]}; }

void put_u32(Bytes& out, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

std::uint32_t get_u32(const Bytes& in, std::size_t at) {
  return (std::uint32_t{in[at]} << 24) | (std::uint32_t{in[at + 1]} << 16) | (std::uint32_t{in[at + 2]} << 8) |
         in[at + 3];
}

// One raw chunk with a correct CRC.
Bytes chunk(const char* type, const Bytes& data) {
  Bytes out(12 + data.size());
  put_u32(out, 0, static_cast<std::uint32_t>(data.size()));
  std::memcpy(&out[4], type, 4);
  std::copy(data.begin(), data.end(), out.begin() + 8);
  put_u32(out, 8 + data.size(), static_cast<std::uint32_t>(crc32(0, &out[4], static_cast<uInt>(4 + data.size()))));
  return out;
}

struct RawChunk {
  std::string type;
  std::size_t offset;  // of the length field
  std::size_t length;
};

std::vector<RawChunk> chunks_of(const Bytes& png) {
  std::vector<RawChunk> out;
  for (std::size_t pos = 8; pos + 12 <= png.size();) {
    const std::size_t length = get_u32(png, pos);
    out.push_back({std::string(reinterpret_cast<const char*>(&png[pos + 4]), 4), pos, length});
    pos += 12 + length;
  }
  return out;
}

Bytes concat_chunks(std::initializer_list<Bytes> chunks) {
  Bytes out;
  for (const Bytes& c : chunks) out.insert(out.end(), c.begin(), c.end());
  return out;
}

// `png` with `extra` chunks inserted right after IHDR (or right before IEND).
Bytes with_chunks(const Bytes& png, const std::vector<Bytes>& extra, bool before_iend = false) {
  const std::size_t at = before_iend ? png.size() - 12 : 8 + 25;
  Bytes out(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(at));
  for (const Bytes& c : extra) out.insert(out.end(), c.begin(), c.end());
  out.insert(out.end(), png.begin() + static_cast<std::ptrdiff_t>(at), png.end());
  return out;
}

// Anything libpng can write: bit depths, palettes, transparency, interlacing.
struct Spec {
  int width = 0;
  int height = 0;
  int bit_depth = 8;
  int color_type = PNG_COLOR_TYPE_RGB;
  bool interlaced = false;
  std::vector<png_color> palette;
  Bytes palette_alpha;
  int gray_transparent = -1;
  Bytes samples;  // packed rows as PNG stores them (big-endian 16-bit samples)
};

void append(png_structp png, png_bytep data, std::size_t length) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}

// Plain function: nothing with a destructor lives across libpng's longjmp.
bool libpng_write(const Spec& spec, png_bytepp rows, Bytes* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, append, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(spec.width), static_cast<png_uint_32>(spec.height), spec.bit_depth,
               spec.color_type, spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  if (!spec.palette_alpha.empty())
    png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()), nullptr);
  png_color_16 transparent{};
  transparent.gray = static_cast<png_uint_16>(spec.gray_transparent);
  if (spec.gray_transparent >= 0) png_set_tRNS(png, info, nullptr, 0, &transparent);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

Bytes write_png(Spec spec) {
  const int samples_per_pixel = spec.color_type == PNG_COLOR_TYPE_RGB          ? 3
                                : spec.color_type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
                                : spec.color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                                               : 1;
  const std::size_t row_bytes = (std::size_t(spec.width) * samples_per_pixel * spec.bit_depth + 7) / 8;
  REQUIRE(spec.samples.size() == row_bytes * spec.height);
  std::vector<png_bytep> rows;
  for (int y = 0; y < spec.height; ++y) rows.push_back(spec.samples.data() + y * row_bytes);
  Bytes out;
  REQUIRE(libpng_write(spec, rows.data(), &out));
  return out;
}

Image chelsea() { return test::load_photo("chelsea.png"); }

Image with_alpha(const Image& rgb) {
  Image rgba(rgb.width(), rgb.height(), PixelFormat::rgba8);
  for (std::size_t i = 0, n = std::size_t(rgb.width()) * rgb.height(); i < n; ++i) {
    std::memcpy(rgba.data() + 4 * i, rgb.data() + 3 * i, 3);
    rgba.data()[4 * i + 3] = static_cast<std::uint8_t>(i * 7);
  }
  return rgba;
}

bool same_pixels(const Image& a, const Image& b) {
  return a.width() == b.width() && a.height() == b.height() && a.format() == b.format() &&
         std::memcmp(a.data(), b.data(), std::size_t(a.stride()) * a.height()) == 0;
}

bool same_chunks(const std::vector<PngChunk>& a, const std::vector<PngChunk>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].type != b[i].type || a[i].data != b[i].data || a[i].after_idat != b[i].after_idat) return false;
  return true;
}

// A 3x2 palette image with 2-bit indices 0..3.
Spec palette_spec() {
  Spec spec;
  spec.width = 3;
  spec.height = 2;
  spec.bit_depth = 2;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}, {250, 251, 252}};
  spec.samples = {0b00'01'10'00, 0b11'10'01'00};  // rows: 0 1 2 | 3 2 1
  return spec;
}

}  // namespace

TEST_SUITE("codecs/png") {
  TEST_CASE("8-bit gray, rgb and rgba images survive encode and decode exactly") {
    const Image rgb = chelsea();
    REQUIRE(rgb.format() == PixelFormat::rgb8);
    const Image gray = test::load_photo("camera_gray.png");
    REQUIRE(gray.format() == PixelFormat::gray8);
    for (const Image* image : {&rgb, &gray})
      CHECK(same_pixels(decode_png(codecs::encode_png(image->view()), {}).image, *image));
    const Image rgba = with_alpha(rgb);
    CHECK(same_pixels(decode_png(codecs::encode_png(rgba.view()), {}).image, rgba));

    // A view with padded rows (a crop) encodes only its own pixels.
    const ImageView v = rgb.view();
    const ImageView cropped{v.data + 10 * v.stride + 20 * 3, 100, 50, v.stride, v.format};
    CHECK(same_pixels(decode_png(codecs::encode_png(cropped), {}).image, Image::copy_of(cropped)));
  }

  TEST_CASE("a real photo decodes with its ancillary chunks and their places") {
    const PngImage png = decode_png(read_file(test::data_path("chelsea.png")), {});
    CHECK(png.image.width() == 320);
    CHECK(png.image.height() == 256);
    REQUIRE(png.ancillary.size() == 3);
    CHECK(png.ancillary[0].type == type_of("iCCP"));
    CHECK(png.ancillary[1].type == type_of("pHYs"));
    CHECK(png.ancillary[2].type == type_of("iTXt"));
    for (const PngChunk& c : png.ancillary) CHECK_FALSE(c.after_idat);
  }

  TEST_CASE("tEXt, iTXt, eXIf and iCCP chunks survive decode and encode byte for byte, in order and place") {
    const PngImage source = decode_png(read_file(test::data_path("chelsea.png")), {});
    const std::vector<PngChunk> chunks = {
        {type_of("iCCP"), source.ancillary[0].data, false},
        {type_of("tEXt"), test::bytes_of(std::string_view("Comment\0made by provmark", 24)), false},
        {type_of("iTXt"), test::bytes_of(std::string_view("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>", 35)), false},
        {type_of("eXIf"), {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0}, false},
        {type_of("prVt"), {1, 2, 3}, false},
        {type_of("tEXt"), test::bytes_of(std::string_view("Author\0someone", 14)), true},
    };
    const Bytes encoded = codecs::encode_png(source.image.view(), chunks);
    std::string layout;  // chunk types in file order, runs of IDAT shown once
    for (const RawChunk& c : chunks_of(encoded))
      if (c.type != "IDAT" || !layout.ends_with("IDAT ")) layout += c.type + " ";
    CHECK(layout == "IHDR iCCP tEXt iTXt eXIf prVt IDAT tEXt IEND ");

    const PngImage decoded = decode_png(encoded, {});
    CHECK(same_chunks(decoded.ancillary, chunks));
    CHECK(same_pixels(decoded.image, source.image));
    CHECK(codecs::encode_png(decoded.image.view(), decoded.ancillary) == encoded);
  }

  TEST_CASE("chunks that describe the stored samples, and animation chunks, are dropped") {
    Spec spec = palette_spec();
    spec.palette_alpha = {255, 0, 128, 255};
    const Bytes text = chunk("tEXt", test::bytes_of(std::string_view("Title\0dots", 10)));
    Bytes png = write_png(spec);
    // libpng wrote IHDR PLTE tRNS; put sBIT and APNG's acTL before PLTE, bKGD and hIST after it, and a tEXt.
    png = with_chunks(png, {chunk("sBIT", {8, 8, 8}), text, chunk("acTL", {0, 0, 0, 1, 0, 0, 0, 0})});
    const std::size_t idat = [&] {
      for (const RawChunk& c : chunks_of(png))
        if (c.type == "IDAT") return c.offset;
      return std::size_t{0};
    }();
    const Bytes extra = concat_chunks({chunk("bKGD", {1}), chunk("hIST", {0, 1, 0, 2, 0, 2, 0, 1})});
    png.insert(png.begin() + static_cast<std::ptrdiff_t>(idat), extra.begin(), extra.end());

    const PngImage decoded = decode_png(png, {});
    REQUIRE(decoded.ancillary.size() == 1);
    CHECK(decoded.ancillary[0].type == type_of("tEXt"));
    CHECK(decoded.image.format() == PixelFormat::rgba8);
  }

  TEST_CASE("palette images expand to rgb8, or to rgba8 with transparency") {
    Spec spec = palette_spec();
    const Image rgb = decode_png(write_png(spec), {}).image;
    REQUIRE(rgb.format() == PixelFormat::rgb8);
    const Bytes expected_rgb = {10, 20, 30, 40, 50, 60, 70, 80, 90, 250, 251, 252, 70, 80, 90, 40, 50, 60};
    CHECK(Bytes(rgb.data(), rgb.data() + 18) == expected_rgb);

    spec.palette_alpha = {255, 0, 128};  // index 3 stays opaque
    const Image rgba = decode_png(write_png(spec), {}).image;
    REQUIRE(rgba.format() == PixelFormat::rgba8);
    const Bytes alpha = {rgba.data()[3],  rgba.data()[7],  rgba.data()[11],
                         rgba.data()[15], rgba.data()[19], rgba.data()[23]};
    CHECK(alpha == Bytes{255, 0, 128, 255, 128, 0});
  }

  TEST_CASE("16-bit samples are scaled to 8 bits") {
    Spec spec;
    spec.width = 2;
    spec.height = 1;
    spec.bit_depth = 16;
    spec.color_type = PNG_COLOR_TYPE_RGB;
    const std::vector<unsigned> values = {0,      65535,  200 * 257,
                                          0x12F0, 0x80FF, 0x7F00};  // 0x12F0: rounds, not truncates
    for (unsigned v : values) spec.samples.insert(spec.samples.end(), {std::uint8_t(v >> 8), std::uint8_t(v & 0xFF)});
    const Image image = decode_png(write_png(spec), {}).image;
    REQUIRE(image.format() == PixelFormat::rgb8);
    for (std::size_t i = 0; i < values.size(); ++i) {
      CAPTURE(values[i]);
      CHECK(image.data()[i] == std::lround(values[i] / 257.0));
    }
  }

  TEST_CASE("gray with alpha decodes to rgba8 and low bit depths expand to 8 bits") {
    Spec ga;
    ga.width = 2;
    ga.height = 1;
    ga.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
    ga.samples = {10, 200, 90, 255};
    const Image rgba = decode_png(write_png(ga), {}).image;
    REQUIRE(rgba.format() == PixelFormat::rgba8);
    CHECK(Bytes(rgba.data(), rgba.data() + 8) == Bytes{10, 10, 10, 200, 90, 90, 90, 255});

    Spec bits;
    bits.width = 8;
    bits.height = 1;
    bits.bit_depth = 1;
    bits.color_type = PNG_COLOR_TYPE_GRAY;
    bits.samples = {0b10110001};
    const Image gray = decode_png(write_png(bits), {}).image;
    REQUIRE(gray.format() == PixelFormat::gray8);
    CHECK(Bytes(gray.data(), gray.data() + 8) == Bytes{255, 0, 255, 255, 0, 0, 0, 255});

    bits.gray_transparent = 0;  // gray + tRNS becomes an alpha channel
    const Image keyed = decode_png(write_png(bits), {}).image;
    REQUIRE(keyed.format() == PixelFormat::rgba8);
    CHECK(keyed.data()[3] == 255);
    CHECK(keyed.data()[7] == 0);
  }

  TEST_CASE("a grey ICC profile is dropped only when grey is widened to rgba8") {
    const Bytes icc = chunk("iCCP", test::bytes_of(std::string_view("gray\0\0xyz", 9)));
    Spec gray;
    gray.width = 2;
    gray.height = 1;
    gray.color_type = PNG_COLOR_TYPE_GRAY;
    gray.samples = {1, 2};
    CHECK(decode_png(with_chunks(write_png(gray), {icc}), {}).ancillary.size() == 1);
    Spec ga = gray;
    ga.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
    ga.samples = {1, 255, 2, 255};
    CHECK(decode_png(with_chunks(write_png(ga), {icc}), {}).ancillary.empty());
  }

  TEST_CASE("an interlaced PNG decodes to the same pixels as a plain one") {
    const Image photo = chelsea();
    Spec spec;
    spec.width = photo.width();
    spec.height = photo.height();
    spec.samples.assign(photo.data(), photo.data() + std::size_t(photo.stride()) * photo.height());
    spec.interlaced = true;
    const Bytes interlaced = write_png(spec);
    CHECK(interlaced[8 + 8 + 12] == 1);  // IHDR interlace method
    CHECK(same_pixels(decode_png(interlaced, {}).image, photo));
  }

  TEST_CASE("hostile PNGs give typed errors") {
    const Bytes signature = {137, 80, 78, 71, 13, 10, 26, 10};
    auto ihdr = [](std::uint32_t width, std::uint32_t height, std::uint8_t depth, std::uint8_t color_type) {
      Bytes data(13, 0);
      put_u32(data, 0, width);
      put_u32(data, 4, height);
      data[8] = depth;
      data[9] = color_type;
      return chunk("IHDR", data);
    };
    auto png_of = [&](std::initializer_list<Bytes> chunks) {
      Bytes out = signature;
      for (const Bytes& c : chunks) out.insert(out.end(), c.begin(), c.end());
      return out;
    };
    Spec tiny;
    tiny.width = 2;
    tiny.height = 2;
    tiny.samples = Bytes(12, 77);
    const Bytes good = write_png(tiny);
    const RawChunk idat = chunks_of(good)[1];
    REQUIRE(idat.type == "IDAT");
    const Bytes idat_chunk(good.begin() + static_cast<std::ptrdiff_t>(idat.offset),
                           good.begin() + static_cast<std::ptrdiff_t>(idat.offset + 12 + idat.length));
    const Bytes iend = chunk("IEND", {});

    Bytes bad_crc = good;
    bad_crc[idat.offset + 8] ^= 0x01;
    Bytes bad_zlib = good;
    bad_zlib[idat.offset + 8] ^= 0xFF;  // zlib header
    put_u32(bad_zlib, idat.offset + 8 + idat.length,
            static_cast<std::uint32_t>(crc32(0, &bad_zlib[idat.offset + 4], static_cast<uInt>(4 + idat.length))));
    Bytes huge_length = good;
    put_u32(huge_length, idat.offset, 0x80000000u);

    struct Case {
      const char* name;
      Bytes bytes;
      Errc expected;
    };
    const std::vector<Case> cases = {
        {"empty", {}, Errc::malformed_input},
        {"signature only", signature, Errc::malformed_input},
        {"not a PNG", test::bytes_of("GIF89a..........."), Errc::malformed_input},
        {"60000x60000", png_of({ihdr(60000, 60000, 8, 2), idat_chunk, iend}), Errc::limit_exceeded},
        {"2^31 wide", png_of({ihdr(0x80000000u, 1, 8, 2), idat_chunk, iend}), Errc::malformed_input},
        {"width 0", png_of({ihdr(0, 2, 8, 2), idat_chunk, iend}), Errc::malformed_input},
        {"colour type 5", png_of({ihdr(2, 2, 8, 5), idat_chunk, iend}), Errc::malformed_input},
        {"bit depth 3", png_of({ihdr(2, 2, 3, 0), idat_chunk, iend}), Errc::malformed_input},
        {"IHDR not first", png_of({chunk("tEXt", {'a', 0, 'b'}), ihdr(2, 2, 8, 2), idat_chunk, iend}),
         Errc::malformed_input},
        {"two IHDRs", png_of({ihdr(2, 2, 8, 2), ihdr(2, 2, 8, 2), idat_chunk, iend}), Errc::malformed_input},
        {"no IDAT", png_of({ihdr(2, 2, 8, 2), iend}), Errc::malformed_input},
        {"no IEND", png_of({ihdr(2, 2, 8, 2), idat_chunk}), Errc::malformed_input},
        {"unknown critical chunk", png_of({ihdr(2, 2, 8, 2), chunk("CRIT", {1}), idat_chunk, iend}),
         Errc::malformed_input},
        {"invalid chunk type", png_of({ihdr(2, 2, 8, 2), chunk("t#Xt", {1}), idat_chunk, iend}), Errc::malformed_input},
        {"image data too short", png_of({ihdr(20, 20, 8, 2), idat_chunk, iend}), Errc::malformed_input},
        {"CRC mismatch", bad_crc, Errc::malformed_input},
        {"corrupt zlib stream", bad_zlib, Errc::malformed_input},
        {"chunk length 2^31", huge_length, Errc::malformed_input},
    };
    for (const Case& c : cases) {
      CAPTURE(std::string(c.name));
      CHECK(error_code_of([&] { (void)decode_png(c.bytes, {}); }) == c.expected);
    }
    Limits small;
    small.max_pixels = 3;
    CHECK(error_code_of([&] { (void)decode_png(good, small); }) == Errc::limit_exceeded);
  }

  TEST_CASE("truncated and corrupted PNGs give typed errors, never a crash") {
    const Image photo = chelsea();
    const ImageView v = photo.view();
    const Bytes png =
        codecs::encode_png(ImageView{v.data, 24, 16, v.stride, v.format}, {{type_of("tEXt"), {'k', 0, 'v'}, false}});
    for (std::size_t length = 0; length < png.size(); ++length) {
      CAPTURE(length);
      CHECK(error_code_of([&] { (void)decode_png({png.data(), length}, {}); }) == Errc::malformed_input);
    }
    // Flips inside the image data with the CRC repaired, so that libpng and zlib see them.
    const RawChunk idat = chunks_of(png)[2];
    REQUIRE(idat.type == "IDAT");
    std::uint32_t state = 99;
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int round = 0; round < 300; ++round) {
      Bytes corrupt = png;
      for (int flips = 1 + next() % 3; flips > 0; --flips)
        corrupt[idat.offset + 8 + next() % idat.length] = static_cast<std::uint8_t>(next() >> 24);
      put_u32(corrupt, idat.offset + 8 + idat.length,
              static_cast<std::uint32_t>(crc32(0, &corrupt[idat.offset + 4], static_cast<uInt>(4 + idat.length))));
      const Errc code = error_code_of([&] { (void)decode_png(corrupt, {}); });
      CHECK((code == Errc::ok || code == Errc::malformed_input));
    }
  }

  TEST_CASE("encode_png rejects bad views and critical chunk types") {
    const Image photo = chelsea();
    CHECK(error_code_of([&] { (void)codecs::encode_png(ImageView{}); }) == Errc::invalid_argument);
    CHECK(error_code_of([&] {
            (void)codecs::encode_png(photo.view(), {{type_of("IDAT"), {}, false}});
          }) == Errc::invalid_argument);
    CHECK(error_code_of([&] {
            (void)codecs::encode_png(photo.view(), {{type_of("te t"), {}, false}});
          }) == Errc::invalid_argument);
  }
}
