// SPDX-License-Identifier: Apache-2.0
// The audio watermark on encoded files: decoded by FFmpeg, marked, encoded again in the source's format.
#include "provmark/audio_watermark.hpp"
#include "provmark/codec.hpp"

namespace provmark {

std::vector<std::uint8_t> embed_audio_encoded(std::span<const std::uint8_t> bytes, const Payload& payload,
                                              const WatermarkKey& key, AudioEncodeOptions output,
                                              const Limits& limits) {
  DecodedAudio decoded = decode_audio(bytes, limits);
  embed_into(decoded.audio.mutable_view(), payload, key);
  if (output.tags.empty())
    for (const AudioTag& tag : decoded.source.tags)
      if (tag.key != "encoder") output.tags.push_back(tag);  // the encoder names itself
  output.source = std::move(decoded.source);
  return encode_audio(decoded.audio.view(), output);
}

AudioDetectResult detect_audio_encoded(std::span<const std::uint8_t> bytes, const WatermarkKey& key,
                                       const AudioDetectOptions& options, const Limits& limits) {
  return detect(decode_audio(bytes, limits).audio.view(), key, options);
}

void embed_audio_file(const std::filesystem::path& in, const std::filesystem::path& out, const Payload& payload,
                      const WatermarkKey& key, const AudioEncodeOptions& output, const Limits& limits) {
  write_file_atomic(out, embed_audio_encoded(read_file(in, limits), payload, key, output, limits));
}

AudioDetectResult detect_audio_file(const std::filesystem::path& in, const WatermarkKey& key,
                                    const AudioDetectOptions& options, const Limits& limits) {
  return detect_audio_encoded(read_file(in, limits), key, options, limits);
}

}  // namespace provmark
