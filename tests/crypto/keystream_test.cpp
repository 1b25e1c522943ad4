// SPDX-License-Identifier: Apache-2.0
#include "crypto/keystream.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <vector>

#include "provmark/error.hpp"

namespace {

using provmark::crypto::KeyStream;
using Key = std::array<std::uint8_t, 32>;

Key test_key(std::uint8_t first) {
  Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(first + 7 * i);
  return key;
}

// The stream by its definition, with libsodium's one-shot calls.
std::vector<std::uint8_t> one_shot_stream(const Key& key, const char (&context)[9], std::uint64_t id,
                                          std::size_t length) {
  std::uint8_t subkey[32];
  REQUIRE(crypto_kdf_derive_from_key(subkey, sizeof subkey, id, context, key.data()) == 0);
  const std::uint8_t nonce[12] = {};
  std::vector<std::uint8_t> stream(length);
  REQUIRE(crypto_stream_chacha20_ietf(stream.data(), stream.size(), nonce, subkey) == 0);
  return stream;
}

std::vector<std::uint32_t> draw(KeyStream& ks, std::size_t count) {
  std::vector<std::uint32_t> values(count);
  for (auto& v : values) v = ks.next_u32();
  return values;
}

}  // namespace

TEST_SUITE("crypto/keystream") {
  TEST_CASE("next_u32 reads the one-shot ChaCha20 stream of the derived subkey as little-endian words") {
    const Key key = test_key(1);
    // 100 words = 400 bytes: crosses six 64-byte block boundaries.
    const auto expected = one_shot_stream(key, "pmwm-tst", 42, 400);
    KeyStream ks(key, "pmwm-tst", 42);
    for (std::size_t i = 0; i < 100; ++i) {
      const std::uint8_t* p = expected.data() + 4 * i;
      const std::uint32_t word = p[0] | p[1] << 8 | p[2] << 16 | std::uint32_t{p[3]} << 24;
      REQUIRE(ks.next_u32() == word);
    }
  }

  TEST_CASE("below and unit consume one word each and follow their formulas") {
    const Key key = test_key(9);
    KeyStream words(key, "pmwm-tst", 3);
    KeyStream mixed(key, "pmwm-tst", 3);
    for (int i = 0; i < 40; ++i) {
      const std::uint64_t w = words.next_u32();
      if (i % 2 == 0) {
        CHECK(mixed.below(1000) == (w * 1000) >> 32);
      } else {
        CHECK(mixed.unit() == static_cast<double>(w) / 4294967296.0);
      }
    }
  }

  TEST_CASE("below(n) stays below n and reaches both ends of the range") {
    KeyStream ks(test_key(5), "pmwm-tst", 0);
    for (std::uint32_t n : {1u, 2u, 3u, 7u, 1000u, 0xFFFFFFFFu}) {
      for (int i = 0; i < 200; ++i) CHECK(ks.below(n) < n);
    }
    bool seen_zero = false, seen_two = false;
    for (int i = 0; i < 200; ++i) {
      const auto v = ks.below(3);
      seen_zero |= v == 0;
      seen_two |= v == 2;
    }
    CHECK(seen_zero);
    CHECK(seen_two);
    CHECK_THROWS_AS((void)ks.below(0), provmark::Error);
  }

  TEST_CASE("unit stays at or above 0 and below 1") {
    KeyStream ks(test_key(6), "pmwm-tst", 0);
    for (int i = 0; i < 1000; ++i) {
      const double u = ks.unit();
      CHECK(u >= 0.0);
      CHECK(u < 1.0);
    }
  }

  TEST_CASE("different contexts or subkey ids or keys give different streams") {
    const Key key = test_key(1);
    KeyStream base(key, "pmwm-aaa", 1);
    KeyStream other_context(key, "pmwm-aab", 1);
    KeyStream other_id(key, "pmwm-aaa", 2);
    KeyStream other_key(test_key(2), "pmwm-aaa", 1);
    KeyStream same(key, "pmwm-aaa", 1);
    const auto reference = draw(base, 16);
    CHECK(draw(other_context, 16) != reference);
    CHECK(draw(other_id, 16) != reference);
    CHECK(draw(other_key, 16) != reference);
    CHECK(draw(same, 16) == reference);
  }
}
