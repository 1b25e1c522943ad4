// SPDX-License-Identifier: Apache-2.0
// Built against an installed provmark: touches each private dependency (libsodium, FFTW, libpng,
// TurboJPEG, FreeType and fontconfig through the visible label, SQLite through the manifest store, OpenSSL
// through verify's manifest check) so that a missing link dependency in the package files fails the build.
#include <cstdint>
#include <cstdio>

#include <filesystem>

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
  provmark::LabelOptions options;
  options.aigc.content_producer = "PACKAGING";
  options.watermark_key = &key;
  const provmark::LabelResult labelled = provmark::label(jpeg, options);
  provmark::VerifyOptions platform;
  platform.keyring.push_back({"test", key});
  auto store = provmark::ManifestStore::open(std::filesystem::temp_directory_path() / "provmark-consumer.sqlite");
  platform.store = &store;
  const bool labelled_ok = provmark::verify(labelled.bytes, platform).verdict == provmark::Verdict::confirmed_ai;
  const bool ok = result.found && result.payload == payload && provmark::decode_image(jpeg).width() == 512 &&
                  labelled.visible_label.has_value() && labelled_ok;
  std::printf("provmark %s consumer: %s\n", PROVMARK_VERSION_STRING, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
