// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Verification at upload, in one call: the C2PA manifest, the GB 45438 metadata label and the watermark
/// (with a keyring of known providers), weighed into a verdict in GB 45438 / Measures Art. 6 terms, with
/// every piece of evidence and every contradiction. The JSON report: spec/verify-report-v1.md.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "provmark/aigc.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest_store.hpp"
#include "provmark/watermark.hpp"

namespace provmark {

/// Measures Art. 6: 属于 (confirmed), 可能 (possibly), 疑似 (suspected), or nothing found.
enum class Verdict { confirmed_ai, possibly_ai, suspected_ai, no_evidence };

/// "confirmed_ai", "possibly_ai", "suspected_ai", "no_evidence".
[[nodiscard]] const char* verdict_name(Verdict verdict) noexcept;

/// A provider whose watermark key the platform knows.
struct KeyringEntry {
  std::string provider;
  WatermarkKey key;
};

struct VerifyOptions {
  InspectOptions inspect{};              ///< trust anchors, validation time and limits for manifests
  std::vector<KeyringEntry> keyring;     ///< watermark keys to try, in order
  const ManifestStore* store = nullptr;  ///< for recovering the manifest of a stripped file; nullptr: none
  bool user_declared_ai = false;         ///< the uploader said it is AI-generated (Art. 6(2))
};

/// A watermark found with one of the keyring's keys.
struct WatermarkEvidence {
  std::string provider;
  Payload payload{};
  double false_alarm_probability = 1;
  DetectResult detection{};                        ///< images
  std::optional<AudioDetectResult> audio_detection;  ///< audio (then `detection` is unused)
};

/// A finding that does not fit the rest: stable `code`, and why.
struct Contradiction {
  std::string code;  ///< e.g. "metadata_stripped", "pixels_changed_after_signing" (spec/verify-report-v1.md)
  std::string explanation;
};

struct VerifyReport {
  Verdict verdict = Verdict::no_evidence;
  std::string summary;                               ///< one sentence: why this verdict
  std::string format;  ///< "image/jpeg", "image/png", "audio/wav", "audio/mpeg", "audio/mp4", "audio/flac", ...
  ManifestReport manifest;                           ///< the embedded manifest (has_manifest false when none)
  bool manifest_declares_ai = false;                 ///< its first action has an AI digitalSourceType
  std::optional<ManifestReport> recovered_manifest;  ///< from the store, found through the watermark
  std::vector<FoundAigcLabel> aigc_labels;
  std::optional<WatermarkEvidence> watermark;
  std::vector<Contradiction> contradictions;

  [[nodiscard]] std::string to_json() const;  ///< spec/verify-report-v1.md
};

/// Verifies encoded JPEG or PNG bytes, or audio (WAV, MP3, M4A, FLAC, Ogg; FLAC and Ogg cannot carry a manifest).
/// Unlabelled, stripped or tampered files are answers, not errors.
/// @throws Error(unsupported_format | malformed_input | limit_exceeded) when the file cannot be read at all.
[[nodiscard]] VerifyReport verify(std::span<const std::uint8_t> encoded, const VerifyOptions& options);
[[nodiscard]] VerifyReport verify_file(const std::filesystem::path& path, const VerifyOptions& options);

}  // namespace provmark
