// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the BMFF box walk, the C2PA uuid box and the BMFF hash on hostile bytes. Only provmark::Error
// may escape; a file that takes a store must give it back, and hash the same whatever the store holds.

#include <cstdlib>
#include <optional>
#include <vector>

#include "c2pa/asset_media.hpp"
#include "containers/bmff.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;

std::vector<std::uint8_t> store(std::uint8_t fill) {
  std::vector<std::uint8_t> s{0, 0, 0, 40, 'j', 'u', 'm', 'b', 0, 0, 0, 32, 'j', 'u', 'm', 'd', 'c', '2', 'p', 'a'};
  s.resize(40, fill);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    (void)containers::parse_bmff(bytes);
    (void)c2pa::bmff_read_manifest_store(bytes);
    (void)c2pa::bmff_hash(bytes, c2pa::bmff_required_exclusions(), "sha256");
    // A subset and a data match reaching past the box or the file are part of what is fuzzed.
    c2pa::BmffExclusion odd;
    odd.xpath = "/moov";
    odd.subset.push_back({4, 0});
    odd.data.push_back({static_cast<std::uint32_t>(size % 64), {0x6D, 0x6F}});
    (void)c2pa::bmff_hash(bytes, {odd}, "sha256", size % 2 == 0);
  } catch (const Error&) {
    return 0;
  }
  std::optional<c2pa::EmbeddedAsset> a, b;
  try {
    a = c2pa::bmff_embed_manifest_store(bytes, store(1));
    b = c2pa::bmff_embed_manifest_store(bytes, store(2));
  } catch (const Error& e) {
    if (e.code() == Errc::unsupported_format || e.code() == Errc::limit_exceeded || e.code() == Errc::malformed_input)
      return 0;  // fragmented, offsets that overflow, chunk offset boxes that lie, two stores
    std::abort();
  }
  // Errors from here on are findings.
  if (c2pa::bmff_read_manifest_store(a->bytes) != store(1)) std::abort();
  const auto exclusions = c2pa::bmff_required_exclusions();
  if (c2pa::bmff_hash(a->bytes, exclusions, "sha256") != c2pa::bmff_hash(b->bytes, exclusions, "sha256"))
    std::abort();
  return 0;
}
