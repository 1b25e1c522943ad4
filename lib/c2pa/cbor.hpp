// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// CBOR for C2PA claims and assertions, on nlohmann::json values (bstr = nlohmann::json::binary).
/// Reading uses nlohmann's CBOR parser, a well-kept library already used by the CLI and tests, behind a depth
/// limit and a duplicate-key check. Writing is core deterministic encoding (RFC 8949 §4.2.1), which the claim
/// requires (S §10.1; brief §3) and nlohmann's to_cbor does not give (see cbor.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

namespace provmark::c2pa::cbor {

/// Deepest array/map nesting accepted (reading and writing).
inline constexpr int max_depth = 64;

/// Core deterministic CBOR: shortest heads, definite lengths, map keys sorted by their encoded bytes,
/// floats in the shortest of half/single/double that keeps the value. A binary with a subtype is written as
/// that tag followed by the bstr (nlohmann's mapping).
/// @throws Error(invalid_argument) for a discarded value or nesting deeper than max_depth.
/// Appends the head of a data item (RFC 8949 §3): major type 0-7 and its argument, shortest form.
void write_head(std::vector<std::uint8_t>& out, std::uint8_t major, std::uint64_t value);

[[nodiscard]] std::vector<std::uint8_t> to_cbor(const nlohmann::json& value);

/// `tag(value)`: e.g. tag 18 for COSE_Sign1_Tagged (RFC 9052 §4.2).
[[nodiscard]] std::vector<std::uint8_t> to_cbor_tagged(std::uint64_t tag, const nlohmann::json& value);

/// Decodes exactly one CBOR item spanning all of `bytes`.
/// Rejects trailing bytes, non-text map keys, duplicate keys, nesting deeper than max_depth, and (by default)
/// any tag; `tags` = ignore drops tags, store keeps a tag on a bstr as its binary subtype (nlohmann's meaning).
/// nlohmann 3.11.2 rejects tags 0-5 whatever `tags` says.
/// @throws Error(malformed_input) naming the fault.
[[nodiscard]] nlohmann::json from_cbor(std::span<const std::uint8_t> bytes,
                                       nlohmann::json::cbor_tag_handler_t tags = nlohmann::json::cbor_tag_handler_t::error);

/// An item with its optional outermost tag, e.g. COSE_Sign1_Tagged = tag 18 + array.
struct Tagged {
  std::optional<std::uint64_t> tag;
  nlohmann::json value;
};

/// Reads an optional leading tag by hand (nlohmann cannot keep a tag on anything but a bstr), then the item
/// with from_cbor(rest, tags).
/// @throws Error(malformed_input).
[[nodiscard]] Tagged from_cbor_tagged(std::span<const std::uint8_t> bytes,
                                      nlohmann::json::cbor_tag_handler_t tags = nlohmann::json::cbor_tag_handler_t::error);

}  // namespace provmark::c2pa::cbor
