// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the C2PA APP11 segment walk on hostile bytes. Only provmark::Error may escape. A store
// that reads must also survive a round trip: remove it, embed it again, and read back the same bytes.

#include <cstdlib>
#include <optional>
#include <vector>

#include "c2pa/asset_jpeg.hpp"
#include "provmark/error.hpp"

using namespace provmark;
using namespace provmark::c2pa;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> jpeg(data, size);
  std::optional<std::vector<std::uint8_t>> store;
  std::vector<std::uint8_t> bare;
  try {
    store = jpeg_read_manifest_store(jpeg);
    bare = jpeg_remove_manifest_store(jpeg);
  } catch (const Error&) {
    return 0;
  }
  if (!store) {
    if (bare.size() != size) std::abort();  // nothing to remove
    return 0;
  }
  if (jpeg_read_manifest_store(bare)) std::abort();
  EmbeddedAsset again;
  try {
    again = jpeg_embed_manifest_store(bare, *store);
  } catch (const Error& error) {
    if (error.code() == Errc::invalid_argument) return 0;  // found by its marker, yet no well-formed store
    std::abort();
  }
  if (jpeg_read_manifest_store(again.bytes) != store || jpeg_remove_manifest_store(again.bytes) != bare) std::abort();
  return 0;
}
