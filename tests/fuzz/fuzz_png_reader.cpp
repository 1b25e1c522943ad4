// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the PNG chunk walk and libpng decoding on hostile bytes. Only provmark::Error may escape
// decode_png; a PNG that decodes must re-encode and decode again to the same pixels and chunks.

#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "codecs/png.hpp"
#include "provmark/error.hpp"
#include "png_crc.hpp"

namespace {

using namespace provmark;
using namespace provmark::codecs;


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
