// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The signed disclosure assertion label() adds to its manifest (spec/label-pipeline-v1.md#disclosure): the
/// exact AIGC label plus the latent disclosures of EU AI Act Art. 50 and California §22757.3(b).

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/aigc.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "provmark/watermark.hpp"

namespace provmark::pipeline {

inline constexpr std::string_view disclosure_assertion_label = "org.provmark.disclosure";

struct Disclosure {
  std::string provider;
  std::string system_name;
  std::string system_version;
  std::chrono::system_clock::time_point created{};
  std::string identifier;
  std::optional<AigcLabel> aigc;
  std::optional<Payload> watermark;
  std::string_view watermark_alg = image_watermark_alg;
};

/// Uppercase hexadecimal: identifiers inside Annex E j)'s character set.
[[nodiscard]] std::string upper_hex(std::span<const std::uint8_t> bytes);
/// 16 random bytes (libsodium): content and propagation identifiers.
[[nodiscard]] std::array<std::uint8_t, 16> random_identifier();

/// RFC 3339 UTC with seconds: 2026-11-21T10:15:00Z.
[[nodiscard]] std::string utc_timestamp(std::chrono::system_clock::time_point t);
/// Options for reading back what the pipeline just wrote (nobody trusted: the signature and bindings are checked).
[[nodiscard]] inline InspectOptions inspect_options(const Limits& limits) {
  InspectOptions options;
  options.limits = limits;
  return options;
}

/// The assertion's CBOR bytes.
[[nodiscard]] std::vector<std::uint8_t> disclosure_cbor(const Disclosure& disclosure);

}  // namespace provmark::pipeline
