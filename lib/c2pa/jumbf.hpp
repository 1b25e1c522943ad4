// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// JUMBF (ISO 19566-5) superboxes and content boxes as C2PA uses them (S §11.1.4; brief §2).
/// Writing works on an owning value model (Superbox / ContentBox); reading returns a tree of spans into the
/// caller's bytes (ParsedSuperbox), so hashes can be taken over the exact stored bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "c2pa/labels.hpp"

namespace provmark::c2pa::jumbf {

/// Deepest superbox nesting accepted when reading, as c2pa-rs (`MAX_JUMB_DEPTH`); the store is level 1.
inline constexpr int max_depth = 32;
/// Most boxes (superboxes, description boxes, content boxes) accepted in one parse.
inline constexpr std::size_t max_boxes = 100'000;

/// A content box: any box other than `jumb`, e.g. `cbor`, `json`, `bfdb`, `bidb`.
struct ContentBox {
  FourCC type{};
  std::vector<std::uint8_t> data;  ///< the payload, without the 8-byte LBox/TBox header
  bool operator==(const ContentBox&) const = default;
};

/// A superbox. Its `jumd` toggles follow from the fields: 0x03, | 0x04 with an id, | 0x08 with a signature,
/// | 0x10 with a salt (written as a `c2sh` private box).
struct Superbox {
  Uuid type{};
  std::string label;  ///< non-empty; no C0/C1 controls, no '/', ';', '?', '#' (S §11.1.4.1.1)
  std::optional<std::uint32_t> id;
  std::optional<std::array<std::uint8_t, 32>> signature;
  std::optional<std::vector<std::uint8_t>> salt;  ///< 16 or more bytes (S §8.4.2.3; c2pa-rs `set_salt`)
  std::vector<std::variant<Superbox, ContentBox>> children;
  bool operator==(const Superbox&) const = default;
};

/// The box bytes: 32-bit LBox (as c2pa-rs writes), TBox `jumb`, the `jumd`, then the children in order.
/// @throws Error(invalid_argument) for an empty or forbidden label, a salt under 16 bytes, or a content box
///         typed `jumb`/`jumd`; Error(limit_exceeded) if a box would exceed 4 GiB.
[[nodiscard]] std::vector<std::uint8_t> serialize(const Superbox& box);

/// What a C2PA hashed URI hashes: the box without its own 8-byte header (S §8.4.2.3; brief §2.5).
[[nodiscard]] std::vector<std::uint8_t> payload_of(const Superbox& box);

/// True if `label` may be a JUMBF label: valid UTF-8, non-empty, none of U+0000-001F, U+007F-009F, / ; ? #.
[[nodiscard]] bool is_valid_label(std::string_view label) noexcept;

/// A content box read from input; the spans point into the parsed bytes.
struct ParsedContentBox {
  FourCC type{};
  std::span<const std::uint8_t> box;   ///< the whole box, header included
  std::span<const std::uint8_t> data;  ///< its payload
};

/// A superbox read from input; every span points into the parsed bytes, which must outlive it.
struct ParsedSuperbox {
  Uuid type{};
  std::uint8_t toggles = 0;
  std::string label;
  std::optional<std::uint32_t> id;
  std::optional<std::array<std::uint8_t, 32>> signature;
  std::optional<std::span<const std::uint8_t>> salt;  ///< data of the `c2sh` private box
  std::span<const std::uint8_t> box;      ///< the whole superbox, header included
  std::span<const std::uint8_t> payload;  ///< without its own header: the hash input of a hashed URI
  std::vector<std::variant<ParsedSuperbox, ParsedContentBox>> children;  ///< after the `jumd`, in order

  /// The first child superbox with this label, or nullptr.
  [[nodiscard]] const ParsedSuperbox* find_child(std::string_view child_label) const;
  /// The child superboxes, in order.
  [[nodiscard]] std::vector<const ParsedSuperbox*> superboxes() const;
  /// The child content boxes, in order.
  [[nodiscard]] std::vector<const ParsedContentBox*> content_boxes() const;
};

/// Parses one superbox that spans exactly `bytes` (e.g. a manifest store reassembled from a container).
/// Reads XLBox (LBox == 1) and LBox == 0 (box runs to the end of its parent). Applies c2pa-rs's `jumd` rules:
/// first child, toggles & 0x03 == 0x03, reserved bits 5-7 clear, non-empty valid label, fields filling the box
/// exactly, private box only a `c2sh` salt of >= 16 bytes.
/// @throws Error(malformed_input) naming the box and its offset in `bytes`, for any structural fault,
///         including nesting deeper than max_depth; Error(limit_exceeded) beyond max_boxes boxes.
[[nodiscard]] ParsedSuperbox parse_superbox(std::span<const std::uint8_t> bytes);

/// An owning copy of a parsed tree. serialize(to_value(p)) == p.box when the input used 32-bit sizes.
[[nodiscard]] Superbox to_value(const ParsedSuperbox& parsed);

}  // namespace provmark::c2pa::jumbf
