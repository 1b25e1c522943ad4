// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// C2PA manifest stores in audio and video containers, placed as c2pa-rs places them (brief §7.3-7.5):
/// - WAV (RIFF, C2PA spec A.3.6): a `C2PA` chunk at the end of the RIFF form; the data-hash exclusion is the
///   whole chunk (header, data, pad byte).
/// - MP3 (A.3.4): an ID3v2 GEOB frame, MIME type application/c2pa (application/x-c2pa-manifest-store is read
///   too), file name "c2pa", description "c2pa manifest store"; the tag is rewritten at the start of the file
///   (v2.4, or the input tag's v2.3), other frames kept byte for byte, padding dropped. The exclusion is the
///   GEOB's store bytes only.
/// - BMFF (MP4, M4A, MOV; A.5): a top-level `uuid` box (C2PA UUID, purpose "manifest", 8-byte merkle offset 0)
///   right after `ftyp` or in place of the old one; stco/co64 chunk offsets moved by the size change. Its hard
///   binding is c2pa.hash.bmff.v3 (bmff_hash), so the exclusion returned is the box, for the caller's checks.
/// Readers: Error(malformed_input) for broken structure or two stores ("more than one manifest store").

#include <optional>
#include <string>

#include "c2pa/asset.hpp"

namespace provmark::c2pa {

std::optional<std::vector<std::uint8_t>> wav_read_manifest_store(std::span<const std::uint8_t> wav);
/// Where the store's container lies, or nullopt without a store.
std::optional<ByteRange> wav_manifest_store_range(std::span<const std::uint8_t> wav);
EmbeddedAsset wav_embed_manifest_store(std::span<const std::uint8_t> wav, std::span<const std::uint8_t> store);

std::optional<std::vector<std::uint8_t>> mp3_read_manifest_store(std::span<const std::uint8_t> mp3);
std::optional<ByteRange> mp3_manifest_store_range(std::span<const std::uint8_t> mp3);
EmbeddedAsset mp3_embed_manifest_store(std::span<const std::uint8_t> mp3, std::span<const std::uint8_t> store);

std::optional<std::vector<std::uint8_t>> bmff_read_manifest_store(std::span<const std::uint8_t> bmff);
std::optional<ByteRange> bmff_manifest_store_range(std::span<const std::uint8_t> bmff);
/// Error(unsupported_format) for fragmented files and item-based ones (HEIF): their other absolute offsets
/// (tfhd, sidx, iloc, saio) are not moved.
EmbeddedAsset bmff_embed_manifest_store(std::span<const std::uint8_t> bmff, std::span<const std::uint8_t> store);

/// One exclusion of a c2pa.hash.bmff.v2/v3 assertion (C2PA 2.2 §18.6, cddl/bmff-hash.cddl).
struct BmffExclusion {
  struct Data {
    std::uint32_t offset = 0;
    std::vector<std::uint8_t> value;
  };
  struct Subset {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  std::string xpath;
  std::optional<std::uint32_t> length;
  std::vector<Data> data;
  std::vector<Subset> subset;
  std::optional<std::uint8_t> version;
  std::optional<std::vector<std::uint8_t>> flags;
  std::optional<bool> exact;
};

/// What we write: the required exclusions (§A.5.6) /uuid with the C2PA UUID at offset 8, /ftyp, /mfra.
std::vector<BmffExclusion> bmff_required_exclusions();

/// The flat (non-Merkle) hash as c2pa-rs computes it: the boxes matching the exclusions left out (or their
/// subsets), and (`offsets`: v2 and v3) before each top-level box not wholly excluded its 8-byte big-endian
/// file offset.
/// Error(malformed_input) when `asset` is not BMFF; Error(unsupported_format) for an unknown `sha`.
std::vector<std::uint8_t> bmff_hash(std::span<const std::uint8_t> asset, const std::vector<BmffExclusion>& exclusions,
                                    std::string_view sha, bool offsets = true);

}  // namespace provmark::c2pa
