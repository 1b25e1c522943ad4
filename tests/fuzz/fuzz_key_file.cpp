// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the key-file and payload-hex parsers on hostile bytes. Only provmark::Error may
// escape; a key that parses must round-trip through its text form.
#include <cstdlib>
#include <string>
#include <string_view>

#include "provmark/error.hpp"
#include "provmark/watermark.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace provmark;
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const WatermarkKey key = WatermarkKey::parse(bytes);
    if (size == WatermarkKey::size && !std::equal(key.bytes().begin(), key.bytes().end(), data)) std::abort();
    if (key.fingerprint().size() != 8) std::abort();
  } catch (const Error&) {
  }
  try {
    const Payload p = Payload::from_hex(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!(Payload::from_hex(p.to_hex()) == p)) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
