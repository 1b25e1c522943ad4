// SPDX-License-Identifier: Apache-2.0
// The AIGC label in MP3 (ID3v2 TXXX:AIGC), FLAC and Ogg (Vorbis comment AIGC=...) and M4A (MP4 metadata key AIGC),
// read from FFmpeg's demuxer tags and written by remuxing with stream copy (no re-encode) through FFmpeg's muxers,
// which own those tag formats; spec/aigc-label-v1.md "Audio".

#include <algorithm>
#include <cctype>

#include "codecs/ffmpeg.hpp"
#include "core/fail.hpp"
#include "labels/carriers.hpp"

namespace provmark::labels {
namespace {

namespace ff = codecs::ff;

using codecs::fail_av;

constexpr const char* kKey = "AIGC";

bool same_key(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// Generic text fields where the guides' wrapped form {"AIGC":{...}} may sit, as in an EXIF UserComment.
bool is_comment_key(std::string_view key) { return same_key(key, "comment") || same_key(key, "description"); }

bool is_label_tag(const AVDictionaryEntry& entry) {
  return same_key(entry.key, kKey) || (is_comment_key(entry.key) && is_aigc_comment(entry.value));
}

std::string_view carrier_of(AudioContainer container) {
  switch (container) {
    case AudioContainer::mp3:
      return kCarrierId3;
    case AudioContainer::flac:
    case AudioContainer::ogg:
      return kCarrierVorbisComment;
    case AudioContainer::mp4:
      break;
  }
  return kCarrierMp4;
}

void collect(const AVDictionary* tags, AudioContainer container, std::vector<CarrierValue>& values) {
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = ff::av_dict_get(tags, "", entry, AV_DICT_IGNORE_SUFFIX)) != nullptr)
    if (is_label_tag(*entry))
      values.push_back({same_key(entry->key, kKey) ? carrier_of(container) : kCarrierAudioComment, entry->value});
}

// Every tag of `from` but the AIGC carriers and the keys the demuxer makes up itself (MP4 brands), into `to`.
void copy_tags(const AVDictionary* from, AVDictionary** to) {
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = ff::av_dict_get(from, "", entry, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
    const std::string_view key = entry->key;
    if (is_label_tag(*entry) || key == "major_brand" || key == "minor_version" || key == "compatible_brands") continue;
    const int status = ff::av_dict_set(to, entry->key, entry->value, 0);
    if (status < 0) fail_av(Errc::internal, "aigc: cannot copy a tag", status);
  }
}

const char* muxer_of(AudioContainer container, const AVFormatContext& input) {
  switch (container) {
    case AudioContainer::mp3:
      return "mp3";
    case AudioContainer::flac:
      return "flac";
    case AudioContainer::ogg:
      return "ogg";
    case AudioContainer::mp4:
      break;
  }
  // The same flavour of ISO BMFF as the input, by its major brand.
  const AVDictionaryEntry* brand = ff::av_dict_get(input.metadata, "major_brand", nullptr, 0);
  const std::string_view major = brand != nullptr ? brand->value : "";
  if (major.rfind("M4A", 0) == 0 || major.rfind("M4B", 0) == 0) return "ipod";
  if (major.rfind("qt", 0) == 0) return "mov";
  return "mp4";
}

}  // namespace

std::vector<CarrierValue> audio_aigc_values(std::span<const std::uint8_t> audio, AudioContainer container,
                                            const Limits& limits) {
  const codecs::MemoryInput input(audio, limits);
  std::vector<CarrierValue> values;
  collect(input->metadata, container, values);
  for (unsigned i = 0; i < input->nb_streams; ++i) collect(input->streams[i]->metadata, container, values);
  return values;
}

std::vector<std::uint8_t> audio_write_aigc(std::span<const std::uint8_t> audio, AudioContainer container,
                                           std::string_view json, const Limits& limits) {
  const codecs::MemoryInput input(audio, limits);
  int status = ff::avformat_find_stream_info(input.get(), nullptr);
  if (status < 0) fail_av(Errc::malformed_input, "aigc: cannot read the streams", status);
  // Only audio and cover pictures are copied: a video or data stream would be dropped, so such files are refused.
  int first_audio = -1;
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream& stream = *input->streams[i];
    const bool is_audio = stream.codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
    if (!is_audio && (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0)
      fail(Errc::unsupported_format, "aigc: the file has a stream other than audio and cover pictures");
    if (is_audio && first_audio < 0) first_audio = static_cast<int>(i);
    // FFmpeg's MP4 muxer writes the cover (iTunes covr) only in its iTunes-tag mode, which has no free keys.
    if (!is_audio && container == AudioContainer::mp4)
      fail(Errc::unsupported_format, "aigc: FFmpeg cannot keep an MP4 cover picture while writing the AIGC key");
  }
  if (first_audio < 0) fail(Errc::unsupported_format, "aigc: the file has no audio stream");

  codecs::MemoryOutput output(muxer_of(container, *input.get()));
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream& in = *input->streams[i];
    AVStream* out = ff::avformat_new_stream(output.get(), nullptr);
    if (out == nullptr) fail_av(Errc::internal, "aigc: cannot add a stream", AVERROR(ENOMEM));
    status = ff::avcodec_parameters_copy(out->codecpar, in.codecpar);
    if (status < 0) fail_av(Errc::internal, "aigc: cannot copy a stream", status);
    out->codecpar->codec_tag = 0;  // the muxer picks its own tag for the codec
    out->time_base = in.time_base;
    out->disposition = in.disposition;
    copy_tags(in.metadata, &out->metadata);
  }
  copy_tags(input->metadata, &output->metadata);
  // Ogg keeps comments per stream (one comment header per logical stream); the others have one tag block.
  AVDictionary** target =
      container == AudioContainer::ogg ? &output->streams[first_audio]->metadata : &output->metadata;
  status = ff::av_dict_set(target, kKey, std::string(json).c_str(), 0);
  if (status < 0) fail_av(Errc::internal, "aigc: cannot set the tag", status);

  AVDictionary* options = nullptr;
  // The MP4 muxer writes free keys only as QuickTime mdta metadata (keys + ilst), which ffprobe and exiftool read.
  if (container == AudioContainer::mp4) ff::av_dict_set(&options, "movflags", "+use_metadata_tags", 0);
  status = ff::avformat_write_header(output.get(), &options);
  ff::av_dict_free(&options);
  if (status < 0) fail_av(Errc::unsupported_format, "aigc: FFmpeg cannot rewrite these streams", status);

  const codecs::Packet packet = codecs::make_packet();
  while ((status = ff::av_read_frame(input.get(), packet.get())) >= 0) {
    const AVStream& in = *input->streams[packet->stream_index];
    const AVStream& out = *output->streams[packet->stream_index];
    ff::av_packet_rescale_ts(packet.get(), in.time_base, out.time_base);
    packet->pos = -1;
    status = ff::av_interleaved_write_frame(output.get(), packet.get());  // takes the packet's reference
    if (status < 0) fail_av(Errc::malformed_input, "aigc: cannot copy a packet", status);
  }
  if (status != AVERROR_EOF) fail_av(Errc::malformed_input, "aigc: cannot read a packet", status);
  status = ff::av_write_trailer(output.get());
  if (status < 0) fail_av(Errc::internal, "aigc: cannot finish the file", status);
  return output.take_bytes();
}

}  // namespace provmark::labels
