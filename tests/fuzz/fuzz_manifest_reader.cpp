// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: inspect() on hostile JPEG/PNG bytes, and the same bytes as a sidecar store. Only
// provmark::Error may escape; a report must serialize to JSON. Anything else is a finding.

#include <cstdlib>

#include "provmark/error.hpp"
#include "provmark/inspect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    const provmark::ManifestReport report = provmark::inspect(bytes);
    if (report.to_json().empty()) std::abort();
  } catch (const provmark::Error&) {
  }
  const provmark::ManifestReport sidecar = provmark::inspect_sidecar(bytes, bytes);  // never throws for bad stores
  if (sidecar.has_manifest && sidecar.state != provmark::ValidationState::invalid && sidecar.failure.size() > 1)
    std::abort();  // Valid/Trusted allows at most signingCredential.untrusted
  return 0;
}
