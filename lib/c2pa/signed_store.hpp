// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The seam between the manifest builder (manifest.cpp: assertions, claim, signature) and bindings that need
/// no two-pass layout, such as a sidecar's data hash over the whole asset (sidecar.cpp).

#include <cstdint>
#include <string_view>
#include <vector>

#include "provmark/manifest.hpp"
#include "provmark/signer.hpp"

namespace provmark::c2pa {

/// A signed manifest store (fresh manifest label and instance ID) holding the assertions of `manifest`
/// followed by the hard binding `hard_binding` (CBOR) under `hard_binding_label`.
/// @throws Error(crypto | invalid_argument)
std::vector<std::uint8_t> signed_store(const Manifest& manifest, std::string_view hard_binding_label,
                                       std::vector<std::uint8_t> hard_binding, const Signer& signer);

}  // namespace provmark::c2pa
