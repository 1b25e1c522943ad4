// SPDX-License-Identifier: Apache-2.0
#include "c2pa/asset.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "core/fail.hpp"

namespace provmark::c2pa {
namespace {

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
}

bool has_tag(std::span<const std::uint8_t> bytes, std::size_t at, std::string_view tag) {
  return std::equal(tag.begin(), tag.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
}

struct MdFree {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// C2PA's algorithm names (spec 13.1) to OpenSSL's.
// OpenSSL 3 fetches are slow (provider lookups under locks): fetch each digest once per process.
// A fetched EVP_MD is immutable and safe to share between threads.
const EVP_MD* digest_for(std::string_view sha) {
  static const std::unique_ptr<EVP_MD, MdFree> sha256(EVP_MD_fetch(nullptr, "SHA2-256", nullptr));
  static const std::unique_ptr<EVP_MD, MdFree> sha384(EVP_MD_fetch(nullptr, "SHA2-384", nullptr));
  static const std::unique_ptr<EVP_MD, MdFree> sha512(EVP_MD_fetch(nullptr, "SHA2-512", nullptr));
  if (sha == "sha256") return sha256.get();
  if (sha == "sha384") return sha384.get();
  if (sha == "sha512") return sha512.get();
  fail(Errc::unsupported_format, "c2pa: unsupported hash algorithm '" + std::string(sha) + "'");
}

}  // namespace

void check_manifest_store(std::span<const std::uint8_t> store) {
  // LBox, "jumb", jumd LBox, "jumd", then the jumd type UUID whose first 4 bytes are "c2pa".
  constexpr std::size_t kHeader = 20;
  if (store.size() < kHeader || !has_tag(store, 4, "jumb") || !has_tag(store, 12, "jumd") ||
      !has_tag(store, 16, "c2pa"))
    fail(Errc::invalid_argument, "c2pa: not a manifest store (a jumb superbox of type c2pa)");
  if (read_u32(store, 0) != store.size())
    fail(Errc::invalid_argument, "c2pa: manifest store LBox does not match its size");
}

std::vector<std::uint8_t> hash_excluding(std::span<const std::uint8_t> asset, const std::vector<ByteRange>& exclusions,
                                         std::string_view sha) {
  const EVP_MD* md = digest_for(sha);
  const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (md == nullptr || !ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1)
    fail(Errc::crypto, "c2pa: cannot set up " + std::string(sha));

  auto update = [&](std::size_t from, std::size_t to) {
    if (to > from && EVP_DigestUpdate(ctx.get(), asset.data() + from, to - from) != 1)
      fail(Errc::crypto, "c2pa: digest update failed");
  };
  std::size_t pos = 0;
  for (const ByteRange& range : exclusions) {
    if (range.start < pos) fail(Errc::malformed_input, "c2pa: data hash exclusions are unsorted or overlap");
    if (range.start > asset.size() || range.length > asset.size() - range.start)
      fail(Errc::malformed_input, "c2pa: data hash exclusion reaches past the end of the asset");
    update(pos, range.start);
    pos = range.start + range.length;
  }
  update(pos, asset.size());

  std::vector<std::uint8_t> digest(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != digest.size())
    fail(Errc::crypto, "c2pa: digest final failed");
  return digest;
}

std::vector<std::uint8_t> hash_pieces(std::span<const std::uint8_t> asset, const std::vector<HashPiece>& pieces,
                                      std::string_view sha) {
  const EVP_MD* md = digest_for(sha);
  const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (md == nullptr || !ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1)
    fail(Errc::crypto, "c2pa: cannot set up " + std::string(sha));
  for (const HashPiece& piece : pieces) {
    std::array<std::uint8_t, 8> offset{};
    const std::uint8_t* data = offset.data();
    std::size_t length = offset.size();
    if (piece.offset_marker) {
      for (std::size_t i = 0; i < 8; ++i)
        offset[i] = static_cast<std::uint8_t>(std::uint64_t{piece.range.start} >> (56 - 8 * i));
    } else {
      if (piece.range.start > asset.size() || piece.range.length > asset.size() - piece.range.start)
        fail(Errc::malformed_input, "c2pa: hashed range reaches past the end of the asset");
      data = asset.data() + piece.range.start;
      length = piece.range.length;
    }
    if (length > 0 && EVP_DigestUpdate(ctx.get(), data, length) != 1) fail(Errc::crypto, "c2pa: digest update failed");
  }
  std::vector<std::uint8_t> digest(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != digest.size())
    fail(Errc::crypto, "c2pa: digest final failed");
  return digest;
}

std::vector<std::uint8_t> splice(std::span<const std::uint8_t> input, const StorePlacement& placement,
                                 std::span<const std::uint8_t> container) {
  const ByteRange removed = placement.removed;
  const std::size_t at = placement.exclusion.start;  // in the output
  // The container goes before the removed range or takes its place (both embedders ensure it).
  if (at > removed.start || removed.start + removed.length > input.size())
    fail(Errc::internal, "c2pa: inconsistent store placement");
  std::vector<std::uint8_t> out;
  out.reserve(input.size() - removed.length + container.size());
  out.insert(out.end(), input.begin(), input.begin() + static_cast<std::ptrdiff_t>(at));
  out.insert(out.end(), container.begin(), container.end());
  out.insert(out.end(), input.begin() + static_cast<std::ptrdiff_t>(at),
             input.begin() + static_cast<std::ptrdiff_t>(removed.start));
  out.insert(out.end(), input.begin() + static_cast<std::ptrdiff_t>(removed.start + removed.length), input.end());
  return out;
}

}  // namespace provmark::c2pa
