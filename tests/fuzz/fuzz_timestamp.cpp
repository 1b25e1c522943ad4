// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: RFC 3161 time-stamp tokens (sigTst / sigTst2 values) on hostile bytes. Checking never throws;
// a validated token has a genTime and a TSA certificate, and judging its trust must not crash. Extracting the token
// may only throw provmark::Error.
#include <cstdlib>

#include "c2pa/timestamp.hpp"
#include "provmark/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace provmark;
  const std::span<const std::uint8_t> bytes(data, size);
  const std::uint8_t message[] = {'m', 'e', 's', 's', 'a', 'g', 'e'};
  const c2pa::TimeStampCheck check = c2pa::check_time_stamp(bytes, message);
  if (check.time && !check.tsa) std::abort();
  if (check.time) {
    (void)c2pa::trust_time_stamp(check, nullptr, true);
    (void)c2pa::trust_time_stamp(check, nullptr, false);
  }
  try {
    (void)c2pa::time_stamp_token(bytes);
  } catch (const Error&) {
  }
  return 0;
}
