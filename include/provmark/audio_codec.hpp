// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Audio decoding and encoding through FFmpeg (libavformat / libavcodec / libswresample): anything FFmpeg reads,
/// from memory, to interleaved float PCM; WAV, FLAC, MP3, AAC in M4A, Ogg/Opus and Ogg/Vorbis out, with metadata
/// tags (how the GB 45438 AIGC label reaches audio files, see spec/aigc-label-v1.md).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "provmark/audio.hpp"
#include "provmark/limits.hpp"

namespace provmark {

/// One metadata tag: ID3v2 (unknown keys become TXXX frames with the key as description), Vorbis comment
/// (FLAC, Ogg), MP4 metadata, WAV LIST/INFO.
struct AudioTag {
  std::string key;
  std::string value;
  bool operator==(const AudioTag&) const = default;
};

/// What a decoded file was.
struct AudioSourceInfo {
  std::string container;      ///< FFmpeg's demuxer name: "wav", "flac", "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2", ...
  std::string codec;          ///< FFmpeg's codec name: "pcm_s16le", "pcm_s24le", "flac", "mp3", "aac", "opus", ...
  std::int64_t bit_rate = 0;  ///< bits per second of the audio stream (of the file when the stream has none); 0 unknown
  std::string sample_format;  ///< the decoder's native sample format: "s16", "s32", "fltp", ...
  int bits_per_sample = 0;    ///< bits of the source's samples for PCM and FLAC (16, 24, 32); 0 for lossy codecs
  int sample_rate = 0;        ///< of the stream, as decoded
  int channels = 0;
  std::vector<AudioTag> tags;  ///< container tags, then the audio stream's own (Ogg keeps its comments there)
};

/// Decoded PCM and where it came from.
struct DecodedAudio {
  Audio audio;  ///< interleaved float, the source's sample rate and channel count
  AudioSourceInfo source;
};

/// Decodes the best audio stream of any file FFmpeg reads, from memory (no temporary file; the demuxer can open
/// nothing else: no playlists, no references). FFmpeg's own log is silenced for the whole process.
/// Strict where FFmpeg can tell: a packet the decoder rejects is an error, so WAV, FLAC and M4A cut short fail;
/// MP3 and Ogg cut short decode up to the cut (their frames are self-delimiting, the loss is invisible).
/// @throws Error(unsupported_format) when FFmpeg does not recognise the bytes or there is no decodable audio
///         stream (or its rate/channels are outside what Audio holds: 8000..384000 Hz, 1..16 channels),
///         Error(malformed_input) for corrupt or truncated data, Error(limit_exceeded) over limits.max_file_bytes
///         or limits.max_audio_samples.
[[nodiscard]] DecodedAudio decode_audio(std::span<const std::uint8_t> bytes, const Limits& limits = {});
/// read_file, then decode_audio. @throws Error(io) too.
[[nodiscard]] DecodedAudio decode_audio_file(const std::filesystem::path& path, const Limits& limits = {});

/// The file format encode_audio writes.
enum class AudioFileFormat {
  same_as_source,  ///< audio_file_format_of(options.source), with the source's bit rate and sample depth
  wav,             ///< RIFF WAVE, PCM (options.depth)
  flac,            ///< native FLAC (options.depth: s16 or s24)
  mp3,             ///< MPEG-1/2 Layer III (LAME), ID3v2.4 tags
  m4a,             ///< AAC-LC in an MP4 (M4A) container
  ogg_opus,        ///< Opus in Ogg (48 kHz; other rates are resampled, as Opus requires)
  ogg_vorbis,      ///< Vorbis in Ogg
};

/// Samples of the lossless formats.
enum class AudioSampleDepth { s16, s24, f32 };  ///< f32: WAV only (IEEE float)

struct AudioEncodeOptions {
  AudioFileFormat format = AudioFileFormat::same_as_source;
  /// The decoded file's description, for same_as_source (format, bit rate, depth).
  AudioSourceInfo source;
  AudioSampleDepth depth = AudioSampleDepth::s16;  ///< wav, flac (same_as_source: the source's)
  /// Lossy codecs, bits per second; 0: the source's (same_as_source), else 96 kb/s per channel (Opus: 64 kb/s;
  /// Vorbis: VBR quality 5, about 160 kb/s for 44.1 kHz stereo, as its bit-rate mode refuses many rates).
  std::int64_t bit_rate = 0;
  /// Written as the container's tags, in this order. Keys: printable ASCII without '=', not empty.
  std::vector<AudioTag> tags;
};

/// The format a source maps to for AudioFileFormat::same_as_source: PCM in WAV -> wav, FLAC -> flac, MP3 -> mp3,
/// AAC -> m4a, Opus -> ogg_opus, Vorbis -> ogg_vorbis (by codec, whatever the container).
/// @throws Error(unsupported_format) for any other codec.
[[nodiscard]] AudioFileFormat audio_file_format_of(const AudioSourceInfo& source);

/// The usual file name extension of a format (without the dot): "wav", "flac", "mp3", "m4a", "opus", "ogg".
[[nodiscard]] const char* audio_file_extension(AudioFileFormat format);

/// Encodes PCM (samples clipped to [-1, 1]) to a file's bytes. The rate is kept when the codec allows it, else
/// the nearest rate it supports at or above it (the highest one when none is): Opus always 48 kHz, MP3 at most
/// 48 kHz, AAC at most 96 kHz.
/// @throws Error(invalid_argument) for a bad view, depth, bit rate or tag, Error(unsupported_format) when the
///         codec cannot take this many channels or same_as_source has no usable source, Error(internal) when
///         FFmpeg fails otherwise.
[[nodiscard]] std::vector<std::uint8_t> encode_audio(const AudioView& audio, const AudioEncodeOptions& options);
/// encode_audio, then write_file_atomic. @throws Error(io) too.
void encode_audio_file(const std::filesystem::path& path, const AudioView& audio, const AudioEncodeOptions& options);

}  // namespace provmark
