// SPDX-License-Identifier: Apache-2.0
// The known-answer values published in spec/test-vectors/image-watermark-v1.json: if this fails,
// either the code or the spec is wrong, and an independent implementation would disagree.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "crypto/keystream.hpp"
#include "provmark/watermark.hpp"
#include "watermark/layout.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using json = nlohmann::json;

namespace {

const json& vectors() {
  static const json v = test::spec_vectors("image-watermark-v1.json");
  return v;
}

WatermarkKey vector_key() { return test::key_from_hex(vectors()["key_hex"]); }

std::string bits_hex(const std::vector<std::uint8_t>& bits) {
  std::string out;
  static const char* digits = "0123456789abcdef";
  for (std::size_t i = 0; i < bits.size(); i += 4)
    out += digits[bits[i] << 3 | bits[i + 1] << 2 | bits[i + 2] << 1 | bits[i + 3]];
  return out;
}

// The synthetic picture of the vectors file (formula given there).
Image synthetic(int w, int h) {
  Image im(w, h, PixelFormat::rgb8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double v = 128 + 60 * std::sin(x * 0.3) * std::cos(y * 0.2) + ((x * 37 + y * 91) % 17) - 8;
      std::uint8_t* p = im.data() + (static_cast<std::size_t>(y) * w + x) * 3;
      p[0] = static_cast<std::uint8_t>(std::lround(v));
      p[1] = static_cast<std::uint8_t>(std::lround(v * 0.8 + 20));
      p[2] = static_cast<std::uint8_t>((x + y) % 256);
    }
  return im;
}

}  // namespace

TEST_SUITE("watermark/vectors") {
  TEST_CASE("the keystream matches the published words") {
    const auto& ks = vectors()["keystream"];
    const WatermarkKey key = vector_key();
    crypto::KeyStream stream(key.bytes(), "pmwmlay1", ks["subkey_id"].get<std::uint64_t>());
    for (const auto& word : ks["first_u32"]) CHECK(stream.next_u32() == word.get<std::uint32_t>());
  }

  TEST_CASE("the keyed layout matches the published bins and phases") {
    const auto& lv = vectors()["layout"];
    const wm::Layout layout = wm::make_layout(vector_key());
    CHECK(wm::annulus_bins().size() == lv["annulus_bins"].get<std::size_t>());
    CHECK(layout.data.size() == lv["data_bins"].get<std::size_t>());
    CHECK(layout.sync.size() == lv["sync_bins"].get<std::size_t>());
    auto check = [](const wm::Bin& b, const json& e) {
      CHECK(b.u == e[0].get<int>());
      CHECK(b.v == e[1].get<int>());
      CHECK(b.phase == doctest::Approx(e[2].get<double>()).epsilon(1e-5));
    };
    for (std::size_t i = 0; i < lv["first_data"].size(); ++i) check(layout.data[i], lv["first_data"][i]);
    for (std::size_t i = 0; i < lv["first_sync"].size(); ++i) check(layout.sync[i], lv["first_sync"][i]);
  }

  TEST_CASE("payload coding and the tile match the published values") {
    const Payload payload = Payload::from_hex(vectors()["payload_hex"].get<std::string>());
    const std::vector<std::uint8_t> coded = wm::encode_payload(payload);
    CHECK(bits_hex(coded) == vectors()["coded_bits_hex"].get<std::string>());
    const dsp::Plane tile = wm::make_tile(wm::make_layout(vector_key()), coded);
    for (const auto& s : vectors()["tile_samples"])
      CHECK(tile.at(s[0].get<int>(), s[1].get<int>()) == doctest::Approx(s[2].get<double>()).epsilon(1e-4));
  }

  TEST_CASE("embedding the synthetic image gives the published pixels and detects") {
    const auto& sv = vectors()["synthetic_image"];
    const Image original = synthetic(sv["width"].get<int>(), sv["height"].get<int>());
    const Payload payload = Payload::from_hex(vectors()["payload_hex"].get<std::string>());
    const Image marked = embed(original.view(), payload, vector_key());
    const int tolerance = sv["pixel_tolerance"].get<int>();
    for (const auto& p : sv["embedded_pixels"]) {
      const int x = p[0].get<int>(), y = p[1].get<int>();
      CAPTURE(x);
      CAPTURE(y);
      for (int c = 0; c < 3; ++c)
        CHECK(std::abs(marked.data()[(static_cast<std::size_t>(y) * marked.width() + x) * 3 + c] - p[2 + c].get<int>()) <=
              tolerance);
    }
    const DetectResult r = detect(marked.view(), vector_key());
    CHECK(r.found);
    CHECK(r.payload == payload);
  }
}
