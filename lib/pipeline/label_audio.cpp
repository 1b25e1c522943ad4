// SPDX-License-Identifier: Apache-2.0
// label() for audio: the audible label (decoded, cued, re-encoded in the source's codec and bit rate), the AIGC tag or
// chunk, and the C2PA manifest in WAV, MP3 or M4A. No audio watermark yet: spec/label-pipeline-v1.md#audio.
#include <algorithm>

#include "core/fail.hpp"
#include "pipeline/label_steps.hpp"

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
  LabelResult result = start_label(options, false);
  if (!options.audible_label) {
    finish_label(Bytes(encoded.begin(), encoded.end()), options, result);
    return result;
  }
  const DecodedAudio decoded = decode_audio(encoded, options.limits);
  const AudibleLabelResult made = add_audible_label(decoded.audio.view(), options.audible);
  result.audible_label = placement_of(made, decoded.audio.sample_rate());
  AudioEncodeOptions encoding;
  encoding.source = decoded.source;
  encoding.tags = tags_to_keep(decoded.source.tags);
  finish_label(encode_audio(made.audio.view(), encoding), options, result);
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
  LabelResult result = pipeline::start_label(options, false);
  AudioEncodeOptions encoding;
  encoding.format = format;
  if (!options.audible_label) {
    pipeline::finish_label(encode_audio(pcm, encoding), options, result);
    return result;
  }
  const AudibleLabelResult made = add_audible_label(pcm, options.audible);
  result.audible_label = placement_of(made, pcm.sample_rate);
  pipeline::finish_label(encode_audio(made.audio.view(), encoding), options, result);
  return result;
}

}  // namespace provmark
