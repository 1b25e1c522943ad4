// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the PNG chunk walk and libpng decoding on hostile bytes. Only provmark::Error may escape
// decode_png; a PNG that decodes must re-encode and decode again to the same pixels and chunks.

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "codecs/png.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;
using namespace provmark::codecs;

// Almost every mutation breaks a chunk CRC, which stops decoding at the chunk walk; a copy with the CRCs
// recomputed lets the fuzzer reach libpng and zlib as well.
std::vector<std::uint8_t> with_fixed_crcs(const std::uint8_t* data, std::size_t size) {
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

void check(std::span<const std::uint8_t> bytes, const Limits& limits) {
  std::optional<PngImage> png;
  try {
    png = decode_png(bytes, limits);
  } catch (const Error&) {
    return;
  }
  // Errors from here on are findings.
  const PngImage again = decode_png(encode_png(png->image.view(), png->ancillary), limits);
  const Image& a = png->image;
  const Image& b = again.image;
  if (a.width() != b.width() || a.height() != b.height() || a.format() != b.format() ||
      std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.stride()) * a.height()) != 0)
    std::abort();
  if (again.ancillary.size() != png->ancillary.size()) std::abort();
  for (std::size_t i = 0; i < again.ancillary.size(); ++i)
    if (again.ancillary[i].type != png->ancillary[i].type || again.ancillary[i].data != png->ancillary[i].data ||
        again.ancillary[i].after_idat != png->ancillary[i].after_idat)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Limits limits;
  limits.max_pixels = 1 << 20;  // keeps each run fast; the limit path is part of what is fuzzed
  check({data, size}, limits);
  check(with_fixed_crcs(data, size), limits);
  return 0;
}
