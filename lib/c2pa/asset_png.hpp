// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// C2PA manifest store in PNG: one ancillary, private, not-safe-to-copy `caBX` chunk whose data is the store
/// (C2PA spec A.3.2). Written right after IHDR, as c2pa-rs does; read wherever it is.

#include <optional>

#include "c2pa/asset.hpp"

namespace provmark::c2pa {

/// The store in the caBX chunk, or nullopt when there is none. Error(malformed_input) for a bad signature,
/// chunks past the end, CRC mismatches, no IHDR first or no IEND, or two caBX chunks ("more than one
/// manifest store").
std::optional<std::vector<std::uint8_t>> png_read_manifest_store(std::span<const std::uint8_t> png);

/// The PNG without its caBX chunk (unchanged bytes when it has none). Errors as for reading.
std::vector<std::uint8_t> png_remove_manifest_store(std::span<const std::uint8_t> png);

/// The PNG with `store` in a caBX chunk right after IHDR, replacing any existing one; the exclusion is the
/// whole chunk (length, type, data, CRC). Error(invalid_argument) if `store` is not a manifest store.
EmbeddedAsset png_embed_manifest_store(std::span<const std::uint8_t> png, std::span<const std::uint8_t> store);

/// Where png_embed_manifest_store would put `store`, without building the file (see StorePlacement).
StorePlacement png_plan_manifest_store(std::span<const std::uint8_t> png, std::span<const std::uint8_t> store);

}  // namespace provmark::c2pa
