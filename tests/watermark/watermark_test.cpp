// SPDX-License-Identifier: Apache-2.0
// The image watermark through the public API: embed into pixels, attack, detect.
#include <doctest/doctest.h>

#include <limits>

#include <array>
#include <cmath>
#include <map>
#include <random>

#include "provmark/error.hpp"
#include "provmark/watermark.hpp"
#include "support/attacks.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;

namespace {


// A fixed key: a unit test must give the same answer on every run. The robustness over many keys is measured by
// the shared harness (bench/results), with a fresh key per run.
const WatermarkKey& test_key() {
  static const WatermarkKey key = WatermarkKey::parse(test::fixed_key_text());
  return key;
}

// The photos the robustness checks run on, decoded once.
const Image& photo(const std::string& name) {
  static std::map<std::string, Image> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, test::load_photo(name)).first;
  return it->second;
}

void check_found(const Image& attacked, const Payload& expected) {
  const DetectResult r = detect(attacked.view(), test_key());
  CAPTURE(attacked.width());
  CAPTURE(attacked.height());
  CHECK(r.found);
  CHECK(r.payload == expected);
  CHECK(r.false_alarm_probability < 1e-9);
}

}  // namespace

TEST_SUITE("watermark/image") {
  TEST_CASE("embed then detect returns the payload on real photos") {
    for (const std::string name : {"coffee.jpg", "rocket.jpg", "chelsea.png", "camera_gray.png"}) {
      CAPTURE(name);
      const Image& original = photo(name);
      const Payload payload = Payload::from_hex("00c0ffee12345678");
      const Image marked = embed(original.view(), payload, test_key());
      CHECK(test::psnr(original, marked) > 40.0);
      const DetectResult r = detect(marked.view(), test_key());
      CHECK(r.found);
      CHECK(r.payload == payload);
      CHECK(r.corrected_bits < r.coded_bits / 5);
      CHECK(r.false_alarm_probability < 1e-20);
    }
  }

  TEST_CASE("embed_into works in place on a padded RGBA buffer and leaves alpha and padding alone") {
    const Image& rgb = photo("coffee.jpg");
    const int stride = rgb.width() * 4 + 16;
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(stride) * rgb.height(), 0x5a);
    for (int y = 0; y < rgb.height(); ++y)
      for (int x = 0; x < rgb.width(); ++x) {
        std::uint8_t* p = buffer.data() + y * stride + x * 4;
        const std::uint8_t* s = rgb.data() + (static_cast<std::size_t>(y) * rgb.width() + x) * 3;
        p[0] = s[0], p[1] = s[1], p[2] = s[2], p[3] = 200;
      }
    const MutableImageView view{buffer.data(), rgb.width(), rgb.height(), stride, PixelFormat::rgba8};
    const Payload payload = Payload::from_u64(42);
    embed_into(view, payload, test_key());
    bool alpha_kept = true, padding_kept = true;
    for (int y = 0; y < rgb.height(); ++y) {
      for (int x = 0; x < rgb.width(); ++x) alpha_kept &= buffer[static_cast<std::size_t>(y * stride + x * 4 + 3)] == 200;
      for (int k = rgb.width() * 4; k < stride; ++k) padding_kept &= buffer[static_cast<std::size_t>(y * stride + k)] == 0x5a;
    }
    CHECK(alpha_kept);
    CHECK(padding_kept);
    const DetectResult r = detect(view, test_key());
    CHECK(r.found);
    CHECK(r.payload == payload);
  }

  TEST_CASE("embedding is deterministic") {
    const Image& original = photo("rocket.jpg");
    const Image a = embed(original.view(), Payload::from_u64(7), test_key());
    const Image b = embed(original.view(), Payload::from_u64(7), test_key());
    CHECK(std::equal(a.data(), a.data() + a.stride() * a.height(), b.data()));
  }

  TEST_CASE("unmarked photos and the wrong key find nothing") {
    const WatermarkKey other = WatermarkKey::generate();
    for (const std::string name : {"coffee.jpg", "rocket.jpg", "chelsea.png", "camera_gray.png"}) {
      CAPTURE(name);
      const Image& original = photo(name);
      const DetectResult clean = detect(original.view(), test_key());
      CHECK_FALSE(clean.found);
      const Image marked = embed(original.view(), Payload::from_u64(99), test_key());
      const DetectResult wrong = detect(marked.view(), other);
      CHECK_FALSE(wrong.found);
      CHECK(wrong.false_alarm_probability >= 1e-9);
    }
  }

  TEST_CASE("the mark survives JPEG at quality 50 and 30") {
    const Payload payload = Payload::from_u64(0xfeedface);
    for (const std::string name : {"coffee.jpg", "rocket.jpg"}) {
      CAPTURE(name);
      const Image marked = embed(photo(name).view(), payload, test_key());
      check_found(test::jpeg_roundtrip(marked, 50), payload);
      check_found(test::jpeg_roundtrip(marked, 30), payload);
    }
  }

  TEST_CASE("the mark survives scaling from 0.5x to 2x and a change of aspect") {
    const Payload payload = Payload::from_u64(0x5ca1ab1e);
    const Image marked = embed(photo("rocket.jpg").view(), payload, test_key());
    for (double f : {0.5, 0.75, 1.5, 2.0}) {
      CAPTURE(f);
      check_found(test::resize(marked, static_cast<int>(marked.width() * f), static_cast<int>(marked.height() * f)),
                  payload);
    }
    check_found(test::resize(marked, marked.width(), static_cast<int>(marked.height() * 0.8)), payload);
  }

  TEST_CASE("the mark survives cropping to a quarter of the area at random offsets") {
    const Payload payload = Payload::from_u64(0xc0ffee);
    const Image marked = embed(photo("rocket.jpg").view(), payload, test_key());
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 3; ++trial) {
      const int w = marked.width() / 2, h = marked.height() / 2;
      const int x0 = static_cast<int>(rng() % static_cast<std::uint64_t>(marked.width() - w));
      const int y0 = static_cast<int>(rng() % static_cast<std::uint64_t>(marked.height() - h));
      CAPTURE(x0);
      CAPTURE(y0);
      check_found(test::crop(marked, x0, y0, w, h), payload);
    }
  }

  TEST_CASE("the mark survives rotation and mirroring") {
    const Payload payload = Payload::from_u64(0x7077);
    const Image marked = embed(photo("coffee.jpg").view(), payload, test_key());
    for (double deg : {-10.0, 2.0, 10.0, 90.0}) {
      CAPTURE(deg);
      check_found(test::rotate(marked, deg), payload);
    }
    const DetectResult flipped = detect(test::mirror(marked).view(), test_key());
    CHECK(flipped.found);
    CHECK(flipped.mirrored);
    CHECK(flipped.payload == payload);
  }

  TEST_CASE("detect_any finds which key of a keyring marked the picture, as detect() does key by key") {
    const Payload payload = Payload::from_u64(0x6b657972);
    const std::array<std::uint8_t, 32> other_bytes{1, 2, 3};
    const std::vector<WatermarkKey> keyring{WatermarkKey::from_bytes(other_bytes), test_key(), WatermarkKey::generate()};
    const Image marked = embed(photo("coffee.jpg").view(), payload, keyring[1]);
    // Untouched (found at the embedding's geometry) and rotated (found by the geometric search).
    for (const Image& upload : {Image::copy_of(marked.view()), test::rotate(marked, 10.0)}) {
      const KeyringDetectResult r = detect_any(upload.view(), keyring);
      REQUIRE(r.key_index.has_value());
      CHECK(*r.key_index == 1);
      CHECK(r.result.payload == payload);
      const DetectResult alone = detect(upload.view(), keyring[1]);
      CHECK(alone.found);
      CHECK(alone.corrected_bits == r.result.corrected_bits);
      CHECK(alone.rotation_deg == doctest::Approx(r.result.rotation_deg));
    }
    CHECK_FALSE(detect_any(photo("coffee.jpg").view(), keyring).key_index.has_value());
    CHECK_FALSE(detect_any(marked.view(), {}).key_index.has_value());  // an empty keyring finds nothing
  }

  TEST_CASE("the mark survives a rescale followed by JPEG and noise") {
    const Payload payload = Payload::from_u64(0x1234);
    const Image marked = embed(photo("coffee.jpg").view(), payload, test_key());
    const Image small = test::resize(marked, marked.width() * 3 / 4, marked.height() * 3 / 4);
    check_found(test::jpeg_roundtrip(small, 50), payload);
    check_found(test::add_gaussian_noise(marked, 10.0, 3), payload);
  }

  TEST_CASE("bad arguments are typed errors") {
    const Image& original = photo("coffee.jpg");
    CHECK_THROWS_AS((void)embed(original.view(), Payload{}, test_key(), {.strength = 0}), Error);
    CHECK_THROWS_AS((void)embed(original.view(), Payload{}, test_key(), {.strength = 9}), Error);
    const Image tiny(32, 32, PixelFormat::rgb8);
    try {
      (void)embed(tiny.view(), Payload{}, test_key());
      FAIL("a 32x32 image was accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::invalid_argument);
    }
    CHECK_THROWS_AS((void)detect(ImageView{}, test_key()), Error);
    CHECK_FALSE(detect(tiny.view(), test_key()).found);
    // The false-alarm ceiling can be lowered, never raised.
    for (const double loose : {1e-3, 0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
      CAPTURE(loose);
      try {
        (void)detect(original.view(), test_key(), {.max_false_alarm = loose});
        FAIL("max_false_alarm accepted");
      } catch (const Error& e) {
        CHECK(e.code() == Errc::invalid_argument);
      }
    }
    CHECK_NOTHROW((void)detect(original.view(), test_key(), {.max_false_alarm = 1e-12}));
  }
}

TEST_SUITE("watermark/image") {
  TEST_CASE("degenerate pictures give no detection and no error") {
    const WatermarkKey key = WatermarkKey::generate();
    for (const auto& size : std::vector<std::pair<int, int>>{{16, 16}, {17, 300}, {300, 17}, {64, 64}, {900, 20}}) {
      const int w = size.first, h = size.second;  // named copies: clang 14 cannot capture structured bindings
      CAPTURE(w);
      CAPTURE(h);
      Image flat(w, h, PixelFormat::rgb8);
      CHECK_FALSE(detect(flat.view(), key).found);
      const Image noisy = test::add_gaussian_noise(flat, 40.0, 9);
      CHECK_FALSE(detect(noisy.view(), key).found);
    }
    Image white(200, 150, PixelFormat::gray8);
    std::fill(white.data(), white.data() + 200 * 150, std::uint8_t{255});
    CHECK_FALSE(detect(white.view(), key).found);
    embed_into(white.mutable_view(), Payload::from_u64(1), key);  // saturated: nothing to add, no error
  }
}
