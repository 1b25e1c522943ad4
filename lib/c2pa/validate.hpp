// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Validation of one manifest store against the asset bytes its hard binding covers (brief §9).

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "c2pa/asset.hpp"
#include "c2pa/certificates.hpp"
#include "c2pa/jumbf.hpp"
#include "provmark/inspect.hpp"

namespace provmark::c2pa {

/// True for the manifest superboxes of a store: standard, update, compressed and legacy standard (S §11.2).
bool is_manifest(const jumbf::ParsedSuperbox& box);

/// A report for `store` (JUMBF bytes) bound to `asset` (the whole file; the data hash's exclusions apply to
/// it). `anchors` may be null. `store_range` is where the store's container lies in `asset` (embedded stores):
/// when the active manifest is an update manifest, the binding manifest's exclusion that starts there covers the
/// whole container, which grew when the update was added (as c2pa-rs reads it). `identity_anchors` (may be null)
/// are for the active manifest's CAWG identity assertions (cawg.hpp). Never throws for hostile store bytes: faults
/// become failure codes.
ManifestReport validate_store(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                              const TrustAnchors* anchors, std::chrono::system_clock::time_point at,
                              std::optional<ByteRange> store_range = std::nullopt,
                              const TrustAnchors* identity_anchors = nullptr);

/// {"success": [...], "informational": [...], "failure": [...]}, entries {code, url, explanation} (S §15.2.1).
nlohmann::json status_codes_json(const std::vector<ValidationStatus>& success,
                                 const std::vector<ValidationStatus>& informational,
                                 const std::vector<ValidationStatus>& failure);

/// {"activeManifest": status codes, "ingredientDeltas": [...] (when there are any)}: c2pa-rs's validation_results
/// and an ingredient's validationResults (S §15.2.1, §18.15).
nlohmann::json validation_results_json(const ManifestReport& report);

}  // namespace provmark::c2pa
