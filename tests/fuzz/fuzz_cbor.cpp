// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CBOR decoding (nlohmann behind our depth, key and tag checks) on hostile bytes. Only
// provmark::Error may escape. A decoded value must encode deterministically and decode back to itself.
#include <cstdlib>

#include "c2pa/cbor.hpp"
#include "provmark/error.hpp"

using provmark::c2pa::cbor::from_cbor;
using provmark::c2pa::cbor::from_cbor_tagged;
using provmark::c2pa::cbor::to_cbor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    (void)from_cbor_tagged(bytes, nlohmann::json::cbor_tag_handler_t::ignore);
  } catch (const provmark::Error&) {
  }
  nlohmann::json value;
  try {
    value = from_cbor(bytes);
  } catch (const provmark::Error&) {
    return 0;
  }
  const auto encoded = to_cbor(value);
  // NaN != NaN, so compare the deterministic encodings rather than the values.
  if (to_cbor(from_cbor(encoded)) != encoded) std::abort();
  return 0;
}
