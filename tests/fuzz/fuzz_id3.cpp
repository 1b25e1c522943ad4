// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the ID3v2 tag parser and the MP3 GEOB store on hostile bytes. Only provmark::Error may escape;
// an MP3 whose tag parses must take a store and give the same store back.

#include <cstdlib>
#include <optional>
#include <vector>

#include "c2pa/asset_media.hpp"
#include "containers/id3.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;

std::vector<std::uint8_t> store() {
  std::vector<std::uint8_t> s{0, 0, 0, 40, 'j', 'u', 'm', 'b', 0, 0, 0, 32, 'j', 'u', 'm', 'd', 'c', '2', 'p', 'a'};
  s.resize(40, 0xFF);  // bytes that unsynchronisation would have to escape
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  std::optional<containers::Id3Tag> tag;
  try {
    tag = containers::parse_id3v2(bytes);
    if (tag) {
      for (const auto& frame : tag->frames) {
        (void)containers::id3_frame_content(*tag, frame);
        (void)containers::id3_frame_bytes(*tag, frame);
      }
    }
    (void)c2pa::mp3_read_manifest_store(bytes);
    (void)c2pa::mp3_manifest_store_range(bytes);
  } catch (const Error&) {
    return 0;
  }
  std::optional<c2pa::EmbeddedAsset> out;
  try {
    out = c2pa::mp3_embed_manifest_store(bytes, store());
  } catch (const Error& e) {
    if (e.code() == Errc::unsupported_format || e.code() == Errc::limit_exceeded) return 0;  // v2.2, huge tags
    std::abort();
  }
  // Errors from here on are findings.
  if (c2pa::mp3_read_manifest_store(out->bytes) != store()) std::abort();
  const auto range = c2pa::mp3_manifest_store_range(out->bytes);
  if (!range || out->exclusions.size() != 1 || !(*range == out->exclusions[0])) std::abort();
  return 0;
}
