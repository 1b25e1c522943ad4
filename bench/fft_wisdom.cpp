// SPDX-License-Identifier: Apache-2.0
// Measures FFTW plans (FFTW_PATIENT) for the transforms that embedding and detection make on common picture shapes
// and on audio, and prints them as FFTW wisdom: scripts/update-fft-wisdom.sh writes it to lib/dsp/fft_wisdom.txt,
// which the library carries (see dsp/fft.hpp). Run it again when a transform size changes or FFTW is upgraded.
//   provmark_fft_wisdom > lib/dsp/fft_wisdom.txt
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "dsp/fft.hpp"
#include "provmark/provmark.hpp"

namespace {

using namespace provmark;

// Working frames (spec/image-watermark-v1.md section 6) are 512 pixels on the short side for any picture larger
// than that, and detection transforms the largest fast FFT size within them: every fast size from 512 to 1024 (up to
// 2:1), landscape and portrait.
std::vector<std::pair<int, int>> frames() {
  std::vector<std::pair<int, int>> out;
  for (int n = 512; n <= 1024; ++n)
    if (dsp::fast_fft_size_at_most(n) == n) {
      out.emplace_back(n, 512);
      if (n != 512) out.emplace_back(512, n);
    }
  return out;
}

// Gray noise: an unmarked picture makes detection run its whole search, so every transform it can make is planned.
Image noise_picture(int width, int height, std::uint32_t seed) {
  Image image(width, height, PixelFormat::gray8);
  const auto pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  for (std::size_t i = 0; i < pixels; ++i) {
    seed = seed * 1664525u + 1013904223u;
    image.data()[i] = static_cast<std::uint8_t>(seed >> 24);
  }
  return image;
}

}  // namespace

int main() {
  dsp::measure_fft_plans();
  const WatermarkKey key = WatermarkKey::generate();
  const Payload payload = Payload::from_u64(1);
  for (const auto& [width, height] : frames()) {
    const Image picture = noise_picture(width, height, 7);
    (void)detect(picture.view(), key);
    (void)embed(picture.view(), payload, key);
    std::fprintf(stderr, "%dx%d planned\n", width, height);
  }
  Audio clip(12 * 44100, 2, 44100);
  std::uint32_t seed = 11;
  for (float& sample : clip.samples()) {
    seed = seed * 1664525u + 1013904223u;
    sample = static_cast<float>(static_cast<std::int32_t>(seed)) / 2147483648.0f * 0.1f;
  }
  (void)detect(embed(clip.view(), payload, key).view(), key);
  std::fputs(dsp::exported_fft_wisdom().c_str(), stdout);
  return 0;
}
