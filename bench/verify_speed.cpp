// SPDX-License-Identifier: Apache-2.0
// Throughput of verify() on 1 MP JPEG uploads, one core, against the floor every verifier pays: a full
// TurboJPEG decode of the same file. Half the uploads are labelled (all four layers), half are not, as
// a platform sees them. Files are verified round-robin, interleaved with the floor, so noise hits both.
// Times are the thread's CPU time: on a shared 2-core machine wall-clock time measures the neighbours.
// With --keys N the platform's keyring holds N providers' keys (the labelling provider's last), as a platform
// that accepts several generators' marks would configure it. With --write DIR the uploads are also written
// there, for timing the `provmark verify` command on the same files (bench/run_verify_cli.sh).
//   provmark_bench_verify PHOTO... --cert CHAIN.pem --key KEY.pem --trust ROOT.pem [--rounds N] [--keys N]
//                         [--wm-key FILE] [--write DIR]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "provmark/label.hpp"
#include "provmark/provmark.hpp"
#include "provmark/verify.hpp"
#include "provmark/watermark.hpp"

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
using Bytes = std::vector<std::uint8_t>;

// Area-averaging resize to about one megapixel (the upload size the goal is stated for).
provmark::Image to_one_megapixel(const provmark::Image& in) {
  const double f = std::sqrt(1.0e6 / (static_cast<double>(in.width()) * in.height()));
  const int w = std::max(64, static_cast<int>(in.width() * f)), h = std::max(64, static_cast<int>(in.height() * f));
  const int c = provmark::channels(in.format());
  provmark::Image out(w, h, in.format());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int x0 = x * in.width() / w, x1 = std::max(x0 + 1, (x + 1) * in.width() / w);
      const int y0 = y * in.height() / h, y1 = std::max(y0 + 1, (y + 1) * in.height() / h);
      for (int k = 0; k < c; ++k) {
        long sum = 0;
        for (int yy = y0; yy < y1; ++yy)
          for (int xx = x0; xx < x1; ++xx) sum += in.view().row(yy)[xx * c + k];
        out.data()[(static_cast<std::ptrdiff_t>(y) * w + x) * c + k] =
            static_cast<std::uint8_t>(sum / ((x1 - x0) * (y1 - y0)));
      }
    }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("verify() throughput on 1 MP JPEGs against a TurboJPEG decode of the same files");
  std::vector<std::string> photos;
  std::string cert, key, trust;
  int rounds = 5;
  int keys = 1;
  std::string wm_key_file, write_dir;
  app.add_option("PHOTO", photos, "source photos (resized to 1 MP, JPEG q90)")->required();
  app.add_option("--cert", cert, "PEM certificate chain of the provider's signer")->required();
  app.add_option("--key", key, "PEM private key of the provider's signer")->required();
  app.add_option("--trust", trust, "PEM trust anchors of the platform")->required();
  app.add_option("--rounds", rounds, "passes over all files (median per file reported)");
  app.add_option("--keys", keys, "watermark keys in the platform's keyring (the labeller's last)")->check(CLI::Range(1, 64));
  app.add_option("--wm-key", wm_key_file, "the labelling provider's watermark key file (default: a new key)");
  app.add_option("--write", write_dir, "also write the uploads into this folder");
  CLI11_PARSE(app, argc, argv);

  const provmark::Signer signer = provmark::Signer::from_pem_files(cert, key);
  const provmark::WatermarkKey wm_key =
      wm_key_file.empty() ? provmark::WatermarkKey::generate() : provmark::WatermarkKey::load(wm_key_file);
  provmark::VerifyOptions platform;
  platform.inspect.trust_anchors = provmark::TrustAnchors::from_pem_file(trust);  // parsed once, as a platform would
  for (int k = 1; k < keys; ++k) platform.keyring.push_back({"other provider " + std::to_string(k), provmark::WatermarkKey::generate()});
  platform.keyring.push_back({"bench", wm_key});

  std::vector<Bytes> uploads;
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const Bytes jpeg =
        provmark::encode_jpeg(to_one_megapixel(provmark::decode_image(provmark::read_file(photos[i]))).view());
    if (i % 2 == 1) {
      uploads.push_back(jpeg);
      continue;
    }
    provmark::LabelOptions options;
    options.aigc.content_producer = "001191110102MAD55U9H0F10002";
    options.watermark_key = &wm_key;
    options.signer = &signer;
    uploads.push_back(provmark::label(jpeg, options).bytes);
  }
  if (!write_dir.empty()) {
    std::filesystem::create_directories(write_dir);
    for (std::size_t i = 0; i < uploads.size(); ++i) {
      char name[48];
      std::snprintf(name, sizeof name, "upload_%03zu_%s.jpg", i, i % 2 == 0 ? "labelled" : "plain");
      provmark::write_file_atomic(std::filesystem::path(write_dir) / name, uploads[i]);
    }
  }

  std::vector<double> floor_ms, verify_ms, labelled_ms, unlabelled_ms;
  std::size_t sink = 0, confirmed = 0;
  for (int round = -1; round < rounds; ++round) {  // round -1 warms caches and FFT plans
    for (std::size_t i = 0; i < uploads.size(); ++i) {
      const Bytes& upload = uploads[i];
      const double t0 = cpu_ms();
      sink += provmark::decode_image(upload).width();
      const double t1 = cpu_ms();
      const provmark::VerifyReport report = provmark::verify(upload, platform);
      const double t2 = cpu_ms();
      if (round < 0) {
        confirmed += report.verdict == provmark::Verdict::confirmed_ai;
        continue;
      }
      floor_ms.push_back(t1 - t0);
      verify_ms.push_back(t2 - t1);
      (i % 2 == 0 ? labelled_ms : unlabelled_ms).push_back(t2 - t1);
    }
  }
  auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
  // A keyring's cost on unlabelled uploads: detect_any (one shared search) against detect() key by key.
  std::vector<double> per_key_ms, shared_ms;
  if (keys > 1) {
    std::vector<provmark::WatermarkKey> keyring;
    for (const auto& entry : platform.keyring) keyring.push_back(entry.key);
    for (int round = 0; round < rounds; ++round)
      for (std::size_t i = 1; i < uploads.size(); i += 2) {
        const provmark::Image pixels = provmark::decode_image(uploads[i]);
        const double t0 = cpu_ms();
        for (const auto& provider_key : keyring) sink += provmark::detect(pixels.view(), provider_key).found;
        const double t1 = cpu_ms();
        sink += provmark::detect_any(pixels.view(), keyring).key_index.has_value();
        const double t2 = cpu_ms();
        per_key_ms.push_back(t1 - t0);
        shared_ms.push_back(t2 - t1);
      }
  }
  const double f = mean(floor_ms), v = mean(verify_ms);
  std::printf("uploads  %zu files of ~1 MP (%zu labelled, %zu confirmed by verify), keyring of %d\n", uploads.size(),
              (uploads.size() + 1) / 2, confirmed, keys);
  std::printf("floor    TurboJPEG decode      %7.2f ms/file  %7.1f files/s\n", f, 1000.0 / f);
  std::printf("verify   provmark::verify      %7.2f ms/file  %7.1f files/s  %.2fx floor\n", v, 1000.0 / v, v / f);
  std::printf("  labelled uploads   %7.2f ms/file  %7.1f files/s\n", mean(labelled_ms), 1000.0 / mean(labelled_ms));
  std::printf("  unlabelled uploads %7.2f ms/file  %7.1f files/s\n", mean(unlabelled_ms), 1000.0 / mean(unlabelled_ms));
  if (keys > 1)
    std::printf("keyring  unlabelled: detect() per key %7.2f ms, detect_any %7.2f ms: %.2fx faster\n", mean(per_key_ms),
                mean(shared_ms), mean(per_key_ms) / mean(shared_ms));
  std::printf("result decode_ms=%.3f verify_ms=%.3f verify_files_per_s=%.1f ratio=%.2f (%zu)\n", f, v, 1000.0 / v,
              v / f, sink);
  return 0;
}
