// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The containers a manifest store can be embedded in, found from the bytes, and one entry point per
/// operation that dispatches to asset_jpeg / asset_png / asset_media.

#include <optional>
#include <string_view>

#include "c2pa/asset.hpp"

namespace provmark::c2pa {

enum class Container { jpeg, png, wav, mp3, bmff };

/// From the signature bytes. Error(unsupported_format) for anything else.
[[nodiscard]] Container sniff_container(std::span<const std::uint8_t> asset);

/// image/jpeg, image/png, audio/wav, audio/mpeg, and for BMFF audio/mp4 (major brand "M4A "), video/quicktime
/// ("qt  ") or video/mp4.
[[nodiscard]] std::string_view media_type(Container container, std::span<const std::uint8_t> asset);

/// True when the hard binding is c2pa.hash.bmff.v3 rather than c2pa.hash.data.
[[nodiscard]] inline bool uses_bmff_hash(Container container) { return container == Container::bmff; }

[[nodiscard]] std::optional<std::vector<std::uint8_t>> read_manifest_store(Container container,
                                                                          std::span<const std::uint8_t> asset);

/// Where the embedded store's container lies (what embedding another store replaces), or nullopt.
[[nodiscard]] std::optional<ByteRange> manifest_store_range(Container container, std::span<const std::uint8_t> asset,
                                                            std::span<const std::uint8_t> store);

[[nodiscard]] EmbeddedAsset embed_manifest_store(Container container, std::span<const std::uint8_t> asset,
                                                 std::span<const std::uint8_t> store);

}  // namespace provmark::c2pa
