// SPDX-License-Identifier: Apache-2.0
#include "c2pa/asset_jpeg.hpp"

#include <doctest/doctest.h>

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

Bytes spliced(const Bytes& bytes, std::size_t at, std::size_t erase, const Bytes& insert) {
  Bytes out(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), insert.begin(), insert.end());
  out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at + erase), bytes.end());
  return out;
}

std::string malformed_message(const Bytes& jpeg) {
  try {
    (void)jpeg_read_manifest_store(jpeg);
  } catch (const Error& error) {
    if (error.code() == Errc::malformed_input) return error.what();
    return "wrong code: " + std::string(error.what());
  }
  return "no error";
}

std::size_t u16_at(const Bytes& bytes, std::size_t at) { return (std::size_t{bytes[at]} << 8) | bytes[at + 1]; }

}  // namespace

TEST_SUITE("c2pa/asset_jpeg") {
  TEST_CASE("a c2pa-rs JPEG re-embeds byte for byte and its data hash matches our exclusions") {
    const Bytes signed_jpeg = load("c2pars_v2_ai.jpg");  // earth_apollo17.jpg signed by c2pa-rs
    const auto store = jpeg_read_manifest_store(signed_jpeg);
    REQUIRE(store);
    CHECK(get_u32(*store, 0) == store->size());
    const auto data_hash = find_data_hash(*store);
    REQUIRE(data_hash);

    const EmbeddedAsset embedded = jpeg_embed_manifest_store(load("earth_apollo17.jpg"), *store);
    CHECK(embedded.bytes == signed_jpeg);
    CHECK(embedded.exclusions == data_hash->exclusions);
    CHECK(hash_excluding(signed_jpeg, embedded.exclusions, data_hash->alg) == data_hash->hash);
  }

  TEST_CASE("removing the store gives back the unsigned original") {
    const Bytes original = load("earth_apollo17.jpg");
    CHECK(jpeg_remove_manifest_store(load("c2pars_v2_ai.jpg")) == original);
    CHECK_FALSE(jpeg_read_manifest_store(original));
    CHECK(jpeg_remove_manifest_store(original) == original);
  }

  TEST_CASE("a store c2pa-rs split over two segments reads back and re-embeds identically") {
    // The header of jpeg-valid-multisegment.jpg up to the end of its APP11 run, then EOI.
    const Bytes jpeg = load("multisegment_app11.jpg");
    const auto store = jpeg_read_manifest_store(jpeg);
    REQUIRE(store);
    CHECK(store->size() == 88719);
    CHECK(get_u32(*store, 0) == store->size());
    const auto data_hash = find_data_hash(*store);
    REQUIRE(data_hash);

    const Bytes bare = jpeg_remove_manifest_store(jpeg);
    CHECK(bare == Bytes{0xFF, 0xD8, 0xFF, 0xD9});
    const EmbeddedAsset embedded = jpeg_embed_manifest_store(bare, *store);
    CHECK(embedded.bytes == jpeg);
    CHECK(embedded.exclusions == data_hash->exclusions);
  }

  TEST_CASE("a 200 KB store spans four segments, each continuation repeating LBox and TBox") {
    const Bytes original = load("earth_apollo17.jpg");
    const Bytes store = make_store(200'000, 7);
    const EmbeddedAsset embedded = jpeg_embed_manifest_store(original, store);
    // 4 x (FF EB, Lp, CI, En, Z) + 3 x repeated LBox/TBox around the store bytes.
    REQUIRE(embedded.exclusions == std::vector<ByteRange>{{2, 200'000 + 4 * 12 + 3 * 8}});
    std::size_t pos = 2;
    for (std::uint32_t z = 1; z <= 4; ++z) {
      CHECK(embedded.bytes[pos + 1] == 0xEB);
      CHECK(get_u32(embedded.bytes, pos + 8) == z);
      if (z > 1) CHECK(Bytes(embedded.bytes.begin() + pos + 12, embedded.bytes.begin() + pos + 20) ==
                       Bytes(store.begin(), store.begin() + 8));
      pos += 2 + u16_at(embedded.bytes, pos + 2);
    }
    CHECK(pos == 2 + embedded.exclusions[0].length);
    CHECK(jpeg_read_manifest_store(embedded.bytes) == store);
    CHECK(jpeg_remove_manifest_store(embedded.bytes) == original);
  }

  TEST_CASE("embedding again replaces the store in place") {
    const Bytes original = load("earth_apollo17.jpg");
    const EmbeddedAsset first = jpeg_embed_manifest_store(original, make_store(70'000, 1));
    const Bytes second_store = make_store(500, 2);
    const EmbeddedAsset second = jpeg_embed_manifest_store(first.bytes, second_store);
    CHECK(jpeg_read_manifest_store(second.bytes) == second_store);
    CHECK(second.exclusions == std::vector<ByteRange>{{2, 500 + 12}});
    CHECK(jpeg_remove_manifest_store(second.bytes) == original);
  }

  TEST_CASE("with a JFIF APP0 the store goes right after it") {
    const Bytes jfif = read_file(data_path("rocket.jpg"));
    REQUIRE(jfif[3] == 0xE0);
    const std::size_t after_app0 = 4 + u16_at(jfif, 4);
    const Bytes store = make_store(100, 3);
    const EmbeddedAsset embedded = jpeg_embed_manifest_store(jfif, store);
    CHECK(embedded.exclusions == std::vector<ByteRange>{{after_app0, 100 + 12}});
    CHECK(jpeg_read_manifest_store(embedded.bytes) == store);
    CHECK(jpeg_remove_manifest_store(embedded.bytes) == jfif);
  }

  TEST_CASE("APP11 segments of other uses are left alone") {
    const Bytes other_xt = {0xFF, 0xEB, 0x00, 0x1C, 'J', 'P', 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 0x12,
                            'j', 'u', 'm', 'b', 0, 0, 0, 0x0A, 'x', 'm', 'l', ' ', 1, 2};
    const Bytes not_xt = {0xFF, 0xEB, 0x00, 0x06, 'A', 'B', 'C', 'D'};
    const Bytes jpeg = spliced(spliced(load("earth_apollo17.jpg"), 2, 0, other_xt), 2, 0, not_xt);
    CHECK_FALSE(jpeg_read_manifest_store(jpeg));
    const Bytes store = make_store(300, 4);
    const EmbeddedAsset embedded = jpeg_embed_manifest_store(jpeg, store);
    CHECK(jpeg_read_manifest_store(embedded.bytes) == store);
    CHECK(jpeg_remove_manifest_store(embedded.bytes) == jpeg);
  }

  TEST_CASE("a store does not take the instance number of another JPEG XT box") {
    // Two segments of a non-C2PA box with c2pa-rs's En 0x0211, right after SOI where the store goes.
    const Bytes foreign = {0xFF, 0xEB, 0x00, 0x0E, 'J', 'P', 0x02, 0x11, 0, 0, 0, 1, 0, 0, 0, 0x10,
                           0xFF, 0xEB, 0x00, 0x0E, 'J', 'P', 0x02, 0x11, 0, 0, 0, 2, 'x', 'm', 'l', ' '};
    const Bytes jpeg = spliced(load("earth_apollo17.jpg"), 2, 0, foreign);
    const Bytes store = make_store(100, 5);
    const EmbeddedAsset embedded = jpeg_embed_manifest_store(jpeg, store);
    CHECK(u16_at(embedded.bytes, 6) != 0x0211);
    CHECK(jpeg_read_manifest_store(embedded.bytes) == store);
    CHECK(jpeg_remove_manifest_store(embedded.bytes) == jpeg);
  }

  TEST_CASE("two manifest stores are refused, as c2pa-rs does (TooManyManifestStores)") {
    const EmbeddedAsset one = jpeg_embed_manifest_store(load("earth_apollo17.jpg"), make_store(100, 5));
    Bytes segment(one.bytes.begin() + 2, one.bytes.begin() + 2 + 112);
    segment[7] ^= 0x01;  // another En: a second, separate store
    const Bytes two = spliced(one.bytes, 2 + 112, 0, segment);
    CHECK(malformed_message(two).find("more than one manifest store") != std::string::npos);
    CHECK(error_code_of([&] { (void)jpeg_remove_manifest_store(two); }) == Errc::malformed_input);
    CHECK(error_code_of([&] { (void)jpeg_embed_manifest_store(two, make_store(100, 6)); }) == Errc::malformed_input);
  }

  TEST_CASE("broken segment sequences are malformed input") {
    const EmbeddedAsset good = jpeg_embed_manifest_store(load("earth_apollo17.jpg"), make_store(130'000, 8));
    const std::size_t second = 2 + 2 + u16_at(good.bytes, 4);
    const std::size_t third = second + 2 + u16_at(good.bytes, second + 2);
    REQUIRE(jpeg_read_manifest_store(good.bytes));

    Bytes gap = good.bytes;
    gap[second + 11] = 3;  // Z 1, 3, 3
    CHECK(malformed_message(gap).find("sequence") != std::string::npos);
    Bytes bad_repeat = good.bytes;
    bad_repeat[second + 15] ^= 0xFF;  // the repeated LBox
    CHECK(malformed_message(bad_repeat).find("repeat") != std::string::npos);
    const Bytes comment = {0xFF, 0xFE, 0x00, 0x04, 'h', 'i'};
    CHECK(malformed_message(spliced(good.bytes, second, 0, comment)).find("contiguous") != std::string::npos);
    const Bytes dropped = spliced(good.bytes, third, 2 + u16_at(good.bytes, third + 2), {});
    CHECK(malformed_message(dropped).find("length does not match") != std::string::npos);
    Bytes first_not_one = good.bytes;
    first_not_one[13] = 2;  // Z of the first segment
    CHECK(malformed_message(first_not_one) != "no error");
  }

  TEST_CASE("truncated and corrupt JPEG headers are malformed input, never a crash") {
    const Bytes jpeg = load("c2pars_v2_ai.jpg");
    for (const std::size_t size : std::vector<std::size_t>{0, 1, 3, 4, 5, 100, 9403, 9405})
      CHECK(malformed_message(Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(size))) != "no error");
    Bytes long_segment = jpeg;
    long_segment[4] = 0xFF;  // Lp of the APP11 segment: now past the next marker
    CHECK(malformed_message(long_segment) != "no error");
    Bytes short_length = jpeg;
    short_length[4] = 0;
    short_length[5] = 1;
    CHECK(malformed_message(short_length) != "no error");
    CHECK(malformed_message(Bytes{'G', 'I', 'F', '8', '9', 'a'}) != "no error");
  }

  TEST_CASE("embed refuses bytes that are not a manifest store") {
    const Bytes jpeg = load("earth_apollo17.jpg");
    Bytes wrong_lbox = make_store(100, 9);
    wrong_lbox[3] = 99;
    Bytes not_c2pa = make_store(100, 9);
    not_c2pa[16] = 'x';
    for (const Bytes& store : {Bytes{}, Bytes(19, 0), wrong_lbox, not_c2pa})
      CHECK(error_code_of([&] { (void)jpeg_embed_manifest_store(jpeg, store); }) == Errc::invalid_argument);
  }
}
