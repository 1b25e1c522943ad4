// SPDX-License-Identifier: Apache-2.0
#pragma once
// The AIGC label's carriers per container, below read_aigc_labels() / write_aigc_label() (aigc.cpp), which
// parse and check the JSON. spec/aigc-label-v1.md lists what each container reads and writes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/limits.hpp"

namespace provmark::labels {

// FoundAigcLabel::carrier values.
inline constexpr std::string_view kCarrierXmp = "xmp";
inline constexpr std::string_view kCarrierPngText = "png-text";
inline constexpr std::string_view kCarrierExif = "exif-user-comment";
inline constexpr std::string_view kCarrierId3 = "id3";                        // MP3: ID3v2 TXXX frame AIGC
inline constexpr std::string_view kCarrierVorbisComment = "vorbis-comment";  // FLAC, Ogg: AIGC=...
inline constexpr std::string_view kCarrierMp4 = "mp4-metadata";               // M4A: metadata key AIGC
inline constexpr std::string_view kCarrierAudioComment = "audio-comment";    // wrapped JSON in a comment tag
inline constexpr std::string_view kCarrierWavChunk = "wav-chunk";

/// One AIGC value found in a file, not parsed yet.
struct CarrierValue {
  std::string_view carrier;
  std::string json;
};

/// Whether an EXIF UserComment is an AIGC label rather than an ordinary comment: JSON object text that
/// names AIGC (the wrapped form {"AIGC":{...}}).
[[nodiscard]] bool is_aigc_comment(std::string_view text);

/// Bytes [start, end) of the input replaced by `bytes` (start == end inserts).
struct ByteEdit {
  std::size_t start = 0;
  std::size_t end = 0;
  std::vector<std::uint8_t> bytes;
};

/// The input with the edits applied; they must not overlap (else Error(internal)).
[[nodiscard]] std::vector<std::uint8_t> apply_edits(std::span<const std::uint8_t> input, std::vector<ByteEdit> edits);

/// Values in APP1 XMP packets (TC260:AIGC) and in an APP1 Exif UserComment, in file order.
/// @throws Error(malformed_input)
[[nodiscard]] std::vector<CarrierValue> jpeg_aigc_values(std::span<const std::uint8_t> jpeg);
/// `json` as the one TC260:AIGC property of the JPEG's XMP; every other carrier removed.
/// @throws Error(malformed_input | limit_exceeded)
[[nodiscard]] std::vector<std::uint8_t> jpeg_write_aigc(std::span<const std::uint8_t> jpeg, std::string_view json);

/// Values in iTXt XML:com.adobe.xmp packets, tEXt/zTXt/iTXt chunks with keyword AIGC and an eXIf UserComment,
/// in file order. Compressed text inflates to at most limits.max_file_bytes and 16 MiB.
/// @throws Error(malformed_input | limit_exceeded)
[[nodiscard]] std::vector<CarrierValue> png_aigc_values(std::span<const std::uint8_t> png, const Limits& limits);
/// `json` as the one TC260:AIGC property of the PNG's XMP (an uncompressed iTXt chunk before IDAT); every
/// other carrier removed. @throws Error(malformed_input | limit_exceeded)
[[nodiscard]] std::vector<std::uint8_t> png_write_aigc(std::span<const std::uint8_t> png, std::string_view json,
                                                       const Limits& limits);

/// The audio containers whose tags FFmpeg reads and writes (WAV's AIGC chunk is RIFF code of its own).
enum class AudioContainer { mp3, flac, ogg, mp4 };

/// Values of AIGC tags (key AIGC, any case) and wrapped-form JSON in comment/description tags, from the
/// demuxer's container and stream tags. @throws Error(unsupported_format | malformed_input | limit_exceeded)
[[nodiscard]] std::vector<CarrierValue> audio_aigc_values(std::span<const std::uint8_t> audio,
                                                          AudioContainer container, const Limits& limits);
/// The file remuxed with stream copy and `json` as its one AIGC tag (Ogg: on the first audio stream; others: the
/// container's); every other carrier removed, the other tags kept. Audio and cover pictures only.
/// @throws Error(unsupported_format | malformed_input | limit_exceeded)
[[nodiscard]] std::vector<std::uint8_t> audio_write_aigc(std::span<const std::uint8_t> audio,
                                                         AudioContainer container, std::string_view json,
                                                         const Limits& limits);
/// Values of the top-level RIFF chunks `AIGC`, in file order (trailing NULs dropped). @throws Error(malformed_input)
[[nodiscard]] std::vector<CarrierValue> wav_aigc_values(std::span<const std::uint8_t> wav);
/// `json` as the one `AIGC` chunk, at the end of the RIFF form (before a C2PA chunk, which stays last); other
/// `AIGC` chunks removed. @throws Error(malformed_input | limit_exceeded)
[[nodiscard]] std::vector<std::uint8_t> wav_write_aigc(std::span<const std::uint8_t> wav, std::string_view json);

}  // namespace provmark::labels
