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
#include <string_view>
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

/// One item of CBOR that a Document accepted, read in place: no DOM is built, so reading a claim's few fields
/// allocates nothing. Spans point into the Document's bytes.
class Item {
 public:
  /// `other`: false, true, null or a float.
  enum class Type : std::uint8_t { unsigned_int, negative_int, bytes, text, array, map, other };

  [[nodiscard]] Type type() const noexcept { return type_; }
  [[nodiscard]] bool is_map() const noexcept { return type_ == Type::map; }
  [[nodiscard]] bool is_array() const noexcept { return type_ == Type::array; }
  [[nodiscard]] bool is_text() const noexcept { return type_ == Type::text; }
  [[nodiscard]] bool is_bytes() const noexcept { return type_ == Type::bytes; }
  /// The value of an unsigned integer, -1 - value of a negative one, the length of a string, array or map.
  [[nodiscard]] std::uint64_t argument() const noexcept { return argument_; }
  /// The content of a text string; empty for any other item.
  [[nodiscard]] std::string_view text() const noexcept;
  /// The content of a byte string; empty for any other item.
  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept;
  /// The value of `key` in a map; nullopt when it has no such key or is not a map.
  [[nodiscard]] std::optional<Item> find(std::string_view key) const;
  /// The elements of an array; empty for any other item.
  [[nodiscard]] std::vector<Item> elements() const;
  /// The item as encoded, head included.
  [[nodiscard]] std::span<const std::uint8_t> encoded() const noexcept { return encoded_; }

 private:
  friend class Document;
  // The item starting at `pos` of checked bytes.
  static Item at(std::span<const std::uint8_t> bytes, std::size_t pos);

  std::span<const std::uint8_t> encoded_;
  std::size_t head_size_ = 0;
  Type type_ = Type::other;
  std::uint64_t argument_ = 0;
};

/// Decodes one CBOR item exactly as from_cbor(bytes, ignore) does, same faults, same messages, into Items.
/// Definite-length CBOR without tags (what C2PA writers produce) is checked and read in place; anything else goes
/// through from_cbor and is read from its deterministic re-encoding.
class Document {
 public:
  /// @throws Error(malformed_input) where from_cbor(bytes, ignore) throws.
  explicit Document(std::span<const std::uint8_t> bytes);
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;
  Document(const Document&) = delete;  // root() points into normalized_
  Document& operator=(const Document&) = delete;

  [[nodiscard]] const Item& root() const noexcept { return root_; }

 private:
  std::vector<std::uint8_t> normalized_;  // from_cbor + to_cbor of input the direct reading does not take
  Item root_;
};

}  // namespace provmark::c2pa::cbor
