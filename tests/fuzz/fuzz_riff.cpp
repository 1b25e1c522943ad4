// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the RIFF chunk walk and the WAV C2PA chunk on hostile bytes. Only provmark::Error may escape;
// a WAV that parses must take a store and give the same store back, with the form still parsing.

#include <cstdlib>
#include <optional>
#include <vector>

#include "c2pa/asset_media.hpp"
#include "containers/riff.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;

// The smallest bytes check_manifest_store accepts.
std::vector<std::uint8_t> store() {
  std::vector<std::uint8_t> s{0, 0, 0, 41, 'j', 'u', 'm', 'b', 0, 0, 0, 33, 'j', 'u', 'm', 'd', 'c', '2', 'p', 'a'};
  s.resize(41, 7);  // odd: the pad byte is written
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  containers::RiffForm form;
  try {
    form = containers::parse_riff(bytes);
    (void)c2pa::wav_read_manifest_store(bytes);
    (void)c2pa::wav_manifest_store_range(bytes);
  } catch (const Error&) {
    return 0;
  }
  std::optional<c2pa::EmbeddedAsset> out;
  try {
    out = c2pa::wav_embed_manifest_store(bytes, store());
  } catch (const Error& e) {
    if (e.code() == Errc::malformed_input) return 0;  // two C2PA chunks
    std::abort();
  }
  // Errors from here on are findings.
  const auto again = containers::parse_riff(out->bytes);
  if (again.chunks.empty() || !again.chunks.back().is("C2PA")) std::abort();
  if (c2pa::wav_read_manifest_store(out->bytes) != store()) std::abort();
  return 0;
}
