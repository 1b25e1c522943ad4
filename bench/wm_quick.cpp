// SPDX-License-Identifier: Apache-2.0
// In-process robustness check for tuning: embeds into every PNG/JPEG of a folder, applies the test
// attacks (tests/support/attacks.cpp) and detects. Fast to iterate with; the numbers that count
// come from ../shared/bench/run_bench.py with bench/adapters/provmark.
//   provmark_wm_quick DIR [MAX_FILES] [ATTACK ...]
// PROVMARK_KEY=FILE uses that watermark key (to compare detector changes on identical marks).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "provmark/codec.hpp"
#include "provmark/watermark.hpp"
#include "support/attacks.hpp"
#include "support/checks.hpp"

using namespace provmark;
namespace fs = std::filesystem;

namespace {


Image center_crop(const Image& im, double area) {
  const double s = std::sqrt(area);
  const int w = static_cast<int>(std::lround(im.width() * s)), h = static_cast<int>(std::lround(im.height() * s));
  return test::crop(im, (im.width() - w) / 2, (im.height() - h) / 2, w, h);
}

Image rotate_crop(const Image& im, double deg) {
  const Image r = test::rotate(im, deg);
  const double t = std::abs(deg) * 3.14159265358979 / 180, c = std::cos(t), s = std::sin(t);
  const double k = std::min(im.width() / (im.width() * c + im.height() * s), im.height() / (im.width() * s + im.height() * c));
  const int w = static_cast<int>(im.width() * k), h = static_cast<int>(im.height() * k);
  return test::crop(r, (r.width() - w) / 2, (r.height() - h) / 2, w, h);
}

Image scaled(const Image& im, double fx, double fy) {
  return test::resize(im, std::max(1, static_cast<int>(std::lround(im.width() * fx))),
                      std::max(1, static_cast<int>(std::lround(im.height() * fy))));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [MAX_FILES] [ATTACK ...]\n", argv[0]);
    return 2;
  }
  std::vector<std::pair<std::string, std::function<Image(const Image&)>>> attacks = {
      {"none", [](const Image& i) { return Image::copy_of(i.view()); }},
      {"jpeg90", [](const Image& i) { return test::jpeg_roundtrip(i, 90); }},
      {"jpeg50", [](const Image& i) { return test::jpeg_roundtrip(i, 50); }},
      {"jpeg30", [](const Image& i) { return test::jpeg_roundtrip(i, 30); }},
      {"resize0.5", [](const Image& i) { return scaled(i, 0.5, 0.5); }},
      {"resize0.75", [](const Image& i) { return scaled(i, 0.75, 0.75); }},
      {"resize1.5", [](const Image& i) { return scaled(i, 1.5, 1.5); }},
      {"aspect1x0.8", [](const Image& i) { return scaled(i, 1.0, 0.8); }},
      {"crop50", [](const Image& i) { return center_crop(i, 0.5); }},
      {"crop25", [](const Image& i) { return center_crop(i, 0.25); }},
      {"rot2", [](const Image& i) { return test::rotate(i, 2); }},
      {"rot10", [](const Image& i) { return test::rotate(i, 10); }},
      {"rot10crop", [](const Image& i) { return rotate_crop(i, 10); }},
      {"noise10", [](const Image& i) { return test::add_gaussian_noise(i, 10, 7); }},
      {"mirror", [](const Image& i) { return test::mirror(i); }},
      {"r075jpeg50", [](const Image& i) { return test::jpeg_roundtrip(scaled(i, 0.75, 0.75), 50); }},
  };
  const int max_files = argc > 2 ? std::atoi(argv[2]) : 1000;
  std::vector<std::string> only(argv + std::min(argc, 3), argv + argc);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(argv[1]))
    if (e.path().extension() == ".png" || e.path().extension() == ".jpg") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (static_cast<int>(files.size()) > max_files) files.resize(static_cast<std::size_t>(max_files));

  const char* key_file = std::getenv("PROVMARK_KEY");
  const WatermarkKey key = key_file != nullptr ? WatermarkKey::load(key_file) : WatermarkKey::generate();
  const WatermarkKey other = WatermarkKey::generate();
  std::map<std::string, int> ok;
  double psnr_sum = 0, embed_ms = 0, detect_ms = 0;
  int false_positives = 0, detections = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const Image original = decode_image(read_file(files[f]));
    const Payload payload = Payload::from_u64(0x9e3779b97f4a7c15ULL * (f + 1));
    auto t0 = std::chrono::steady_clock::now();
    const Image marked = embed(original.view(), payload, key);
    embed_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double p = test::psnr(original, marked);
    psnr_sum += p;
    if (detect(original.view(), key).found) ++false_positives;
    if (detect(marked.view(), other).found) ++false_positives;
    std::printf("%-28s %5dx%-5d psnr %.2f |", files[f].filename().c_str(), original.width(), original.height(), p);
    for (const auto& [name, attack] : attacks) {
      if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end() && name != "none") continue;
      const Image attacked = attack(marked);
      t0 = std::chrono::steady_clock::now();
      const DetectResult r = detect(attacked.view(), key);
      detect_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      ++detections;
      const bool good = r.found && r.payload == payload;
      ok[name] += good ? 1 : 0;
      std::printf(" %s:%s", name.c_str(), good ? "ok" : (r.found ? "WRONG" : "-"));
      if (good) std::printf("(%d)", r.corrected_bits);
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  std::printf("\nfiles %zu  mean psnr %.2f  false positives %d  embed %.1f ms/file  detect %.1f ms/call\n",
              files.size(), psnr_sum / files.size(), false_positives, embed_ms / files.size(), detect_ms / detections);
  for (const auto& [name, attack] : attacks)
    if (ok.count(name)) std::printf("  %-12s %d/%zu\n", name.c_str(), ok[name], files.size());
}
