// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the COSE_Sign1 parser on hostile bytes. Only provmark::Error may escape; a parse that
// succeeds must have at least one certificate, and verifying it must not crash.
#include <cstdlib>

#include "c2pa/cose.hpp"
#include "provmark/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace provmark;
  try {
    const c2pa::CoseSign1 cose = c2pa::parse_cose_sign1(std::span<const std::uint8_t>(data, size));
    if (cose.x5chain.empty()) std::abort();
    (void)c2pa::verify_cose_sign1(cose, std::span<const std::uint8_t>(data, size / 2));
  } catch (const Error&) {
  }
  return 0;
}
