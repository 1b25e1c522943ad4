// SPDX-License-Identifier: Apache-2.0
#include "c2pa/asset_png.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <string>

#include "c2pa/store_probe.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using namespace provmark::c2pa;
using namespace provmark::c2pa::test;
using provmark::test::data_path;
using provmark::test::error_code_of;

Bytes load(const std::string& name) { return read_file(data_path("c2pa/" + name)); }

// One raw chunk with a correct CRC.
Bytes chunk(const std::string& type, const Bytes& data) {
  Bytes out(8 + data.size() + 4);
  put_u32(out, 0, static_cast<std::uint32_t>(data.size()));
  std::copy(type.begin(), type.end(), out.begin() + 4);
  std::copy(data.begin(), data.end(), out.begin() + 8);
  put_u32(out, 8 + data.size(), static_cast<std::uint32_t>(crc32(0, &out[4], static_cast<uInt>(data.size() + 4))));
  return out;
}

Bytes spliced(const Bytes& bytes, std::size_t at, std::size_t erase, const Bytes& insert) {
  Bytes out(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), insert.begin(), insert.end());
  out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at + erase), bytes.end());
  return out;
}

constexpr std::size_t kAfterIhdr = 8 + 12 + 13;

std::string malformed_message(const Bytes& png) {
  try {
    (void)png_read_manifest_store(png);
  } catch (const Error& error) {
    if (error.code() == Errc::malformed_input) return error.what();
    return "wrong code: " + std::string(error.what());
  }
  return "no error";
}

}  // namespace

TEST_SUITE("c2pa/asset_png") {
  TEST_CASE("a c2pa-rs PNG re-embeds byte for byte and its data hash matches our exclusion") {
    const Bytes signed_png = load("c2pars_v2_ai.png");  // libpng-test.png signed by c2pa-rs
    const auto store = png_read_manifest_store(signed_png);
    REQUIRE(store);
    CHECK(get_u32(*store, 0) == store->size());
    const auto data_hash = find_data_hash(*store);
    REQUIRE(data_hash);

    const EmbeddedAsset embedded = png_embed_manifest_store(load("libpng-test.png"), *store);
    CHECK(embedded.bytes == signed_png);
    CHECK(embedded.exclusions == data_hash->exclusions);
    CHECK(embedded.exclusions == std::vector<ByteRange>{{kAfterIhdr, store->size() + 12}});
    CHECK(hash_excluding(signed_png, embedded.exclusions, data_hash->alg) == data_hash->hash);
  }

  TEST_CASE("removing the store gives back the unsigned original") {
    const Bytes original = load("libpng-test.png");
    CHECK(png_remove_manifest_store(load("c2pars_v2_ai.png")) == original);
    CHECK_FALSE(png_read_manifest_store(original));
    CHECK(png_remove_manifest_store(original) == original);
  }

  TEST_CASE("embedding again replaces the store, still right after IHDR") {
    const Bytes original = load("libpng-test.png");
    const EmbeddedAsset first = png_embed_manifest_store(original, make_store(200'000, 1));
    CHECK(png_read_manifest_store(first.bytes) == make_store(200'000, 1));
    const Bytes second_store = make_store(64, 2);
    const EmbeddedAsset second = png_embed_manifest_store(first.bytes, second_store);
    CHECK(second.exclusions == std::vector<ByteRange>{{kAfterIhdr, 64 + 12}});
    CHECK(png_read_manifest_store(second.bytes) == second_store);
    CHECK(png_remove_manifest_store(second.bytes) == original);
  }

  TEST_CASE("a caBX chunk after IDAT is still read and removed") {
    const Bytes original = load("libpng-test.png");
    const Bytes store = make_store(50, 3);
    const Bytes late = spliced(original, original.size() - 12, 0, chunk("caBX", store));  // just before IEND
    CHECK(png_read_manifest_store(late) == store);
    CHECK(png_remove_manifest_store(late) == original);
  }

  TEST_CASE("two caBX chunks are refused, as c2pa-rs does (TooManyManifestStores)") {
    const EmbeddedAsset one = png_embed_manifest_store(load("libpng-test.png"), make_store(50, 4));
    const Bytes two = spliced(one.bytes, kAfterIhdr, 0, chunk("caBX", make_store(60, 5)));
    CHECK(malformed_message(two).find("more than one manifest store") != std::string::npos);
    CHECK(error_code_of([&] { (void)png_remove_manifest_store(two); }) == Errc::malformed_input);
    CHECK(error_code_of([&] { (void)png_embed_manifest_store(two, make_store(50, 6)); }) == Errc::malformed_input);
  }

  TEST_CASE("bad CRCs are read past, as c2pa-rs does, but never written into; truncation is malformed input") {
    const Bytes png = load("c2pars_v2_ai.png");
    Bytes bad_crc = png;
    bad_crc[kAfterIhdr + 100] ^= 0x01;  // inside the store: validation reports it, reading does not refuse
    const auto damaged = png_read_manifest_store(bad_crc);
    REQUIRE(damaged.has_value());
    CHECK(*damaged != *png_read_manifest_store(png));
    CHECK(error_code_of([&] { (void)png_remove_manifest_store(bad_crc); }) == Errc::malformed_input);
    CHECK(error_code_of([&] { (void)png_embed_manifest_store(bad_crc, make_store(50, 7)); }) == Errc::malformed_input);
    for (const std::size_t size : std::vector<std::size_t>{0, 7, 8, 20, 33, 40, 9434, png.size() - 1})
      CHECK(malformed_message(Bytes(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(size))) != "no error");
    Bytes huge = png;
    std::fill_n(huge.begin() + kAfterIhdr, 3, 0xFF);  // the caBX length, now about 4 GB
    CHECK(malformed_message(huge).find("past the end") != std::string::npos);
    Bytes no_ihdr = spliced(png, 8, 25, {});
    CHECK(malformed_message(no_ihdr).find("IHDR") != std::string::npos);
    CHECK(malformed_message(Bytes{0xFF, 0xD8, 0xFF, 0xD9}) != "no error");
  }

  TEST_CASE("embed refuses bytes that are not a manifest store") {
    Bytes not_c2pa = make_store(100, 7);
    not_c2pa[5] = 'x';
    CHECK(error_code_of([&] { (void)png_embed_manifest_store(load("libpng-test.png"), not_c2pa); }) ==
          Errc::invalid_argument);
  }
}
