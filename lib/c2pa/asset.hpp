// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Where a C2PA manifest store lives inside an asset, and the data hash (c2pa.hash.data) over the asset.
/// The store is the JUMBF bytes of the `c2pa` superbox; this layer treats it as opaque bytes apart from
/// the 20-byte box header that identifies it (LBox, "jumb", the jumd header and the "c2pa" UUID prefix).
///
/// Sidecar stores need no code here: a `.c2pa` file (media type application/c2pa) is the store bytes
/// themselves, byte for byte, and its data hash covers the whole asset with no exclusions.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace provmark::c2pa {

/// A byte range [start, start + length) of an asset.
struct ByteRange {
  std::size_t start = 0;
  std::size_t length = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

/// An asset with a manifest store embedded.
struct EmbeddedAsset {
  std::vector<std::uint8_t> bytes;    ///< the asset with the store inside
  std::vector<ByteRange> exclusions;  ///< what c2pa.hash.data must exclude: the whole C2PA container with its
                                      ///< markers, headers and CRC; sorted, not overlapping
};

/// Where a new store goes: `removed` bytes of the input (an old store, or nothing) go away, and the new
/// container lands at `exclusion` in the output. So the bytes a data hash covers (the output without
/// `exclusion`) are exactly the input without `removed`: the hash can be taken before the file is built.
struct StorePlacement {
  ByteRange removed;
  ByteRange exclusion;
};

/// The output of a placement: `input` without `placement.removed`, with `container` inserted so that it
/// lands at `placement.exclusion.start`. One allocation, one pass.
std::vector<std::uint8_t> splice(std::span<const std::uint8_t> input, const StorePlacement& placement,
                                 std::span<const std::uint8_t> container);

/// Throws Error(invalid_argument) unless `store` starts like a C2PA manifest store (a `jumb` superbox
/// whose jumd type UUID begins with "c2pa") and its LBox equals its size. Readers find stores by these bytes.
void check_manifest_store(std::span<const std::uint8_t> store);

/// The digest of `asset` without the bytes in `exclusions`. `sha` is the C2PA algorithm name: "sha256",
/// "sha384" or "sha512" (else Error(unsupported_format)). Exclusions come from untrusted manifests: unsorted,
/// overlapping or past-the-end ranges give Error(malformed_input).
std::vector<std::uint8_t> hash_excluding(std::span<const std::uint8_t> asset, const std::vector<ByteRange>& exclusions,
                                         std::string_view sha = "sha256");

/// A piece of a hash input: `range` of the asset, or (when `offset_marker`) the 8 big-endian bytes of
/// range.start in its place, as BMFF v2/v3 hashes put a box's file offset before the box.
struct HashPiece {
  ByteRange range;
  bool offset_marker = false;
};

/// The digest of the pieces in order. Error(malformed_input) for a range past the end of `asset`.
std::vector<std::uint8_t> hash_pieces(std::span<const std::uint8_t> asset, const std::vector<HashPiece>& pieces,
                                      std::string_view sha = "sha256");

}  // namespace provmark::c2pa
