// SPDX-License-Identifier: Apache-2.0
// WatermarkKey and Payload (spec/image-watermark-v1.md#key-file).
//
// Key file: one line of text, `provmark-watermark-key-v1 <64 lowercase hex digits>\n` (91 bytes). parse() also
// accepts uppercase hex and any trailing whitespace (or none), and, for interop with tools that write raw keys,
// a file of exactly 32 bytes taken as the key itself (the text form is longer, so the two never overlap).
// Files are written atomically with mode 0600.
//
// Fingerprint: the first 4 bytes, as 8 lowercase hex digits, of the 16-byte unkeyed BLAKE2b
// (crypto_generichash) of the ASCII string "provmark-wm-key-fingerprint" followed by the 32 key bytes.
//
// Payload: 8 bytes; as an integer big-endian (bytes[0] most significant); as text 16 hex digits.
#include <sodium.h>

#include <cstring>
#include <string>
#include <string_view>

#include "core/fail.hpp"
#include "core/file_io.hpp"
#include "crypto/keystream.hpp"
#include "provmark/watermark.hpp"

namespace provmark {
namespace {

constexpr std::string_view key_prefix = "provmark-watermark-key-v1 ";
constexpr std::size_t hex_digits = 2 * WatermarkKey::size;
constexpr std::size_t text_size = key_prefix.size() + hex_digits + 1;  // with the newline
constexpr std::size_t max_key_file_bytes = 4096;

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Wipes a buffer that held key material when the scope ends, also when it ends with an exception.
struct Wipe {
  void* data;
  std::size_t size;
  ~Wipe() { sodium_memzero(data, size); }
};

// `source` names where the contents came from; messages never quote the contents.
WatermarkKey parse_key(std::span<const std::uint8_t> contents, const std::string& source) {
  if (contents.size() == WatermarkKey::size) return WatermarkKey::from_bytes(contents);
  const auto bad = [&] {
    fail(Errc::bad_key, source + " is not a provmark watermark key (expected '" + std::string(key_prefix) +
                            "<64 hex digits>' or 32 raw bytes)");
  };
  if (contents.size() < key_prefix.size() + hex_digits ||
      std::memcmp(contents.data(), key_prefix.data(), key_prefix.size()) != 0)
    bad();
  for (std::size_t i = key_prefix.size() + hex_digits; i < contents.size(); ++i)
    if (!is_space(contents[i])) bad();
  std::uint8_t bytes[WatermarkKey::size];
  Wipe wipe{bytes, sizeof bytes};
  const char* hex = reinterpret_cast<const char*>(contents.data()) + key_prefix.size();
  std::size_t length = 0;
  // Without hex_end, sodium_hex2bin fails unless all 64 characters are hex digits.
  if (sodium_hex2bin(bytes, sizeof bytes, hex, hex_digits, nullptr, &length, nullptr) != 0 || length != sizeof bytes)
    bad();
  return WatermarkKey::from_bytes(bytes);
}

}  // namespace

WatermarkKey WatermarkKey::generate() {
  crypto::ensure_sodium();
  WatermarkKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

WatermarkKey WatermarkKey::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != size)
    fail(Errc::bad_key, "a watermark key has 32 bytes, not " + std::to_string(bytes.size()));
  WatermarkKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), size);
  return key;
}

WatermarkKey WatermarkKey::parse(std::span<const std::uint8_t> file_contents) {
  return parse_key(file_contents, "the key data");
}

WatermarkKey WatermarkKey::load(const std::filesystem::path& path) {
  std::vector<std::uint8_t> contents;
  try {
    contents = read_file(path, Limits{.max_file_bytes = max_key_file_bytes});
  } catch (const Error& e) {
    if (e.code() != Errc::limit_exceeded) throw;
    fail(Errc::bad_key, "key file '" + path.string() + "' is too large to be a watermark key");
  }
  Wipe wipe{contents.data(), contents.size()};
  return parse_key(contents, "key file '" + path.string() + "'");
}

void WatermarkKey::save(const std::filesystem::path& path) const {
  char text[text_size + 1];  // sodium_bin2hex writes a terminating NUL
  Wipe wipe{text, sizeof text};
  std::memcpy(text, key_prefix.data(), key_prefix.size());
  sodium_bin2hex(text + key_prefix.size(), hex_digits + 1, bytes_.data(), bytes_.size());
  text[text_size - 1] = '\n';
  write_file_atomic(path, {reinterpret_cast<const std::uint8_t*>(text), text_size}, FileMode::private_);
}

WatermarkKey::~WatermarkKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

bool WatermarkKey::operator==(const WatermarkKey& other) const noexcept {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), size) == 0;
}

std::string WatermarkKey::fingerprint() const {
  constexpr std::string_view domain = "provmark-wm-key-fingerprint";
  std::uint8_t message[domain.size() + size];
  Wipe wipe{message, sizeof message};
  std::memcpy(message, domain.data(), domain.size());
  std::memcpy(message + domain.size(), bytes_.data(), size);
  std::uint8_t digest[16];
  crypto::ensure_sodium();
  if (crypto_generichash(digest, sizeof digest, message, sizeof message, nullptr, 0) != 0)
    fail(Errc::crypto, "BLAKE2b failed");
  char hex[2 * 4 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, 4);
  return hex;
}

Payload Payload::from_hex(std::string_view hex) {
  Payload payload;
  std::size_t length = 0;
  if (hex.size() != 2 * size ||
      sodium_hex2bin(payload.bytes.data(), size, hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
      length != size)
    fail(Errc::invalid_argument, "a payload is exactly 16 hex digits");
  return payload;
}

Payload Payload::from_u64(std::uint64_t value) noexcept {
  Payload payload;
  for (std::size_t i = 0; i < size; ++i) payload.bytes[i] = static_cast<std::uint8_t>(value >> (8 * (size - 1 - i)));
  return payload;
}

std::string Payload::to_hex() const {
  char hex[2 * size + 1];
  sodium_bin2hex(hex, sizeof hex, bytes.data(), size);
  return hex;
}

std::uint64_t Payload::to_u64() const noexcept {
  std::uint64_t value = 0;
  for (const std::uint8_t b : bytes) value = value << 8 | b;
  return value;
}

}  // namespace provmark
