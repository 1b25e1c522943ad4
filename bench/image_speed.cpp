// SPDX-License-Identifier: Apache-2.0
// Speed of embed_file / detect_file on one JPEG, against the floor any JPEG watermarker pays:
// a bare TurboJPEG decode to RGB plus re-encode at the same quality and subsampling.
// The three measurements are interleaved round-robin so that machine noise hits all of them alike.
//   provmark_bench_image PHOTO.jpg [--repeats N] [--quality Q]
#include <turbojpeg.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "provmark/provmark.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct TjDeleter {
  void operator()(void* handle) const noexcept { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjDeleter>;

struct TjBufferDeleter {
  void operator()(unsigned char* buffer) const noexcept { tjFree(buffer); }
};

[[noreturn]] void tj_fail(void* handle, const char* what) {
  throw std::runtime_error(std::string(what) + ": " + tjGetErrorStr2(handle));
}

// Decode + encode with nothing in between, buffers allocated once: the cheapest JPEG round trip.
class JpegFloor {
 public:
  JpegFloor(const std::vector<std::uint8_t>& jpeg, int quality)
      : jpeg_(jpeg), quality_(quality), decoder_(tjInitDecompress()), encoder_(tjInitCompress()) {
    if (!decoder_ || !encoder_) throw std::runtime_error("TurboJPEG initialisation failed");
    int colorspace = 0;
    if (tjDecompressHeader3(decoder_.get(), jpeg_.data(), jpeg_.size(), &width_, &height_, &subsampling_,
                            &colorspace) != 0) {
      tj_fail(decoder_.get(), "reading the JPEG header");
    }
    rgb_.resize(static_cast<std::size_t>(width_) * height_ * 3);
    const unsigned long capacity = tjBufSize(width_, height_, subsampling_);
    out_.reset(tjAlloc(static_cast<int>(capacity)));
    if (!out_) throw std::runtime_error("out of memory");
  }

  void run() {
    if (tjDecompress2(decoder_.get(), jpeg_.data(), jpeg_.size(), rgb_.data(), width_, 0, height_, TJPF_RGB, 0) != 0) {
      tj_fail(decoder_.get(), "decoding");
    }
    unsigned char* out = out_.get();
    unsigned long size = 0;
    if (tjCompress2(encoder_.get(), rgb_.data(), width_, 0, height_, TJPF_RGB, &out, &size, subsampling_, quality_,
                    TJFLAG_NOREALLOC) != 0) {
      tj_fail(encoder_.get(), "encoding");
    }
  }

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] const char* subsampling_name() const {
    static const char* const names[] = {"4:4:4", "4:2:2", "4:2:0", "gray", "4:4:0", "4:1:1"};
    return subsampling_ >= 0 && subsampling_ < 6 ? names[subsampling_] : "unknown";
  }

 private:
  const std::vector<std::uint8_t>& jpeg_;
  int quality_;
  TjHandle decoder_;
  TjHandle encoder_;
  int width_ = 0, height_ = 0, subsampling_ = 0;
  std::vector<std::uint8_t> rgb_;
  std::unique_ptr<unsigned char, TjBufferDeleter> out_;
};

double milliseconds(const std::function<void()>& work) {
  const auto start = Clock::now();
  work();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

int run(const std::filesystem::path& photo, int repeats, int quality) {
  const std::vector<std::uint8_t> jpeg = provmark::read_file(photo);
  if (provmark::sniff_image_format(jpeg) != provmark::ImageFormat::jpeg) {
    std::fprintf(stderr, "%s is not a JPEG\n", photo.c_str());
    return 2;
  }
  JpegFloor floor(jpeg, quality);
  const auto key = provmark::WatermarkKey::generate();
  const auto payload = provmark::Payload::from_u64(0x5eed'1234'abcd'0042ULL);
  const auto marked = std::filesystem::temp_directory_path() /
                      ("provmark-bench-image-" + std::to_string(::getpid()) + photo.extension().string());

  std::vector<double> floor_ms, embed_ms, detect_ms;
  provmark::DetectResult result;
  // Round 0 is a warm-up (page faults, FFT plans, caches) and is not counted.
  for (int round = 0; round <= repeats; ++round) {
    const double f = milliseconds([&] { floor.run(); });
    const double e = milliseconds([&] { provmark::embed_file(photo, marked, payload, key); });
    const double d = milliseconds([&] { result = provmark::detect_file(marked, key); });
    if (round > 0) {
      floor_ms.push_back(f);
      embed_ms.push_back(e);
      detect_ms.push_back(d);
    }
  }
  std::filesystem::remove(marked);

  const double mp = static_cast<double>(floor.width()) * floor.height() / 1e6;
  const double f = median(floor_ms), e = median(embed_ms), d = median(detect_ms);
  std::printf("image   %s: %dx%d = %.2f MP, %s\n", photo.c_str(), floor.width(), floor.height(), mp,
              floor.subsampling_name());
  std::printf("median of %d rounds (after 1 warm-up), interleaved\n", repeats);
  std::printf("floor   TurboJPEG decode + encode q%d   %9.1f ms\n", quality, f);
  std::printf("embed   provmark::embed_file           %9.1f ms  %5.2fx floor\n", e, e / f);
  std::printf("detect  provmark::detect_file          %9.1f ms  %5.2fx floor\n", d, d / f);
  const bool ok = result.found && result.payload == payload;
  std::printf("payload %s\n", ok ? "found and correct" : result.found ? "WRONG" : "NOT FOUND");
  std::printf("result mp=%.2f floor_ms=%.1f embed_ms=%.1f detect_ms=%.1f embed_ratio=%.2f detect_ratio=%.2f\n", mp, f,
              e, d, e / f, d / f);
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times provmark embed_file/detect_file against a bare TurboJPEG decode+encode of the same JPEG."};
  std::string photo;
  int repeats = 7;
  int quality = 90;
  app.add_option("photo", photo, "JPEG file")->required()->check(CLI::ExistingFile);
  app.add_option("--repeats", repeats, "timed rounds; the median is reported")->check(CLI::Range(1, 1000));
  app.add_option("--quality", quality, "JPEG quality of the floor's re-encode (match the input's)")
      ->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  try {
    return run(photo, repeats, quality);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "provmark_bench_image: %s\n", e.what());
    return 1;
  }
}
