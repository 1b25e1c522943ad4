// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the C2PA caBX chunk walk on hostile bytes. Only provmark::Error may escape. A store that
// reads must also survive a round trip: remove it, embed it again, and read back the same bytes.

#include <cstdlib>
#include <optional>
#include <vector>

#include "c2pa/asset_png.hpp"
#include "provmark/error.hpp"
#include "png_crc.hpp"

using namespace provmark;
using namespace provmark::c2pa;

namespace {

void check(std::span<const std::uint8_t> png) {
  std::optional<std::vector<std::uint8_t>> store;
  std::vector<std::uint8_t> bare;
  try {
    store = png_read_manifest_store(png);
    bare = png_remove_manifest_store(png);
  } catch (const Error&) {
    return;
  }
  if (!store) {
    if (bare.size() != png.size()) std::abort();  // nothing to remove
    return;
  }
  if (png_read_manifest_store(bare)) std::abort();
  EmbeddedAsset again;
  try {
    again = png_embed_manifest_store(bare, *store);
  } catch (const Error& error) {
    if (error.code() == Errc::invalid_argument) return;  // a caBX chunk holding something else
    std::abort();
  }
  if (png_read_manifest_store(again.bytes) != store || png_remove_manifest_store(again.bytes) != bare) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check({data, size});
  check(with_fixed_crcs(data, size));
  return 0;
}
