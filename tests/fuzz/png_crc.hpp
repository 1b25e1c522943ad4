// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the PNG fuzz targets: almost every mutation breaks a chunk CRC, which stops parsing at the
// chunk walk; a copy with the CRCs recomputed lets the fuzzer reach what lies behind the check.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

inline std::vector<std::uint8_t> with_fixed_crcs(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> out(data, data + size);
  for (std::size_t pos = 8; pos + 12 <= out.size();) {
    const std::size_t length =
        (std::size_t{out[pos]} << 24) | (out[pos + 1] << 16) | (out[pos + 2] << 8) | out[pos + 3];
    if (length > out.size() - pos - 12) break;
    const auto crc = static_cast<std::uint32_t>(crc32(0, &out[pos + 4], static_cast<uInt>(4 + length)));
    for (int i = 0; i < 4; ++i) out[pos + 8 + length + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
    pos += 12 + length;
  }
  return out;
}
