// SPDX-License-Identifier: Apache-2.0
// Speed of C2PA signing, and of reading and validating, on one file, against the floor any hard
// binding pays: one SHA-256 of the same file (OpenSSL EVP). Interleaved round-robin so machine noise
// hits all of them alike.
//   provmark_bench_c2pa PHOTO.jpg --cert CHAIN.pem --key KEY.pem [--trust ANCHORS.pem] [--repeats N]
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <CLI/CLI.hpp>

#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "provmark/provmark.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::size_t sha256_floor(const std::vector<std::uint8_t>& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return length;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("C2PA signing speed against a SHA-256 of the same file");
  std::string photo, cert, key, trust;
  int repeats = 7;
  app.add_option("PHOTO", photo, "JPEG or PNG file")->required();
  app.add_option("--cert", cert, "PEM certificate chain of the signer")->required();
  app.add_option("--key", key, "PEM private key of the signer")->required();
  app.add_option("--trust", trust, "PEM trust anchors for the validation (default: none, so Valid at best)");
  app.add_option("--repeats", repeats, "rounds (median reported)");
  CLI11_PARSE(app, argc, argv);

  const std::vector<std::uint8_t> bytes = provmark::read_file(photo);
  const provmark::Signer signer = provmark::Signer::from_pem_files(cert, key);
  provmark::Manifest manifest("provmark bench");
  manifest.created(provmark::DigitalSourceType::trained_algorithmic_media)
      .watermarked(provmark::Payload::from_u64(42));
  provmark::InspectOptions inspect_options;
  if (!trust.empty()) {
    const auto pem = provmark::read_file(trust);
    inspect_options.trust_anchors_pem.assign(pem.begin(), pem.end());
  }
  const std::vector<std::uint8_t> signed_file = provmark::sign(bytes, manifest, signer);
  std::vector<double> floor_ms, sign_ms, read_ms;
  std::size_t sink = 0;
  for (int round = -1; round < repeats; ++round) {  // round -1 warms caches and plans
    auto t0 = Clock::now();
    sink += sha256_floor(bytes);
    auto t1 = Clock::now();
    sink += provmark::sign(bytes, manifest, signer).size();
    auto t2 = Clock::now();
    sink += provmark::inspect(signed_file, inspect_options).success.size();
    auto t3 = Clock::now();
    if (round < 0) continue;
    floor_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    sign_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    read_ms.push_back(std::chrono::duration<double, std::milli>(t3 - t2).count());
  }
  const double f = median(floor_ms), s = median(sign_ms), r = median(read_ms);
  std::printf("file    %s: %.2f MB\n", photo.c_str(), static_cast<double>(bytes.size()) / 1e6);
  std::printf("floor   SHA-256 of the file      %8.2f ms\n", f);
  std::printf("sign    provmark::sign (%s)     %8.2f ms   %.2fx floor\n",
              signer.alg() == provmark::SigningAlg::ed25519 ? "Ed25519" : "ECDSA", s, s / f);
  std::printf("inspect provmark::inspect (read + validate) %8.2f ms   %.2fx floor\n", r, r / f);
  std::printf("result sha256_ms=%.2f sign_ms=%.2f sign_ratio=%.2f inspect_ms=%.2f inspect_ratio=%.2f (%zu)\n", f, s,
              s / f, r, r / f, sink % 10);
  return 0;
}
