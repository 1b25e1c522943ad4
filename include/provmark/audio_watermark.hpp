// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The blind, keyed audio watermark (spec/audio-watermark-v2.md): a 64-bit payload in the 250-3250 Hz band energies
/// of the mono mix, repeated every 9.216 s, found again from any excerpt of about that length after lossy coding,
/// resampling, low-pass filtering, noise, volume changes, cuts, mono mixdown and speed or tempo changes of up to
/// ±2%. Keys and payloads are those of the image watermark (provmark/watermark.hpp); its soft-binding name in C2PA
/// manifests is audio_watermark_alg (provmark/manifest.hpp).
///
/// Thread safety: every function here may be called concurrently from several threads.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "provmark/audio.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/limits.hpp"
#include "provmark/watermark.hpp"

namespace provmark {

/// Shortest audio embed accepts. Detection needs about 7 s or more: one period (9.216 s) carries every bit once,
/// and the error correction fills in for the rest of a shorter excerpt.
inline constexpr double audio_watermark_min_seconds = 1.0;

struct AudioDetectOptions {
  /// A watermark is reported only when its false-alarm probability is below this: 1e-9 or lower (the
  /// spec's ceiling); anything else (larger, zero, negative, NaN) is an invalid_argument error.
  double max_false_alarm = 1e-9;
  /// Also look for speed and tempo changes (±2%); without it only the original time scale is tried (faster).
  bool search_time_scale = true;
  /// At most this much audio is examined, from the start, in windows of 30 s until one yields the watermark
  /// (clamped to 0..86400; each window adds 3 decode attempts to the false-alarm bound).
  double max_seconds = 120.0;
};

/// What the audio detector found. `found == false` is an answer, not an error.
struct AudioDetectResult {
  bool found = false;
  Payload payload{};                   ///< valid when found
  int corrected_bits = 0;              ///< coded bits the decoder had to correct (erased ones included)
  int coded_bits = 0;                  ///< coded bits carried
  double false_alarm_probability = 1;  ///< upper bound on P(a report this strong from unmarked content)
  // Where the watermark was found (1, 1, 0 when not found):
  double time_scale = 1;               ///< duration of the input / duration of the marked original (1/1.02: faster)
  double frequency_scale = 1;          ///< pitch of the input / pitch of the original (speed changes move both)
  double offset_seconds = 0;           ///< where in the input a watermark period starts
};

/// Embeds the watermark into interleaved float PCM in place: the same small signal is added to every channel.
/// @throws Error(invalid_argument) for a bad view or audio shorter than audio_watermark_min_seconds.
void embed_into(const MutableAudioView& audio, const Payload& payload, const WatermarkKey& key);
/// A watermarked copy.
[[nodiscard]] Audio embed(const AudioView& audio, const Payload& payload, const WatermarkKey& key);

/// Looks for the watermark of `key` (blind: the original is not needed). @throws Error(invalid_argument) for a bad
/// view.
[[nodiscard]] AudioDetectResult detect(const AudioView& audio, const WatermarkKey& key,
                                       const AudioDetectOptions& options = {});

/// Watermarks an audio file's bytes (anything decode_audio() reads), written back by encode_audio() in the source's
/// format, bit rate and sample depth with its tags (`output.format` and the other fields of AudioEncodeOptions
/// override that; its `source` is filled in). Other metadata (C2PA, a WAV AIGC chunk) is not carried over.
/// @throws Error as decode_audio(), embed_into() and encode_audio() do.
[[nodiscard]] std::vector<std::uint8_t> embed_audio_encoded(std::span<const std::uint8_t> bytes, const Payload& payload,
                                                            const WatermarkKey& key, AudioEncodeOptions output = {},
                                                            const Limits& limits = {});
/// decode_audio(), then detect().
[[nodiscard]] AudioDetectResult detect_audio_encoded(std::span<const std::uint8_t> bytes, const WatermarkKey& key,
                                                     const AudioDetectOptions& options = {}, const Limits& limits = {});

/// File to file; the output is written atomically (nothing is left behind on failure).
void embed_audio_file(const std::filesystem::path& in, const std::filesystem::path& out, const Payload& payload,
                      const WatermarkKey& key, const AudioEncodeOptions& output = {}, const Limits& limits = {});
[[nodiscard]] AudioDetectResult detect_audio_file(const std::filesystem::path& in, const WatermarkKey& key,
                                                  const AudioDetectOptions& options = {}, const Limits& limits = {});

}  // namespace provmark
