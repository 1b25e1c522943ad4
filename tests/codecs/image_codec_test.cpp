// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>
#include <turbojpeg.h>

#include <cmath>
#include <functional>
#include <string>

#include "codecs/compare.hpp"
#include "codecs/jpeg.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;

using test::error_code_of;

}  // namespace

TEST_SUITE("codecs/image_codec") {
  TEST_CASE("sniff_image_format tells JPEG from PNG by signature and refuses anything else") {
    CHECK(sniff_image_format(read_file(test::data_path("coffee.jpg"))) == ImageFormat::jpeg);
    CHECK(sniff_image_format(read_file(test::data_path("chelsea.png"))) == ImageFormat::png);
    for (const std::string_view other : {"", "\xFF\xD8", "GIF89a", "\x89PNG\r\n\x1a", "RIFF....WEBP"})
      CHECK(error_code_of([&] { (void)sniff_image_format(test::bytes_of(other)); }) == Errc::unsupported_format);
  }

  TEST_CASE("decode_image decodes every committed photo to its natural format") {
    struct Case {
      const char* name;
      int width, height;
      PixelFormat format;
    };
    for (const Case c :
         {Case{"chelsea.png", 320, 256, PixelFormat::rgb8}, Case{"coffee.jpg", 600, 400, PixelFormat::rgb8},
          Case{"camera_gray.png", 512, 512, PixelFormat::gray8}, Case{"rocket.jpg", 640, 427, PixelFormat::rgb8}}) {
      CAPTURE(std::string(c.name));
      const Image image = test::load_photo(c.name);
      CHECK(image.width() == c.width);
      CHECK(image.height() == c.height);
      CHECK(image.format() == c.format);
    }
  }

  TEST_CASE("decode_image applies the pixel and byte limits") {
    const auto jpeg = read_file(test::data_path("coffee.jpg"));
    const auto png = read_file(test::data_path("chelsea.png"));
    Limits pixels;
    pixels.max_pixels = 600 * 400 - 1;
    CHECK(error_code_of([&] { (void)decode_image(jpeg, pixels); }) == Errc::limit_exceeded);
    pixels.max_pixels = 320 * 256 - 1;
    CHECK(error_code_of([&] { (void)decode_image(png, pixels); }) == Errc::limit_exceeded);
    pixels.max_pixels = 320 * 256;
    CHECK(error_code_of([&] { (void)decode_image(png, pixels); }) == Errc::ok);
    Limits bytes;
    bytes.max_file_bytes = jpeg.size() - 1;
    CHECK(error_code_of([&] { (void)decode_image(jpeg, bytes); }) == Errc::limit_exceeded);
  }

  TEST_CASE("encode_jpeg follows the quality and chroma options") {
    const Image photo = test::load_photo("chelsea.png");
    const auto subsampled = encode_jpeg(photo.view(), {.quality = 70, .chroma_subsampling = true});
    const auto full = encode_jpeg(photo.view(), {.quality = 70, .chroma_subsampling = false});
    CHECK(codecs::parse_jpeg(subsampled).subsampling == TJSAMP_420);
    CHECK(codecs::parse_jpeg(full).subsampling == TJSAMP_444);
    CHECK(std::abs(codecs::parse_jpeg(full).estimated_quality - 70) <= 2);
    CHECK(test::psnr(decode_image(encode_jpeg(photo.view())).view(), photo.view()) > 35.0);
    for (int quality : {0, -5, 101})
      CHECK(error_code_of([&] { (void)encode_jpeg(photo.view(), {.quality = quality}); }) == Errc::invalid_argument);
    CHECK(error_code_of([&] { (void)encode_jpeg(ImageView{}); }) == Errc::invalid_argument);
  }

  TEST_CASE("encode_png is lossless through decode_image") {
    const Image photo = test::load_photo("camera_gray.png");
    const Image again = decode_image(encode_png(photo.view()));
    CHECK(std::isinf(test::psnr(again.view(), photo.view())));
    CHECK(error_code_of([&] { (void)encode_png(ImageView{}); }) == Errc::invalid_argument);
  }
}
