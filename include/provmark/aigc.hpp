// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The GB 45438-2025 implicit metadata label (Annex E): one `AIGC` JSON value with seven string
/// elements, written as XMP `TC260:AIGC` (namespace http://www.tc260.org.cn/ns/AIGC/1.0/) in JPEG
/// (APP1 XMP packet) and PNG (iTXt `XML:com.adobe.xmp`), as a RIFF `AIGC` chunk in WAV, and as the tag `AIGC` in MP3 (ID3v2 TXXX), FLAC and
/// Ogg (Vorbis comment) and M4A (MP4 mdta metadata). Reading is lenient (every carrier and both nestings seen
/// in the wild); writing is strict. spec/aigc-label-v1.md.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/limits.hpp"

namespace provmark {

/// The seven Annex E elements, in the standard's order. All values are strings.
struct AigcLabel {
  std::string label = "1";      ///< "1" AI-generated, "2" possibly, "3" suspected
  std::string content_producer;  ///< provider code (27 chars, ^00[0-9A-Z]{25}$) or name
  std::string produce_id;        ///< the provider's unique number for this content
  std::string reserved_code1;
  std::string content_propagator;
  std::string propagate_id;
  std::string reserved_code2;

  /// Compact inner object in Annex E key order: {"Label":"1","ContentProducer":...}.
  [[nodiscard]] std::string to_json() const;
  /// The wrapped form {"AIGC":{...}} used in generic fields (PNG tEXt AIGC, EXIF UserComment).
  [[nodiscard]] std::string to_wrapped_json() const;
  bool operator==(const AigcLabel&) const = default;
};

/// Problems with a label under Annex E: Label not "1"/"2"/"3", empty ContentProducer or ProduceID,
/// characters outside Annex E j) (0x21, 0x23-0x5B, 0x5D-0x7E, plus \"). Empty when conforming.
[[nodiscard]] std::vector<std::string> aigc_label_problems(const AigcLabel& label);

/// Parses an inner or wrapped AIGC JSON value. Lenient: unknown keys ignored, missing keys empty (Label too).
/// @throws Error(malformed_input) when it is not a JSON object or one of the seven keys is not a string,
///         Error(limit_exceeded) over 1 MiB.
[[nodiscard]] AigcLabel parse_aigc_json(std::string_view json);

/// One label found in a file.
struct FoundAigcLabel {
  AigcLabel label;
  /// "xmp" (TC260:AIGC), "png-text" (tEXt/zTXt/iTXt keyword AIGC), "exif-user-comment"; audio: "id3" (MP3),
  /// "vorbis-comment" (FLAC, Ogg), "mp4-metadata" (M4A), "audio-comment" (wrapped JSON in a comment tag), "wav-chunk" (RIFF chunk AIGC).
  std::string carrier;
  /// aigc_label_problems() of this label. A value that is not AIGC JSON is still listed, with an all-empty
  /// label and one problem starting "unreadable value: ".
  std::vector<std::string> problems;
};

/// Every AIGC label in JPEG, PNG, WAV, MP3, FLAC, Ogg or MP4/M4A bytes, in file order (audio: container tags, then
/// stream tags). More than one breaks GB 45438 §6.1 c).
/// @throws Error(unsupported_format | malformed_input | limit_exceeded) when the container, an XMP packet or a
///         text chunk that may hold a label cannot be read.
[[nodiscard]] std::vector<FoundAigcLabel> read_aigc_labels(std::span<const std::uint8_t> asset,
                                                           const Limits& limits = {});

/// JPEG or PNG bytes carrying exactly one label: XMP TC260:AIGC, updating the file's XMP packet in place
/// (other properties and namespaces kept) or adding one; WAV bytes with one RIFF `AIGC` chunk whose data is the
/// JSON. Every other AIGC carrier is removed, everything else
/// (C2PA stores included) kept byte for byte. Changing metadata breaks a C2PA data hash: label before signing.
/// Audio (MP3, FLAC, Ogg, M4A): the file remuxed by FFmpeg with stream copy (same audio packets) and one `AIGC`
/// tag; tags and cover pictures kept as FFmpeg models them, anything else (C2PA included) dropped; files with
/// video or data streams refused (Error(unsupported_format)).
/// @throws Error(invalid_argument) when aigc_label_problems() is not empty, Error(unsupported_format |
///         malformed_input | limit_exceeded) for bad input (limit_exceeded also for a JPEG XMP packet over one
///         APP1 segment), Error(internal) if the result does not read back as exactly this label.
[[nodiscard]] std::vector<std::uint8_t> write_aigc_label(std::span<const std::uint8_t> asset, const AigcLabel& label,
                                                         const Limits& limits = {});

}  // namespace provmark
