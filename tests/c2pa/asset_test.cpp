// SPDX-License-Identifier: Apache-2.0
#include "c2pa/asset.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include "provmark/error.hpp"
#include "support/checks.hpp"

namespace {

using namespace provmark;
using namespace provmark::c2pa;
using provmark::test::error_code_of;
using Bytes = std::vector<std::uint8_t>;

Bytes sha256(const Bytes& bytes) {
  Bytes out(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace

TEST_SUITE("c2pa/asset") {
  TEST_CASE("hash_excluding hashes the bytes outside the exclusions, checked against libsodium") {
    Bytes asset(1000);
    for (std::size_t i = 0; i < asset.size(); ++i) asset[i] = static_cast<std::uint8_t>(i * 7);
    Bytes kept(asset.begin(), asset.begin() + 10);
    kept.insert(kept.end(), asset.begin() + 110, asset.begin() + 500);
    kept.insert(kept.end(), asset.begin() + 600, asset.end());

    CHECK(hash_excluding(asset, {}) == sha256(asset));
    CHECK(hash_excluding(asset, {{10, 100}, {500, 100}}) == sha256(kept));
    CHECK(hash_excluding(asset, {{0, 0}, {10, 100}, {500, 100}, {1000, 0}}) == sha256(kept));
    CHECK(hash_excluding(asset, {{0, 1000}}) == sha256({}));
  }

  TEST_CASE("hash_excluding knows the three C2PA algorithms") {
    const Bytes asset(100, 1);
    Bytes sha512(crypto_hash_sha512_BYTES);
    crypto_hash_sha512(sha512.data(), asset.data(), asset.size());
    CHECK(hash_excluding(asset, {}, "sha512") == sha512);
    CHECK(hash_excluding(asset, {}, "sha384").size() == 48);
    CHECK(error_code_of([&] { (void)hash_excluding(asset, {}, "md5"); }) == Errc::unsupported_format);
    CHECK(error_code_of([&] { (void)hash_excluding(asset, {}, "SHA256"); }) == Errc::unsupported_format);
  }

  TEST_CASE("exclusions from a hostile manifest are malformed input") {
    const Bytes asset(100, 2);
    for (const std::vector<ByteRange>& bad : std::vector<std::vector<ByteRange>>{
             {{50, 10}, {10, 10}},             // unsorted
             {{10, 20}, {25, 10}},             // overlapping
             {{90, 11}},                       // past the end
             {{101, 0}},                       // starts past the end
             {{1, SIZE_MAX}},                  // wraps around
         })
      CHECK(error_code_of([&] { (void)hash_excluding(asset, bad); }) == Errc::malformed_input);
  }
}
