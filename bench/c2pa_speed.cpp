// SPDX-License-Identifier: Apache-2.0
// Speed of C2PA signing, and of reading and validating, on one file, against the floor any hard
// binding pays: one SHA-256 of the same file (OpenSSL EVP). Interleaved round-robin so machine noise
// hits all of them alike. Times are this thread's CPU time: on a shared machine the wall clock of a
// few-millisecond call mostly measures the scheduler.
//   provmark_bench_c2pa PHOTO.jpg --cert CHAIN.pem --key KEY.pem [--trust ANCHORS.pem] [--repeats N]
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

#include <CLI/CLI.hpp>

#include "provmark/inspect.hpp"
#include "timing.hpp"
#include "provmark/manifest.hpp"
#include "provmark/provmark.hpp"

namespace {

using provmark::bench::cpu_ms;
using provmark::bench::median;

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
  // Parsed once, as a service validating many files would.
  if (!trust.empty()) inspect_options.trust_anchors = provmark::TrustAnchors::from_pem_file(trust);
  const std::vector<std::uint8_t> signed_file = provmark::sign(bytes, manifest, signer);
  std::vector<double> floor_ms, sign_ms, read_ms;
  std::size_t sink = 0;
  for (int round = -1; round < repeats; ++round) {  // round -1 warms caches and plans
    const double t0 = cpu_ms();
    sink += sha256_floor(bytes);
    const double t1 = cpu_ms();
    sink += provmark::sign(bytes, manifest, signer).size();
    const double t2 = cpu_ms();
    sink += provmark::inspect(signed_file, inspect_options).success.size();
    const double t3 = cpu_ms();
    if (round < 0) continue;
    floor_ms.push_back(t1 - t0);
    sign_ms.push_back(t2 - t1);
    read_ms.push_back(t3 - t2);
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
