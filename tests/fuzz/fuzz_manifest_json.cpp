// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: manifest_from_json on hostile text. Only provmark::Error may escape, and an accepted
// definition must give a manifest the signer can write: a generator, JUMBF labels outside c2pa., valid CBOR.
#include <cstdlib>
#include <string_view>

#include "c2pa/cbor.hpp"
#include "c2pa/jumbf.hpp"
#include "provmark/error.hpp"
#include "provmark/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const provmark::Manifest manifest =
        provmark::manifest_from_json(std::string_view(reinterpret_cast<const char*>(data), size));
    if (manifest.generator().empty()) std::abort();
    for (const auto& custom : manifest.custom_assertions()) {
      if (!provmark::c2pa::jumbf::is_valid_label(custom.label) || custom.label.rfind("c2pa.", 0) == 0) std::abort();
      (void)provmark::c2pa::cbor::from_cbor(custom.cbor);  // throws (a finding: it escapes as an Error) if invalid
    }
  } catch (const provmark::Error&) {
  }
  return 0;
}
