// SPDX-License-Identifier: Apache-2.0
// label() for audio: the audible label and the watermark on the decoded samples (encoded once again, in the source's
// codec and bit rate), the AIGC tag or chunk, and the C2PA manifest in WAV, MP3 or M4A (spec/label-pipeline-v1.md#audio).
#include <algorithm>

#include "core/fail.hpp"
#include "pipeline/label_steps.hpp"
#include "provmark/audio_watermark.hpp"

namespace provmark {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Everything is checked before any work, so a refusal costs nothing and writes nothing.
void check_audio(std::span<const std::uint8_t> encoded, const pipeline::MediaKind& kind, const LabelOptions& options) {
  if (options.signer != nullptr && !kind.container)
    fail(Errc::unsupported_format, "label: a C2PA manifest can be embedded in WAV, MP3 and M4A audio, not in " +
                                       kind.media_type + " (leave the signer out to label it without one)");
  if (kind.container && c2pa::read_manifest_store(*kind.container, encoded))
    fail(Errc::invalid_argument,
         "label: the audio already carries a C2PA manifest, which rewriting the file would drop; use propagate()");
}

AudibleLabelPlacement placement_of(const AudibleLabelResult& made, int sample_rate) {
  return {made.level_dbfs, made.label_frames, made.content_offset, sample_rate};
}

// Steps 1 and 3 on decoded samples: the cue first, so the watermark covers it too.
Audio mark_samples(const AudioView& pcm, const LabelOptions& options, LabelResult& result) {
  Audio audio;
  if (options.audible_label) {
    AudibleLabelResult made = add_audible_label(pcm, options.audible);
    result.audible_label = placement_of(made, pcm.sample_rate);
    audio = std::move(made.audio);
  } else {
    audio = Audio::copy_of(pcm);
  }
  if (result.watermark) embed_into(audio.mutable_view(), *result.watermark, *options.watermark_key);
  return audio;
}

// The container's own tags go along; the encoder names itself, and the AIGC step rewrites the label tag.
std::vector<AudioTag> tags_to_keep(const std::vector<AudioTag>& tags) {
  std::vector<AudioTag> kept;
  std::copy_if(tags.begin(), tags.end(), std::back_inserter(kept),
               [](const AudioTag& tag) { return tag.key != "encoder"; });
  return kept;
}

}  // namespace

namespace pipeline {

LabelResult label_audio(std::span<const std::uint8_t> encoded, const MediaKind& kind, const LabelOptions& options) {
  check_audio(encoded, kind, options);
  LabelResult result = start_label(options);
  if (!options.audible_label && !result.watermark) {  // metadata only: the audio packets stay as they are
    finish_label(Bytes(encoded.begin(), encoded.end()), options, result);
    return result;
  }
  const DecodedAudio decoded = decode_audio(encoded, options.limits);
  const Audio marked = mark_samples(decoded.audio.view(), options, result);
  AudioEncodeOptions encoding;
  encoding.source = decoded.source;
  encoding.tags = tags_to_keep(decoded.source.tags);
  finish_label(encode_audio(marked.view(), encoding), options, result);
  return result;
}

}  // namespace pipeline

LabelResult label(const AudioView& pcm, AudioFileFormat format, const LabelOptions& options) {
  check_view(pcm);
  if (format == AudioFileFormat::same_as_source)
    fail(Errc::invalid_argument, "label: PCM from memory needs an output format (it has no source to copy)");
  if (options.signer != nullptr &&
      (format == AudioFileFormat::flac || format == AudioFileFormat::ogg_opus || format == AudioFileFormat::ogg_vorbis))
    fail(Errc::unsupported_format, "label: a C2PA manifest can be embedded in WAV, MP3 and M4A audio, not in " +
                                       std::string(audio_file_extension(format)));
  LabelResult result = pipeline::start_label(options);
  AudioEncodeOptions encoding;
  encoding.format = format;
  pipeline::finish_label(encode_audio(mark_samples(pcm, options, result).view(), encoding), options, result);
  return result;
}

}  // namespace provmark
