// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The explicit label GB 45438 asks of audio (a voice or rhythm cue at the start, and optionally at the end or in
/// the middle): by default a tone keyed with "AI" in Morse code (A = .-, I = ..: short-long, short-short), or a
/// caller's PCM clip (e.g. a spoken "AI生成"), at a level matched to the content.

#include <cstddef>

#include "provmark/audio.hpp"

namespace provmark {

enum class AudibleLabelMode {
  prepend,  ///< the label, then a short silence, before the content (after it too with at_end): no content changes
  mix,      ///< the label over the content's first (and last) seconds, the content ducked beneath it; same length
};

struct AudibleLabelOptions {
  AudibleLabelMode mode = AudibleLabelMode::prepend;
  bool at_end = false;  ///< the label at the end as well as at the start
  /// A clip to use instead of the Morse tone: same sample rate as the content, and its channel count or mono (then
  /// copied to every channel); scaled to the level below. Empty (samples == nullptr): the tone.
  AudioView clip;
  double tone_hz = 880.0;      ///< 100 Hz .. min(8 kHz, 0.4 x sample rate)
  double unit_seconds = 0.08;  ///< Morse unit, in [0.03, 0.5]: dot 1, dash 3, gaps 1 (in a letter) and 3 (between)
  /// Level of the label (RMS of the tone while it sounds; of the clip's loudest second) relative to the content's
  /// reference level, the RMS over all channels of its loudest one-second window; in [-40, 12] dB.
  double level_offset_db = 0.0;
  double floor_dbfs = -30.0;  ///< the label is never quieter than this (quiet or silent content); in [-60, -6]
  double gap_seconds = 0.3;   ///< prepend: silence between label and content; in [0, 5]
  /// Raised-cosine ramps at every edge: tone elements (at most half a unit), clip ends, and (mix) the ducking of the
  /// content. In [0, 0.1] s.
  double crossfade_seconds = 0.005;
  double duck_db = -12.0;  ///< mix: content gain under the label, in [-60, 0] dB (lower if the sum would clip)
};

/// dBFS here means RMS relative to 1.0 (a full-scale sine is -3.01 dBFS). The label never peaks above -1 dBFS, so
/// the level falls short of the target when that needs more; in mix mode, no sample of the label's span goes
/// beyond full scale either.
struct AudibleLabelResult {
  Audio audio;
  double level_dbfs = 0.0;         ///< the label's level as made
  double target_dbfs = 0.0;        ///< the level asked for: reference + offset, at least the floor
  std::size_t label_frames = 0;    ///< length of one label
  std::size_t content_offset = 0;  ///< frame of the output where the content starts (prepend: label + gap; mix: 0)
};

/// The content with the audible label.
/// @throws Error(invalid_argument) for a bad view or option, a clip of another rate or channel count, or (mix) content
///         shorter than the label (twice the label with at_end).
[[nodiscard]] AudibleLabelResult add_audible_label(const AudioView& content, const AudibleLabelOptions& options = {});

}  // namespace provmark
