// SPDX-License-Identifier: Apache-2.0
// Audio decode / encode through FFmpeg 5.1: demuxing and muxing in memory (codecs/ffmpeg.hpp), libswresample for
// every sample-format, layout and rate conversion, AVAudioFifo to cut the encoder's fixed frame sizes.

#include "provmark/audio_codec.hpp"

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cmath>

#include "codecs/ffmpeg.hpp"
#include "core/fail.hpp"
#include "provmark/codec.hpp"

namespace provmark {
namespace {

namespace ff = codecs::ff;

using codecs::fail_av;

struct SwrDeleter {
  void operator()(SwrContext* context) const noexcept { ff::swr_free(&context); }
};
using Resampler = std::unique_ptr<SwrContext, SwrDeleter>;

struct FifoDeleter {
  void operator()(AVAudioFifo* fifo) const noexcept { ff::av_audio_fifo_free(fifo); }
};

// FFmpeg's answer for a bad stream: INVALIDDATA and the like are malformed input, missing features unsupported.
Errc input_error_kind(int code) {
  return code == AVERROR_PATCHWELCOME || code == AVERROR(ENOSYS) || code == AVERROR_DECODER_NOT_FOUND
             ? Errc::unsupported_format
             : Errc::malformed_input;
}

// A layout swresample accepts: files without a channel mask (UNSPEC order) get the default one for their count.
AVChannelLayout usable_layout(const AVChannelLayout& layout) {
  AVChannelLayout out{};
  if (layout.order == AV_CHANNEL_ORDER_UNSPEC || ff::av_channel_layout_check(&layout) == 0)
    ff::av_channel_layout_default(&out, layout.nb_channels);
  else if (ff::av_channel_layout_copy(&out, &layout) < 0)
    fail_av(Errc::internal, "audio: cannot copy a channel layout", AVERROR(ENOMEM));
  return out;
}

Resampler make_resampler(const AVChannelLayout& out_layout, AVSampleFormat out_format, int out_rate,
                         const AVChannelLayout& in_layout, AVSampleFormat in_format, int in_rate) {
  SwrContext* context = nullptr;
  // FFmpeg 5.1 declares the layouts non-const; it only reads them.
  int status = ff::swr_alloc_set_opts2(&context, const_cast<AVChannelLayout*>(&out_layout), out_format, out_rate,
                                       const_cast<AVChannelLayout*>(&in_layout), in_format, in_rate, 0, nullptr);
  Resampler resampler(context);
  if (status >= 0) status = ff::swr_init(context);
  if (status < 0) fail_av(Errc::unsupported_format, "audio: cannot set up sample conversion", status);
  return resampler;
}

// Decodes frames into interleaved float, checking the format stays the same and the sample limit holds.
class PcmSink {
 public:
  explicit PcmSink(const Limits& limits) : limits_(limits) {}
  ~PcmSink() { ff::av_channel_layout_uninit(&layout_); }
  PcmSink(const PcmSink&) = delete;
  PcmSink& operator=(const PcmSink&) = delete;

  void add(const AVFrame& frame) {
    if (frame.nb_samples <= 0) return;
    const int channels = frame.ch_layout.nb_channels;
    if (!resampler_) {
      if (channels < 1 || channels > 16)
        fail(Errc::unsupported_format, "audio: " + std::to_string(channels) + " channels (provmark takes 1 to 16)");
      if (frame.sample_rate < 8000 || frame.sample_rate > 384000)
        fail(Errc::unsupported_format,
             "audio: sample rate " + std::to_string(frame.sample_rate) + " Hz (provmark takes 8000 to 384000)");
      channels_ = channels;
      rate_ = frame.sample_rate;
      layout_ = usable_layout(frame.ch_layout);
    } else if (channels != channels_ || frame.sample_rate != rate_) {
      fail(Errc::unsupported_format, "audio: the channel count or sample rate changes within the stream");
    }
    if (!resampler_ || frame.format != format_) {
      format_ = frame.format;
      resampler_ =
          make_resampler(layout_, AV_SAMPLE_FMT_FLT, rate_, layout_, static_cast<AVSampleFormat>(format_), rate_);
    }
    const std::size_t old_size = samples_.size();
    const std::size_t added = static_cast<std::size_t>(frame.nb_samples) * static_cast<std::size_t>(channels_);
    if (old_size + added > limits_.max_audio_samples)
      fail(Errc::limit_exceeded, "audio: more than " + std::to_string(limits_.max_audio_samples) +
                                     " decoded samples (Limits::max_audio_samples)");
    samples_.resize(old_size + added);
    auto* out = reinterpret_cast<std::uint8_t*>(samples_.data() + old_size);
    // Same rate in and out: swresample converts and interleaves without keeping samples back.
    const int done = ff::swr_convert(resampler_.get(), &out, frame.nb_samples,
                                     const_cast<const std::uint8_t**>(frame.extended_data), frame.nb_samples);
    if (done != frame.nb_samples) fail_av(Errc::internal, "audio: sample conversion failed", done < 0 ? done : 0);
  }

  [[nodiscard]] Audio take() {
    if (samples_.empty()) fail(Errc::malformed_input, "audio: the stream holds no decodable samples");
    Audio audio(0, channels_, rate_);
    audio.samples() = std::move(samples_);
    return audio;
  }

 private:
  const Limits& limits_;
  Resampler resampler_;
  AVChannelLayout layout_{};
  int format_ = AV_SAMPLE_FMT_NONE;
  int channels_ = 0;
  int rate_ = 0;
  std::vector<float> samples_;
};

// Sends one packet (nullptr: flush) and hands every frame the decoder has ready to the sink.
void decode_packet(AVCodecContext* decoder, const AVPacket* packet, AVFrame* frame, PcmSink& sink) {
  int status = ff::avcodec_send_packet(decoder, packet);
  if (status < 0 && status != AVERROR_EOF) fail_av(input_error_kind(status), "audio: cannot decode", status);
  while ((status = ff::avcodec_receive_frame(decoder, frame)) >= 0) {
    if ((frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0) {
      ff::av_frame_unref(frame);
      fail(Errc::malformed_input, "audio: the decoder reports corrupt data");
    }
    try {
      sink.add(*frame);
    } catch (...) {
      ff::av_frame_unref(frame);
      throw;
    }
    ff::av_frame_unref(frame);
  }
  if (status != AVERROR(EAGAIN) && status != AVERROR_EOF)
    fail_av(input_error_kind(status), "audio: cannot decode", status);
}

int bits_per_sample_of(const AVCodecParameters& parameters) {
  const AVCodecDescriptor* descriptor = ff::avcodec_descriptor_get(parameters.codec_id);
  if (descriptor == nullptr || (descriptor->props & AV_CODEC_PROP_LOSSLESS) == 0) return 0;
  if (parameters.bits_per_raw_sample > 0) return parameters.bits_per_raw_sample;
  if (const int exact = ff::av_get_exact_bits_per_sample(parameters.codec_id); exact > 0) return exact;
  return parameters.bits_per_coded_sample;
}

struct Target {
  const char* muxer;
  const char* encoder;
  AVSampleFormat sample_format;  // NONE: the encoder's first float format, else its first one
  int bits = 0;                  // bits_per_raw_sample for FLAC 24
  bool lossy = false;
};

Target target_of(AudioFileFormat format, AudioSampleDepth depth) {
  switch (format) {
    case AudioFileFormat::wav:
      if (depth == AudioSampleDepth::s24) return {"wav", "pcm_s24le", AV_SAMPLE_FMT_S32, 24};
      if (depth == AudioSampleDepth::f32) return {"wav", "pcm_f32le", AV_SAMPLE_FMT_FLT, 32};
      return {"wav", "pcm_s16le", AV_SAMPLE_FMT_S16, 16};
    case AudioFileFormat::flac:
      if (depth == AudioSampleDepth::f32) fail(Errc::invalid_argument, "audio: FLAC has no float samples");
      if (depth == AudioSampleDepth::s24) return {"flac", "flac", AV_SAMPLE_FMT_S32, 24};
      return {"flac", "flac", AV_SAMPLE_FMT_S16, 16};
    case AudioFileFormat::mp3:
      return {"mp3", "libmp3lame", AV_SAMPLE_FMT_NONE, 0, true};
    // "ipod" is FFmpeg's M4A muxer (brand M4A).
    case AudioFileFormat::m4a:
      return {"ipod", "aac", AV_SAMPLE_FMT_NONE, 0, true};
    case AudioFileFormat::ogg_opus:
      return {"ogg", "libopus", AV_SAMPLE_FMT_NONE, 0, true};
    case AudioFileFormat::ogg_vorbis:
      return {"ogg", "libvorbis", AV_SAMPLE_FMT_NONE, 0, true};
    case AudioFileFormat::same_as_source:
      break;
  }
  fail(Errc::invalid_argument, "audio: unknown output format");
}

AudioSampleDepth depth_of(const AudioSourceInfo& source) {
  if (source.sample_format == "flt" || source.sample_format == "fltp" || source.sample_format == "dbl" ||
      source.sample_format == "dblp")
    return AudioSampleDepth::f32;
  return source.bits_per_sample > 16 ? AudioSampleDepth::s24 : AudioSampleDepth::s16;
}

AVSampleFormat pick_sample_format(const AVCodec& codec, AVSampleFormat wanted) {
  if (wanted != AV_SAMPLE_FMT_NONE) return wanted;
  if (codec.sample_fmts == nullptr) return AV_SAMPLE_FMT_FLT;
  for (const AVSampleFormat* format = codec.sample_fmts; *format != AV_SAMPLE_FMT_NONE; ++format)
    if (*format == AV_SAMPLE_FMT_FLTP || *format == AV_SAMPLE_FMT_FLT) return *format;
  return codec.sample_fmts[0];
}

// The rate itself when the codec takes it, else the lowest supported rate above it, else the highest one.
int pick_sample_rate(const AVCodec& codec, int rate) {
  if (codec.supported_samplerates == nullptr) return rate;
  int above = 0;
  int highest = 0;
  for (const int* r = codec.supported_samplerates; *r != 0; ++r) {
    if (*r == rate) return rate;
    if (*r > rate && (above == 0 || *r < above)) above = *r;
    highest = std::max(highest, *r);
  }
  return above != 0 ? above : highest;
}

void pick_layout(const AVCodec& codec, int channels, AVChannelLayout& layout) {
  if (codec.ch_layouts != nullptr) {
    for (const AVChannelLayout* l = codec.ch_layouts; l->nb_channels != 0; ++l)
      if (l->nb_channels == channels) {
        if (ff::av_channel_layout_copy(&layout, l) < 0)
          fail_av(Errc::internal, "audio: cannot copy a channel layout", AVERROR(ENOMEM));
        return;
      }
    fail(Errc::unsupported_format,
         std::string("audio: the ") + codec.name + " encoder does not take " + std::to_string(channels) + " channels");
  }
  ff::av_channel_layout_default(&layout, channels);
}

void check_tags(const std::vector<AudioTag>& tags) {
  for (const AudioTag& tag : tags) {
    const bool key_ok = !tag.key.empty() && std::all_of(tag.key.begin(), tag.key.end(),
                                                        [](char c) { return c >= 0x20 && c <= 0x7E && c != '='; });
    if (!key_ok) fail(Errc::invalid_argument, "audio: tag key '" + tag.key + "' is not printable ASCII without '='");
    if (tag.value.find('\0') != std::string::npos)
      fail(Errc::invalid_argument, "audio: the value of tag " + tag.key + " holds a NUL byte");
  }
}

void set_tags(AVDictionary** dictionary, const std::vector<AudioTag>& tags) {
  for (const AudioTag& tag : tags) {
    const int status = ff::av_dict_set(dictionary, tag.key.c_str(), tag.value.c_str(), 0);
    if (status < 0) fail_av(Errc::internal, "audio: cannot set a tag", status);
  }
}

// Moves every packet the encoder has ready into the muxer.
void drain_encoder(AVCodecContext* encoder, AVFormatContext* muxer, AVStream* stream, AVPacket* packet) {
  int status = 0;
  while ((status = ff::avcodec_receive_packet(encoder, packet)) >= 0) {
    ff::av_packet_rescale_ts(packet, encoder->time_base, stream->time_base);
    packet->stream_index = stream->index;
    status = ff::av_interleaved_write_frame(muxer, packet);  // takes the packet's reference
    if (status < 0) fail_av(Errc::internal, "audio: cannot write a packet", status);
  }
  if (status != AVERROR(EAGAIN) && status != AVERROR_EOF) fail_av(Errc::internal, "audio: cannot encode", status);
}

class EncoderFeed {
 public:
  EncoderFeed(AVCodecContext* encoder, AVFormatContext* muxer, AVStream* stream)
      : encoder_(encoder), muxer_(muxer), stream_(stream), packet_(codecs::make_packet()) {
    fifo_.reset(ff::av_audio_fifo_alloc(encoder->sample_fmt, encoder->ch_layout.nb_channels, 1));
    if (!fifo_) fail_av(Errc::internal, "audio: cannot allocate a sample FIFO", AVERROR(ENOMEM));
    const bool variable = (encoder->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0;
    frame_size_ = encoder->frame_size > 0 && !variable ? encoder->frame_size : 4096;
  }

  void write(std::uint8_t** planes, int count) {
    if (count <= 0) return;
    if (ff::av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(planes), count) < count)
      fail_av(Errc::internal, "audio: cannot buffer samples", AVERROR(ENOMEM));
    while (ff::av_audio_fifo_size(fifo_.get()) >= frame_size_) send(frame_size_);
  }

  void finish() {
    if (const int left = ff::av_audio_fifo_size(fifo_.get()); left > 0) send(left);
    const int status = ff::avcodec_send_frame(encoder_, nullptr);
    if (status < 0) fail_av(Errc::internal, "audio: cannot flush the encoder", status);
    drain_encoder(encoder_, muxer_, stream_, packet_.get());
  }

 private:
  void send(int count) {
    const codecs::Frame frame = codecs::make_frame();
    frame->nb_samples = count;
    frame->format = encoder_->sample_fmt;
    frame->sample_rate = encoder_->sample_rate;
    int status = ff::av_channel_layout_copy(&frame->ch_layout, &encoder_->ch_layout);
    if (status >= 0) status = ff::av_frame_get_buffer(frame.get(), 0);
    if (status < 0) fail_av(Errc::internal, "audio: cannot allocate a frame", status);
    if (ff::av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame->data), count) < count)
      fail(Errc::internal, "audio: the sample FIFO ran dry");
    frame->pts = next_pts_;
    next_pts_ += count;
    status = ff::avcodec_send_frame(encoder_, frame.get());
    if (status < 0) fail_av(Errc::internal, "audio: cannot encode", status);
    drain_encoder(encoder_, muxer_, stream_, packet_.get());
  }

  AVCodecContext* encoder_;
  AVFormatContext* muxer_;
  AVStream* stream_;
  codecs::Packet packet_;
  std::unique_ptr<AVAudioFifo, FifoDeleter> fifo_;
  int frame_size_ = 0;
  std::int64_t next_pts_ = 0;
};

// Converts the caller's float PCM (clipped, NaN as silence) to the encoder's format and rate, chunk by chunk.
void feed_samples(const AudioView& audio, AVCodecContext* encoder, EncoderFeed& feed) {
  AVChannelLayout in_layout{};
  ff::av_channel_layout_default(&in_layout, audio.channels);
  const Resampler resampler = make_resampler(encoder->ch_layout, encoder->sample_fmt, encoder->sample_rate, in_layout,
                                             AV_SAMPLE_FMT_FLT, audio.sample_rate);
  constexpr std::size_t kChunkFrames = 4096;
  const auto channels = static_cast<std::size_t>(audio.channels);
  std::vector<float> chunk(kChunkFrames * channels);
  const int planes = ff::av_sample_fmt_is_planar(encoder->sample_fmt) ? encoder->ch_layout.nb_channels : 1;
  std::vector<std::uint8_t*> out(static_cast<std::size_t>(planes));
  std::vector<std::uint8_t> out_buffer;
  const auto convert = [&](const std::uint8_t* in, int in_count) {
    const int capacity = ff::swr_get_out_samples(resampler.get(), in_count);
    if (capacity < 0) fail_av(Errc::internal, "audio: sample conversion failed", capacity);
    const int bytes = ff::av_samples_get_buffer_size(nullptr, encoder->ch_layout.nb_channels, std::max(capacity, 1),
                                                     encoder->sample_fmt, 1);
    if (bytes < 0) fail_av(Errc::internal, "audio: sample conversion failed", bytes);
    out_buffer.resize(static_cast<std::size_t>(bytes));
    ff::av_samples_fill_arrays(out.data(), nullptr, out_buffer.data(), encoder->ch_layout.nb_channels,
                               std::max(capacity, 1), encoder->sample_fmt, 1);
    const std::uint8_t* in_planes[1] = {in};
    const int done =
        ff::swr_convert(resampler.get(), out.data(), capacity, in != nullptr ? in_planes : nullptr, in_count);
    if (done < 0) fail_av(Errc::internal, "audio: sample conversion failed", done);
    feed.write(out.data(), done);
  };
  for (std::size_t start = 0; start < audio.frames; start += kChunkFrames) {
    const std::size_t frames = std::min(kChunkFrames, audio.frames - start);
    const float* source = audio.samples + start * channels;
    for (std::size_t i = 0; i < frames * channels; ++i)
      chunk[i] = std::isnan(source[i]) ? 0.0f : std::clamp(source[i], -1.0f, 1.0f);
    convert(reinterpret_cast<const std::uint8_t*>(chunk.data()), static_cast<int>(frames));
  }
  convert(nullptr, 0);  // what the resampler kept back
}

}  // namespace

DecodedAudio decode_audio(std::span<const std::uint8_t> bytes, const Limits& limits) {
  codecs::MemoryInput input(bytes, limits);
  int status = ff::avformat_find_stream_info(input.get(), nullptr);
  if (status < 0) fail_av(input_error_kind(status), "audio: cannot read the streams", status);
  const AVCodec* codec = nullptr;
  const int index = ff::av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (index == AVERROR_STREAM_NOT_FOUND) fail(Errc::unsupported_format, "audio: the file has no audio stream");
  if (index < 0 || codec == nullptr)
    fail(Errc::unsupported_format, "audio: FFmpeg has no decoder for the audio stream");
  const AVStream* stream = input->streams[index];

  codecs::CodecContext decoder(ff::avcodec_alloc_context3(codec));
  if (!decoder) fail_av(Errc::internal, "audio: cannot allocate a decoder", AVERROR(ENOMEM));
  status = ff::avcodec_parameters_to_context(decoder.get(), stream->codecpar);
  if (status < 0) fail_av(Errc::internal, "audio: cannot set up the decoder", status);
  decoder->thread_count = 1;  // callers parallelise over files
  decoder->pkt_timebase = stream->time_base;
  // One frame may not hold more than the limit either (FFmpeg allocates it before we see it); no real codec's frame
  // comes near 2^20 samples per channel.
  decoder->max_samples = static_cast<std::int64_t>(std::clamp<std::uint64_t>(limits.max_audio_samples, 1, 1 << 20));
  status = ff::avcodec_open2(decoder.get(), codec, nullptr);
  if (status < 0)
    fail_av(input_error_kind(status), std::string("audio: cannot open the ") + codec->name + " decoder", status);

  PcmSink sink(limits);
  const codecs::Packet packet = codecs::make_packet();
  const codecs::Frame frame = codecs::make_frame();
  while ((status = ff::av_read_frame(input.get(), packet.get())) >= 0) {
    try {
      if (packet->stream_index == index) decode_packet(decoder.get(), packet.get(), frame.get(), sink);
    } catch (...) {
      ff::av_packet_unref(packet.get());
      throw;
    }
    ff::av_packet_unref(packet.get());
  }
  if (status != AVERROR_EOF) fail_av(input_error_kind(status), "audio: cannot read a packet", status);
  decode_packet(decoder.get(), nullptr, frame.get(), sink);

  DecodedAudio decoded;
  decoded.audio = sink.take();
  AudioSourceInfo& source = decoded.source;
  source.container = input->iformat->name;
  source.codec = ff::avcodec_get_name(stream->codecpar->codec_id);
  source.bit_rate =
      stream->codecpar->bit_rate > 0 ? stream->codecpar->bit_rate : std::max<std::int64_t>(input->bit_rate, 0);
  const char* format_name = ff::av_get_sample_fmt_name(decoder->sample_fmt);
  source.sample_format = format_name != nullptr ? format_name : "";
  source.bits_per_sample = bits_per_sample_of(*stream->codecpar);
  source.sample_rate = decoded.audio.sample_rate();
  source.channels = decoded.audio.channels();
  source.tags = codecs::tags_of(input->metadata);
  for (AudioTag& tag : codecs::tags_of(stream->metadata)) source.tags.push_back(std::move(tag));
  return decoded;
}

DecodedAudio decode_audio_file(const std::filesystem::path& path, const Limits& limits) {
  return decode_audio(read_file(path, limits), limits);
}

AudioFileFormat audio_file_format_of(const AudioSourceInfo& source) {
  const std::string& codec = source.codec;
  if (codec.rfind("pcm_", 0) == 0) return AudioFileFormat::wav;
  if (codec == "flac") return AudioFileFormat::flac;
  if (codec == "mp3") return AudioFileFormat::mp3;
  if (codec == "aac") return AudioFileFormat::m4a;
  if (codec == "opus") return AudioFileFormat::ogg_opus;
  if (codec == "vorbis") return AudioFileFormat::ogg_vorbis;
  fail(Errc::unsupported_format, "audio: no output format for the codec '" + codec + "'");
}

const char* audio_file_extension(AudioFileFormat format) {
  switch (format) {
    case AudioFileFormat::wav:
      return "wav";
    case AudioFileFormat::flac:
      return "flac";
    case AudioFileFormat::mp3:
      return "mp3";
    case AudioFileFormat::m4a:
      return "m4a";
    case AudioFileFormat::ogg_opus:
      return "opus";
    case AudioFileFormat::ogg_vorbis:
      return "ogg";
    case AudioFileFormat::same_as_source:
      break;
  }
  fail(Errc::invalid_argument, "audio: same_as_source has no extension of its own");
}

std::vector<std::uint8_t> encode_audio(const AudioView& audio, const AudioEncodeOptions& options) {
  check_view(audio);
  check_tags(options.tags);
  if (options.bit_rate < 0 || options.bit_rate > 2'000'000)
    fail(Errc::invalid_argument, "audio: bit rate " + std::to_string(options.bit_rate) + " b/s");
  const bool like_source = options.format == AudioFileFormat::same_as_source;
  const AudioFileFormat format = like_source ? audio_file_format_of(options.source) : options.format;
  const Target target = target_of(format, like_source ? depth_of(options.source) : options.depth);
  std::int64_t bit_rate = options.bit_rate;
  if (bit_rate == 0 && like_source) bit_rate = options.source.bit_rate;
  if (bit_rate == 0 && format != AudioFileFormat::ogg_vorbis)
    bit_rate = std::int64_t{format == AudioFileFormat::ogg_opus ? 64'000 : 96'000} * audio.channels;
  if (format == AudioFileFormat::mp3) bit_rate = std::min<std::int64_t>(bit_rate, 320'000);

  const AVCodec* codec = ff::avcodec_find_encoder_by_name(target.encoder);
  if (codec == nullptr)
    fail(Errc::unsupported_format, std::string("audio: FFmpeg has no ") + target.encoder + " encoder");
  codecs::MemoryOutput output(target.muxer);
  codecs::CodecContext encoder(ff::avcodec_alloc_context3(codec));
  if (!encoder) fail_av(Errc::internal, "audio: cannot allocate an encoder", AVERROR(ENOMEM));
  pick_layout(*codec, audio.channels, encoder->ch_layout);
  encoder->sample_fmt = pick_sample_format(*codec, target.sample_format);
  encoder->sample_rate = pick_sample_rate(*codec, audio.sample_rate);
  encoder->time_base = AVRational{1, encoder->sample_rate};
  encoder->thread_count = 1;
  if (target.bits > 0) encoder->bits_per_raw_sample = target.bits;
  if (format == AudioFileFormat::ogg_vorbis && bit_rate == 0) {
    // libvorbis's bit-rate management only takes rates its tuning tables cover for the sample rate and channels;
    // its VBR quality works everywhere. Quality 5 is about 160 kb/s for 44.1 kHz stereo.
    encoder->flags |= AV_CODEC_FLAG_QSCALE;
    encoder->global_quality = 5 * FF_QP2LAMBDA;
  } else if (target.lossy) {
    encoder->bit_rate = bit_rate;
  }
  if ((output->oformat->flags & AVFMT_GLOBALHEADER) != 0) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int status = ff::avcodec_open2(encoder.get(), codec, nullptr);
  if (status < 0)
    fail_av(Errc::unsupported_format, std::string("audio: the ") + codec->name + " encoder refuses these settings",
            status);

  AVStream* stream = ff::avformat_new_stream(output.get(), nullptr);
  if (stream == nullptr) fail_av(Errc::internal, "audio: cannot add a stream", AVERROR(ENOMEM));
  stream->time_base = encoder->time_base;
  status = ff::avcodec_parameters_from_context(stream->codecpar, encoder.get());
  if (status < 0) fail_av(Errc::internal, "audio: cannot describe the stream", status);
  // Ogg keeps its comments per stream; the other muxers write the container's tags.
  set_tags(std::string_view(target.muxer) == "ogg" ? &stream->metadata : &output->metadata, options.tags);
  AVDictionary* muxer_options = nullptr;
  // Without use_metadata_tags the MP4 muxer writes only the iTunes keys it knows; with it, every tag goes into the
  // QuickTime keys/ilst (mdta) list, which ffprobe and exiftool ([Keys]) read.
  if (format == AudioFileFormat::m4a) ff::av_dict_set(&muxer_options, "movflags", "+use_metadata_tags", 0);
  status = ff::avformat_write_header(output.get(), &muxer_options);
  ff::av_dict_free(&muxer_options);
  if (status < 0) fail_av(Errc::internal, "audio: cannot write the header", status);

  EncoderFeed feed(encoder.get(), output.get(), stream);
  feed_samples(audio, encoder.get(), feed);
  feed.finish();
  status = ff::av_write_trailer(output.get());
  if (status < 0) fail_av(Errc::internal, "audio: cannot finish the file", status);
  return output.take_bytes();
}

void encode_audio_file(const std::filesystem::path& path, const AudioView& audio, const AudioEncodeOptions& options) {
  write_file_atomic(path, encode_audio(audio, options));
}

}  // namespace provmark
