// SPDX-License-Identifier: Apache-2.0
// The C++ example of README.md: keep the two copies identical.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "provmark/audio_codec.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/watermark.hpp"
#include "support/test_data.hpp"

namespace {

// --- README example begins ---
// Marks an 8-bit RGB buffer in place, then reads the payload back from the pixels alone.
std::optional<std::uint64_t> mark_and_read(std::vector<std::uint8_t>& rgb, int width, int height,
                                           const provmark::WatermarkKey& key) {
  const provmark::MutableImageView view{rgb.data(), width, height, std::ptrdiff_t{width} * 3,
                                        provmark::PixelFormat::rgb8};
  provmark::embed_into(view, provmark::Payload::from_u64(0x2025'0001), key);  // invisible, in place
  const provmark::DetectResult result = provmark::detect(view, key);          // blind: needs only the key
  if (!result.found) return std::nullopt;
  return result.payload.to_u64();
}
// --- README example ends ---

// --- README audio example begins ---
// Marks a generator's interleaved float PCM in place, then reads the payload back from the samples alone.
bool mark_and_check(std::vector<float>& pcm, int channels, int sample_rate, const provmark::WatermarkKey& key) {
  const provmark::MutableAudioView view{pcm.data(), pcm.size() / static_cast<std::size_t>(channels), channels,
                                        sample_rate};
  provmark::embed_into(view, provmark::Payload::from_u64(0x2025'0002), key);  // inaudible, in place
  const provmark::AudioDetectResult result = provmark::detect(view, key);     // any ~10 s excerpt would do
  return result.found && result.payload.to_u64() == 0x2025'0002;
}
// --- README audio example ends ---

}  // namespace

TEST_SUITE("examples/readme") {
  TEST_CASE("the README example marks a photo in place and reads its payload back") {
    const provmark::Image photo = provmark::test::load_photo("coffee.jpg");
    std::vector<std::uint8_t> rgb(photo.data(), photo.data() + photo.stride() * photo.height());
    const auto key = provmark::WatermarkKey::generate();

    CHECK(mark_and_read(rgb, photo.width(), photo.height(), key) == std::uint64_t{0x2025'0001});

    const provmark::ImageView marked{rgb.data(), photo.width(), photo.height(), photo.stride(),
                                     provmark::PixelFormat::rgb8};
    CHECK_FALSE(provmark::detect(marked, provmark::WatermarkKey::generate()).found);  // other keys see nothing
  }

  TEST_CASE("the README audio example marks music in place and reads its payload back") {
    std::vector<float> pcm = provmark::decode_audio_file(provmark::test::data_path("drascula_track1_8s.ogg")).audio.samples();
    CHECK(mark_and_check(pcm, 2, 44100, provmark::WatermarkKey::parse(provmark::test::fixed_key_text())));
  }
}
