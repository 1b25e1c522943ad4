// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Labelling at export, in one call: the explicit (visible or audible) label, the GB 45438 implicit metadata
/// label, the watermark and a signed C2PA manifest, in that order (the manifest last, so its hard
/// binding covers everything before it). shared/design/labels.md §9.3; spec/label-pipeline-v1.md.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "provmark/aigc.hpp"
#include "provmark/audible_label.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/codec.hpp"
#include "provmark/manifest.hpp"
#include "provmark/manifest_store.hpp"
#include "provmark/signer.hpp"
#include "provmark/visible_label.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/watermark.hpp"

namespace provmark {

/// Everything label() needs. Steps whose inputs are missing are skipped: no watermark without a key, no
/// manifest without a signer. Thread safety: a value type; the pointed-to objects must outlive the call.
struct LabelOptions {
  /// 1. Explicit label: drawn into the pixels of an image...
  bool visible_label = true;
  VisibleLabelOptions visible{};
  /// ... or, for audio, the audible cue ("AI" in Morse, or a caller's clip) before the content.
  bool audible_label = true;
  AudibleLabelOptions audible{};

  /// 2. GB 45438 metadata label. `aigc.produce_id` empty: the content identifier below is used.
  /// Empty propagation fields are filled from the producer's (Annex E note 1) when `aigc_copy_to_propagator`.
  bool aigc_label = true;
  AigcLabel aigc{};
  bool aigc_copy_to_propagator = true;

  /// 3. Watermark (image or audio): its 64-bit payload is random and identifies this manifest (the store's key).
  const WatermarkKey* watermark_key = nullptr;
  EmbedOptions watermark{};  ///< images (audio has no strength setting)

  /// 4. C2PA manifest. The provider (SB 942 (A)) is the signer's organisation; `system_name` and
  /// `system_version` (SB 942 (B)) become claim_generator_info and the action's softwareAgent.
  const Signer* signer = nullptr;
  std::string provider;  ///< provider name written into the disclosure assertion (SB 942 (A))
  std::string system_name = "provmark";
  std::string system_version;
  DigitalSourceType source_type = DigitalSourceType::trained_algorithmic_media;
  /// Where signed manifests are kept for recovery from the watermark; nullptr: not kept. Only watermarked
  /// content is stored (the watermark payload is the key it is found by).
  ManifestStore* store = nullptr;

  /// Output encoding when pixels change: JPEG quality (0: estimated from the input; 90 for raw pixels).
  int jpeg_quality = 0;
  Limits limits{};
};

/// Where the audible label went.
struct AudibleLabelPlacement {
  double level_dbfs = 0.0;         ///< the label's level as made (AudibleLabelResult)
  std::size_t label_frames = 0;    ///< length of one label
  std::size_t content_offset = 0;  ///< frame of the output where the content starts
  int sample_rate = 0;             ///< of the label and the content, before encoding
};

/// What label() did.
struct LabelResult {
  std::vector<std::uint8_t> bytes;  ///< the labelled file, in the input's format
  std::string media_type;           ///< "image/jpeg", "image/png", "audio/wav", "audio/mpeg", "audio/flac", ...
  std::string content_id;           ///< unique identifier (AIGC ProduceID, disclosure identifier)
  std::optional<VisibleLabelBox> visible_label;
  std::optional<AudibleLabelPlacement> audible_label;
  std::optional<AigcLabel> aigc;
  std::optional<Payload> watermark;
  std::string manifest_label;  ///< urn:c2pa:... when signed
  std::chrono::system_clock::time_point created{};
};

/// Labels an encoded file: a JPEG or PNG image (the container, its other metadata and (JPEG) its subsampling are
/// kept), or audio in WAV, MP3, M4A (AAC), FLAC or Ogg (Vorbis, Opus), written back in the same format (re-encoded
/// once, in the source's codec and bit rate, when the audible label or the watermark changes the samples). A C2PA
/// manifest can be embedded in WAV, MP3 and M4A: with a signer, FLAC and Ogg are Error(unsupported_format). Audio
/// that already carries a C2PA manifest is Error(invalid_argument) (the rewrite would drop it: use propagate()).
/// @throws Error (any code) when a step fails; nothing is returned half-done.
[[nodiscard]] LabelResult label(std::span<const std::uint8_t> encoded, const LabelOptions& options);
/// Labels pixels from memory (a generator's output buffer) and encodes them as `format`.
[[nodiscard]] LabelResult label(const ImageView& pixels, ImageFormat format, const LabelOptions& options);
/// Labels PCM from memory (a generator's output) and encodes it as `format` (not same_as_source) with the
/// encoder's defaults (16-bit PCM; 96 kb/s per channel for lossy codecs).
/// @throws Error(invalid_argument) for a bad view or format, and as label() above.
[[nodiscard]] LabelResult label(const AudioView& pcm, AudioFileFormat format, const LabelOptions& options);
/// File to file; the output is written atomically.
LabelResult label_file(const std::filesystem::path& in, const std::filesystem::path& out, const LabelOptions& options);

/// A platform's propagation step (Measures Art. 6 ¶2): fill the AIGC propagation elements and, when the file
/// is signed, issue a new manifest with the previous one as its parentOf ingredient, so no earlier signature
/// breaks silently.
struct PropagateOptions {
  std::string propagator;      ///< the platform's code (ContentPropagator); required
  std::string propagate_id;    ///< the platform's content number (PropagateID); empty: a random one
  std::string reserved_code2;  ///< the platform's integrity data, if any
  /// Label to write: "1", "2" or "3" (from the platform's verdict); empty keeps the file's label.
  std::string label_value;
  const Signer* signer = nullptr;  ///< required when the file carries a manifest
  std::string provider;            ///< the platform's name for the disclosure assertion
  std::string system_name = "provmark";
  std::string system_version;
  Limits limits{};
};

struct PropagateResult {
  std::vector<std::uint8_t> bytes;
  AigcLabel aigc;
  std::string manifest_label;  ///< the new manifest, when one was signed
};

/// @throws Error(invalid_argument) for a missing propagator, a file without a label and no label_value, or a
///         signed file without a signer; Error (other codes) for bad input.
[[nodiscard]] PropagateResult propagate(std::span<const std::uint8_t> encoded, const PropagateOptions& options);

}  // namespace provmark
