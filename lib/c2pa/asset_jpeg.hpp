// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// C2PA manifest store in JPEG: APP11 marker segments carrying a JPEG XT box (ISO 19566-5, C2PA spec A.3.1).
/// Each segment is FF EB, Lp, CI "JP", En (box instance, the same in all segments of the store), Z (sequence
/// number from 1), then the next piece of the store; segments after the first repeat the store's LBox+TBox.
/// Layout as c2pa-rs writes it: at most 64000 store bytes per segment, En 0x0211 (unless another JPEG XT box
/// uses it: then the next free number), the segments contiguous, at the old store's place or else after the
/// last APP0 (JFIF) or right after SOI.

#include <optional>

#include "c2pa/asset.hpp"

namespace provmark::c2pa {

/// The reassembled store, or nullopt when the JPEG has none. Error(malformed_input) for a broken header
/// walk, sequence gaps, non-contiguous segments, a store whose LBox disagrees with its segments, or two
/// stores ("more than one manifest store"). APP11 segments of other uses are ignored.
std::optional<std::vector<std::uint8_t>> jpeg_read_manifest_store(std::span<const std::uint8_t> jpeg);

/// The JPEG without its store segments (unchanged bytes when it has none). Errors as for reading.
std::vector<std::uint8_t> jpeg_remove_manifest_store(std::span<const std::uint8_t> jpeg);

/// The JPEG with `store` embedded, replacing any existing store; the exclusion is the one run of APP11
/// segments. Error(invalid_argument) if `store` is not a manifest store (check_manifest_store).
EmbeddedAsset jpeg_embed_manifest_store(std::span<const std::uint8_t> jpeg, std::span<const std::uint8_t> store);

/// Where jpeg_embed_manifest_store would put `store`, without building the file (see StorePlacement).
StorePlacement jpeg_plan_manifest_store(std::span<const std::uint8_t> jpeg, std::span<const std::uint8_t> store);

}  // namespace provmark::c2pa
