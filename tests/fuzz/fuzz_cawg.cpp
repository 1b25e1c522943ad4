// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CAWG identity assertions (cawg.identity CBOR) on hostile bytes. Checking never throws; a
// well-formed verdict needs a validated signature, and statuses always carry a code.
#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "c2pa/cawg.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace provmark::c2pa;
  static const std::vector<ClaimReference> references = {
      {"self#jumbf=c2pa.assertions/c2pa.hash.data", std::vector<std::uint8_t>(32, 0)},
      {"self#jumbf=c2pa.assertions/cawg.training-mining", std::vector<std::uint8_t>(32, 1)}};
  const IdentityCheck check =
      check_identity_assertion({data, size}, references, nullptr, std::chrono::system_clock::now());
  const auto has = [&](std::string_view code) {
    return std::any_of(check.statuses.begin(), check.statuses.end(), [&](const auto& s) { return s.code == code; });
  };
  if (check.statuses.empty()) std::abort();
  if (has(cawg_status::well_formed) && !has(cawg_status::signature_validated)) std::abort();
  return 0;
}
