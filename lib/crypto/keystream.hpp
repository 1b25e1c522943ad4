// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The keyed pseudo-random stream every secret choice of the watermark is drawn from
/// (spec/image-watermark-v1.md#keystream). Definition, to be reproduced bit for bit:
///
///   subkey = crypto_kdf_derive_from_key(32 bytes, subkey_id, context, master_key)
///            (libsodium: BLAKE2b keyed with master_key, salt = subkey_id little-endian, personal = context)
///   stream = ChaCha20-IETF keystream (RFC 8439) under subkey, 12-byte all-zero nonce, block counter from 0
///            (crypto_stream_chacha20_ietf)
///
/// next_u32() takes the next 4 stream bytes as a little-endian integer; below(n) = (next_u32() * n) >> 32
/// in 64-bit arithmetic; unit() = next_u32() / 2^32. Each call consumes exactly 4 bytes.

#include <cstddef>
#include <cstdint>
#include <span>

namespace provmark::crypto {

/// Initialises libsodium once per process. Call before any libsodium function that needs it.
/// @throws Error(crypto) when libsodium cannot initialise.
void ensure_sodium();

/// Thread safety: one instance per thread; distinct instances are independent.
class KeyStream {
 public:
  static constexpr std::size_t key_size = 32;

  /// `context` is 8 characters (plus the terminating NUL of the literal), e.g. "pmwm-pos".
  KeyStream(std::span<const std::uint8_t, key_size> master_key, const char (&context)[9], std::uint64_t subkey_id);
  KeyStream(const KeyStream&) = delete;
  KeyStream& operator=(const KeyStream&) = delete;
  ~KeyStream();

  /// The next 4 stream bytes, little-endian.
  [[nodiscard]] std::uint32_t next_u32();
  /// Uniform-ish in [0, n): (next_u32() * n) >> 32. @throws Error(invalid_argument) when n == 0.
  [[nodiscard]] std::uint32_t below(std::uint32_t n);
  /// next_u32() / 2^32, in [0, 1).
  [[nodiscard]] double unit();

 private:
  static constexpr std::size_t block_size = 64;  // one ChaCha20 block

  void refill();

  std::uint8_t subkey_[key_size];
  std::uint8_t block_[block_size];
  std::size_t used_ = block_size;  // bytes of block_ already handed out
  std::uint64_t next_block_ = 0;   // ChaCha20 block counter of the next refill
};

}  // namespace provmark::crypto
