// SPDX-License-Identifier: Apache-2.0
// The known-answer values published in spec/test-vectors/audio-watermark-v2.json: if this fails, either the code or
// the spec is wrong, and an independent implementation would disagree.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>

#include "provmark/audio_watermark.hpp"
#include "support/test_data.hpp"
#include "watermark/audio_layout.hpp"
#include "watermark/audio_signal.hpp"

using namespace provmark;
using json = nlohmann::json;

namespace {

const json& vectors() {
  static const json v = test::spec_vectors("audio-watermark-v2.json");
  return v;
}

WatermarkKey vector_key() { return test::key_from_hex(vectors()["key_hex"]); }

// The synthetic signal of the vectors file (formula given there).
Audio synthetic() {
  Audio a(80000, 1, 8000);
  for (std::size_t n = 0; n < a.frames(); ++n) {
    const double t = static_cast<double>(n) / 8000;
    a.samples()[n] = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 440 * t) +
                                        0.2 * std::sin(2 * std::numbers::pi * 1234.5 * t + 0.3) +
                                        0.05 * (static_cast<double>((n * 7919) % 1000) / 500 - 1));
  }
  return a;
}

// L of one slot (§3), on the embedding grid.
std::array<double, wm::audio::bands> slot_features(const Audio& audio, int slot) {
  wm::audio::FrameTransform transform;
  std::array<double, wm::audio::bands> energy{}, features{};
  for (int t = 2 * slot; t < 2 * slot + 2; ++t) {
    std::array<double, wm::audio::bands> e{};
    wm::audio::band_energies(transform.spectrum(audio.samples().data() + t * wm::audio::hop), 1.0, e.data());
    for (int b = 0; b < wm::audio::bands; ++b) energy[static_cast<std::size_t>(b)] += e[static_cast<std::size_t>(b)];
  }
  wm::audio::slot_features(energy.data(), features.data());
  return features;
}

}  // namespace

TEST_SUITE("watermark/audio_vectors") {
  TEST_CASE("the keyed tables match the published values") {
    const wm::audio::AudioLayout layout = wm::audio::make_audio_layout(vector_key());
    const json& v = vectors()["layout"];
    for (std::size_t g = 0; g < v["first_roles"].size(); ++g) CHECK(layout.role[g] == v["first_roles"][g].get<int>());
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(layout.sign[0][i] == v["signs_of_group_0"][i].get<int>());
      CHECK(layout.sign[863][i] == v["signs_of_group_863"][i].get<int>());
    }
    for (std::size_t g = 0; g < v["first_dithers"].size(); ++g)
      CHECK(layout.dither[g] == doctest::Approx(v["first_dithers"][g].get<double>()).epsilon(1e-8));
  }

  TEST_CASE("every coded bit is carried two or three times, and the sync pairs are the groups of one bit") {
    const wm::audio::AudioLayout layout = wm::audio::make_audio_layout(vector_key());
    std::array<int, 376> carriers{};
    for (const auto role : layout.role) ++carriers.at(role);
    CHECK(std::count(carriers.begin(), carriers.end(), 2) == 264);
    CHECK(std::count(carriers.begin(), carriers.end(), 3) == 112);
    // One pair per two carriers of a bit: 264 + 112 * 3.
    CHECK(layout.same_bit_pairs.size() == 600);
    for (const auto& [g1, g2] : layout.same_bit_pairs) {
      CHECK(g1 < g2);
      CHECK(layout.role[g1] == layout.role[g2]);
    }
  }

  TEST_CASE("the features of the synthetic signal match the published values") {
    const json& v = vectors()["synthetic_signal"];
    const double tolerance = v["feature_tolerance"];
    const Audio signal = synthetic();
    const auto slot0 = slot_features(signal, 0);
    for (std::size_t b = 0; b < 4; ++b)
      CHECK(std::abs(slot0[b] - v["slot_0_features_bands_0_to_3"][b].get<double>()) < tolerance);
    CHECK(std::abs(slot_features(signal, 5)[10] - v["slot_5_feature_band_10"].get<double>()) < tolerance);
  }

  TEST_CASE("the marked synthetic signal has the published group values and reads back") {
    const json& v = vectors()["embedded"];
    const WatermarkKey key = vector_key();
    const Audio marked = embed(synthetic().view(), Payload::from_hex(v["payload_hex"].get<std::string>()), key);
    const wm::audio::AudioLayout layout = wm::audio::make_audio_layout(key);
    for (int g = 0; g < 4; ++g) {
      const int w = g / 6, j = g % 6;  // the spec's layout (§4) written out, not taken from the library
      const auto a = slot_features(marked, 2 * w), b = slot_features(marked, 2 * w + 1);
      double value = 0;
      for (int i = 0; i < 4; ++i) {
        const auto band = static_cast<std::size_t>(j + 6 * i);
        value += layout.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)] * (a[band] - b[band]);
      }
      CHECK(std::abs(value / 4 - v["group_values"][static_cast<std::size_t>(g)].get<double>()) <
            v["value_tolerance"].get<double>());
    }
    const AudioDetectResult r = detect(marked.view(), key);
    CHECK(r.found);
    CHECK(r.payload.to_hex() == v["detected_payload_hex"].get<std::string>());
  }
}
