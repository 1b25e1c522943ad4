// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "provmark/error.hpp"
#include "provmark/watermark.hpp"
#include "support/test_data.hpp"

namespace {

using provmark::Errc;
using provmark::Error;
using provmark::Payload;
using provmark::WatermarkKey;

std::array<std::uint8_t, 32> sample_bytes() {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xA0 + i);
  return bytes;
}
// The same 32 bytes, written out by hand.
const std::string sample_hex = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

void write_text(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Expects Error(code) from f and returns its message.
template <class F>
std::string error_of(F&& f, Errc code) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == code);
    return e.what();
  }
  FAIL("no provmark::Error thrown");
  return {};
}

}  // namespace

TEST_SUITE("watermark/key") {
  TEST_CASE("save writes the one-line text form with mode 0600 and load reads it back") {
    const auto dir = provmark::test::temp_dir("key-save");
    const auto path = dir / "wm.key";
    const auto key = WatermarkKey::from_bytes(sample_bytes());
    key.save(path);
    CHECK(read_text(path) == "provmark-watermark-key-v1 " + sample_hex + "\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(WatermarkKey::load(path) == key);
    // Only the key file is left behind, no temporary.
    CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);
  }

  TEST_CASE("save replaces an existing readable file with a private one") {
    const auto path = provmark::test::temp_dir("key-replace") / "wm.key";
    write_text(path, "old");
    std::filesystem::permissions(path, std::filesystem::perms(0644));
    const auto key = WatermarkKey::generate();
    key.save(path);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(WatermarkKey::load(path) == key);
  }

  TEST_CASE("save into a missing folder is an io error") {
    const auto path = provmark::test::temp_dir("key-nodir") / "missing" / "wm.key";
    error_of([&] { WatermarkKey::generate().save(path); }, Errc::io);
    CHECK_FALSE(std::filesystem::exists(path.parent_path()));
  }

  TEST_CASE("parse accepts uppercase hex and optional trailing whitespace") {
    const auto expected = WatermarkKey::from_bytes(sample_bytes());
    std::string upper = sample_hex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& text : {"provmark-watermark-key-v1 " + sample_hex,
                                    "provmark-watermark-key-v1 " + upper + "\n",
                                    "provmark-watermark-key-v1 " + sample_hex + " \t\r\n\n"}) {
      CHECK(WatermarkKey::parse(bytes_of(text)) == expected);
    }
  }

  TEST_CASE("a file of exactly 32 raw bytes is the key itself") {
    const auto path = provmark::test::temp_dir("key-raw") / "raw.key";
    const auto bytes = sample_bytes();
    write_text(path, std::string(bytes.begin(), bytes.end()));
    CHECK(WatermarkKey::load(path) == WatermarkKey::from_bytes(bytes));
  }

  TEST_CASE("anything else is a bad_key whose message does not reveal the contents") {
    const std::string prefix = "provmark-watermark-key-v1 ";
    const std::vector<std::string> bad_files = {
        "",
        std::string(31, 'k'),
        std::string(33, 'k'),
        prefix + sample_hex.substr(0, 63) + "\n",
        prefix + sample_hex + "a\n",
        prefix + sample_hex.substr(0, 62) + "g0\n",
        prefix + sample_hex + " x\n",
        " " + prefix + sample_hex + "\n",
        "provmark-watermark-key-v2 " + sample_hex + "\n",
        "provmark-watermark-key-v1\t" + sample_hex + "\n",
        "-----BEGIN PRIVATE KEY-----\n" + sample_hex + "\n-----END PRIVATE KEY-----\n",
    };
    const auto dir = provmark::test::temp_dir("key-bad");
    for (const auto& contents : bad_files) {
      CAPTURE(contents);
      const auto path = dir / "bad.key";
      write_text(path, contents);
      const std::string message = error_of([&] { (void)WatermarkKey::load(path); }, Errc::bad_key);
      CHECK(message.find(path.string()) != std::string::npos);
      CHECK(message.find(sample_hex.substr(0, 8)) == std::string::npos);
      CHECK(message.find("kkkk") == std::string::npos);
      error_of([&] { (void)WatermarkKey::parse(bytes_of(contents)); }, Errc::bad_key);
    }
  }

  TEST_CASE("a large file is a bad_key and a missing file an io error") {
    const auto dir = provmark::test::temp_dir("key-size");
    write_text(dir / "big.key", std::string(100'000, 'a'));
    error_of([&] { (void)WatermarkKey::load(dir / "big.key"); }, Errc::bad_key);
    error_of([&] { (void)WatermarkKey::load(dir / "none.key"); }, Errc::io);
  }

  TEST_CASE("from_bytes needs exactly 32 bytes") {
    const std::vector<std::uint8_t> short_key(31), long_key(33);
    error_of([&] { (void)WatermarkKey::from_bytes(short_key); }, Errc::bad_key);
    error_of([&] { (void)WatermarkKey::from_bytes(long_key); }, Errc::bad_key);
  }

  TEST_CASE("keys compare equal exactly when all 32 bytes match") {
    auto bytes = sample_bytes();
    const auto key = WatermarkKey::from_bytes(bytes);
    const WatermarkKey copy = key;
    CHECK(copy == key);
    CHECK(std::equal(key.bytes().begin(), key.bytes().end(), bytes.begin()));
    for (std::size_t i : {0, 17, 31}) {
      auto changed = bytes;
      changed[i] ^= 0x01;
      CHECK_FALSE(WatermarkKey::from_bytes(changed) == key);
    }
    CHECK_FALSE(WatermarkKey::generate() == WatermarkKey::generate());
  }

  TEST_CASE("the fingerprint is the first 4 bytes of BLAKE2b-128 of a domain string and the key") {
    const auto bytes = sample_bytes();
    crypto_generichash_state state;
    REQUIRE(crypto_generichash_init(&state, nullptr, 0, 16) == 0);
    const std::string domain = "provmark-wm-key-fingerprint";
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
    crypto_generichash_update(&state, bytes.data(), bytes.size());
    unsigned char digest[16];
    crypto_generichash_final(&state, digest, sizeof digest);
    char hex[9];
    sodium_bin2hex(hex, sizeof hex, digest, 4);

    const auto key = WatermarkKey::from_bytes(bytes);
    CHECK(key.fingerprint() == std::string(hex));
    CHECK(WatermarkKey::from_bytes(bytes).fingerprint() == key.fingerprint());
    CHECK(WatermarkKey::generate().fingerprint() != key.fingerprint());
    CHECK(key.fingerprint().find_first_not_of("0123456789abcdef") == std::string::npos);
  }

  TEST_CASE("a payload is 8 big-endian bytes written as 16 hex digits") {
    const auto payload = Payload::from_u64(0x0123456789ABCDEFull);
    CHECK(payload.bytes[0] == 0x01);
    CHECK(payload.bytes[7] == 0xEF);
    CHECK(payload.to_u64() == 0x0123456789ABCDEFull);
    CHECK(payload.to_hex() == "0123456789abcdef");
    CHECK(Payload::from_hex("0123456789ABCDEF") == payload);
    CHECK(Payload::from_hex(payload.to_hex()) == payload);
    CHECK(Payload::from_u64(~0ull).to_hex() == "ffffffffffffffff");
  }

  TEST_CASE("a payload's hex must be exactly 16 hex digits") {
    for (const char* hex : {"", "0123456789abcde", "0123456789abcdef0", "0123456789abcdeg", " 123456789abcdef",
                            "0123456789abcde\n", "01:23:45:67:89:ab"}) {
      CAPTURE(hex);
      error_of([&] { (void)Payload::from_hex(hex); }, Errc::invalid_argument);
    }
  }
}
