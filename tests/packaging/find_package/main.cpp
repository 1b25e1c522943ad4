// SPDX-License-Identifier: Apache-2.0
// Built against an installed provmark: touches each private dependency (libsodium, FFTW, libpng,
// TurboJPEG) so that a missing link dependency in the package files fails the build.
#include <cstdint>
#include <cstdio>

#include "provmark/provmark.hpp"

int main() {
  // A textured 512x512 image: smooth gradients plus pseudo-random grain.
  provmark::Image image(512, 512, provmark::PixelFormat::rgb8);
  std::uint32_t noise = 12345;
  for (int y = 0; y < image.height(); ++y) {
    std::uint8_t* row = image.mutable_view().row(y);
    for (int x = 0; x < image.width() * 3; ++x) {
      noise = noise * 1664525u + 1013904223u;
      row[x] = static_cast<std::uint8_t>((x / 3 + y) / 4 + (x % 3) * 40 + (noise >> 28));
    }
  }
  const auto key = provmark::WatermarkKey::generate();
  const auto payload = provmark::Payload::from_u64(0x0123456789abcdefULL);
  const auto png = provmark::encode_png(provmark::embed(image.view(), payload, key).view());
  const provmark::DetectResult result = provmark::detect_encoded(png, key);
  const auto jpeg = provmark::encode_jpeg(image.view());
  const bool ok = result.found && result.payload == payload && provmark::decode_image(jpeg).width() == 512;
  std::printf("provmark %s consumer: %s\n", PROVMARK_VERSION_STRING, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
