// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helpers: synthetic manifest stores, and a minimal JUMBF walk that digs the c2pa.hash.data assertion
// out of a real store (crude on purpose: the JUMBF layer proper lives elsewhere).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "c2pa/asset.hpp"

namespace provmark::c2pa::test {

using Bytes = std::vector<std::uint8_t>;

inline std::uint32_t get_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
}

inline void put_u32(Bytes& out, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

/// A store of `size` (>= 38) bytes: a `c2pa` superbox header with its jumd, then filler derived from `seed`.
inline Bytes make_store(std::size_t size, std::uint8_t seed) {
  static constexpr std::uint8_t kHead[] = {
      0, 0, 0, 0, 'j', 'u', 'm', 'b', 0, 0, 0, 30, 'j', 'u', 'm', 'd', 'c', '2', 'p', 'a', 0x00, 0x11, 0x00, 0x10,
      0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71, 0x03, 'c', '2', 'p', 'a', 0};
  Bytes store(std::begin(kHead), std::end(kHead));
  for (std::size_t i = store.size(); i < size; ++i) store.push_back(static_cast<std::uint8_t>(i * 31 + seed));
  put_u32(store, 0, static_cast<std::uint32_t>(store.size()));
  return store;
}

/// The fields of a c2pa.hash.data assertion that a data hash check needs.
struct DataHash {
  std::vector<ByteRange> exclusions;
  std::string alg;
  Bytes hash;
};

// The payload of the cbor box of the first superbox labelled `label` in [begin, end), searched depth first.
inline std::optional<Bytes> find_cbor(std::span<const std::uint8_t> store, std::size_t begin, std::size_t end,
                                      const std::string& label) {
  for (std::size_t pos = begin; end - pos >= 8;) {
    const std::size_t lbox = get_u32(store, pos);
    if (lbox < 8 || lbox > end - pos) return std::nullopt;
    const std::string type(store.begin() + pos + 4, store.begin() + pos + 8);
    if (type == "jumb" && lbox >= 16 + 17) {
      const std::size_t jumd = pos + 8;
      const std::size_t jumd_end = jumd + get_u32(store, jumd);
      const bool labelled = (store[jumd + 24] & 0x02) != 0;
      std::string name;
      for (std::size_t i = jumd + 25; labelled && i < jumd_end && store[i] != 0; ++i) name += char(store[i]);
      if (name == label && jumd_end + 8 <= pos + lbox &&
          std::string(store.begin() + jumd_end + 4, store.begin() + jumd_end + 8) == "cbor")
        return Bytes(store.begin() + jumd_end + 8, store.begin() + jumd_end + get_u32(store, jumd_end));
      if (jumd_end <= pos + lbox)
        if (auto found = find_cbor(store, jumd_end, pos + lbox, label)) return found;
    }
    pos += lbox;
  }
  return std::nullopt;
}

/// The c2pa.hash.data assertion of `store`, or nullopt.
inline std::optional<DataHash> find_data_hash(std::span<const std::uint8_t> store) {
  const auto cbor = find_cbor(store, 0, store.size(), "c2pa.hash.data");
  if (!cbor) return std::nullopt;
  const auto assertion = nlohmann::json::from_cbor(*cbor);
  DataHash out;
  for (const auto& range : assertion.at("exclusions"))
    out.exclusions.push_back({range.at("start").get<std::size_t>(), range.at("length").get<std::size_t>()});
  out.alg = assertion.value("alg", "sha256");
  out.hash = assertion.at("hash").get_binary();
  return out;
}

}  // namespace provmark::c2pa::test
