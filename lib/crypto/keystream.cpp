// SPDX-License-Identifier: Apache-2.0
// The keystream is generated one 64-byte ChaCha20 block at a time with crypto_stream_chacha20_ietf_xor_ic
// (explicit block counter), so reading it in any pieces gives the same bytes as the one-shot
// crypto_stream_chacha20_ietf over the whole length. Definition: keystream.hpp.
#include "crypto/keystream.hpp"

#include <sodium.h>

#include <mutex>

#include "core/fail.hpp"

namespace provmark::crypto {

void ensure_sodium() {
  static std::once_flag once;
  static int status = -1;
  // The result is checked outside call_once: an exception leaving std::call_once is unreliable with
  // libstdc++ (GCC bug 66146), and sodium_init never succeeds after failing anyway.
  std::call_once(once, [] { status = sodium_init(); });
  if (status < 0) fail(Errc::crypto, "libsodium could not be initialised");
}

static_assert(crypto_kdf_CONTEXTBYTES == 8 && crypto_kdf_KEYBYTES == KeyStream::key_size);
static_assert(crypto_stream_chacha20_ietf_KEYBYTES == KeyStream::key_size);
static_assert(crypto_stream_chacha20_ietf_NONCEBYTES == 12);

KeyStream::KeyStream(std::span<const std::uint8_t, key_size> master_key, const char (&context)[9],
                     std::uint64_t subkey_id) {
  ensure_sodium();
  if (crypto_kdf_derive_from_key(subkey_, sizeof subkey_, subkey_id, context, master_key.data()) != 0)
    fail(Errc::crypto, "key derivation failed");
}

KeyStream::~KeyStream() {
  sodium_memzero(subkey_, sizeof subkey_);
  sodium_memzero(block_, sizeof block_);
}

void KeyStream::refill() {
  static constexpr unsigned char zeros[block_size] = {};
  static constexpr unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  // The IETF variant has a 32-bit block counter: 256 GiB per stream, far beyond any use here.
  if (next_block_ > UINT32_MAX) fail(Errc::crypto, "keystream exhausted");
  if (crypto_stream_chacha20_ietf_xor_ic(block_, zeros, block_size, nonce, static_cast<std::uint32_t>(next_block_),
                                         subkey_) != 0)
    fail(Errc::crypto, "ChaCha20 failed");
  ++next_block_;
  used_ = 0;
}

std::uint32_t KeyStream::next_u32() {
  if (used_ == block_size) refill();  // 4 divides 64: a value never straddles two blocks
  const std::uint8_t* p = block_ + used_;
  used_ += 4;
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

std::uint32_t KeyStream::below(std::uint32_t n) {
  if (n == 0) fail(Errc::invalid_argument, "KeyStream::below(0)");
  return static_cast<std::uint32_t>((std::uint64_t{next_u32()} * n) >> 32);
}

double KeyStream::unit() { return next_u32() * 0x1p-32; }

}  // namespace provmark::crypto
