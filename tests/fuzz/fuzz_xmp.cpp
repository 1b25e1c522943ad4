// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the XMP scanner behind the TC260:AIGC property on hostile packets. Only provmark::Error may
// escape, and only malformed_input. A packet that reads must be updatable: setting a value reads back as exactly
// that value, removing it reads back as nothing.

#include <cstdlib>
#include <string>
#include <vector>

#include "labels/xmp.hpp"
#include "provmark/error.hpp"

using namespace provmark;
using namespace provmark::labels;

namespace {

// Everything escaping has to handle: both quotes, &, <, >.
constexpr std::string_view kValue = R"({"Label":"1","ContentProducer":"a'b\"c<d>&e"})";

void expect_malformed(const Error& error) {
  if (error.code() != Errc::malformed_input) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view packet(reinterpret_cast<const char*>(data), size);
  try {
    (void)xmp_aigc_values(packet);
  } catch (const Error& error) {
    expect_malformed(error);
    try {
      (void)xmp_set_aigc(packet, kValue);
    } catch (const Error& again) {
      expect_malformed(again);
      return 0;
    }
    std::abort();  // what cannot be read must not be written
  }
  try {
    if (xmp_aigc_values(xmp_set_aigc(packet, kValue)) != std::vector<std::string>{std::string(kValue)}) std::abort();
  } catch (const Error& error) {
    expect_malformed(error);  // only a packet with structured AIGC properties and no rdf:RDF to add one to
  }
  if (!xmp_aigc_values(xmp_set_aigc(packet, std::nullopt)).empty()) std::abort();
  return 0;
}
