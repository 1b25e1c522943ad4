// SPDX-License-Identifier: Apache-2.0
#pragma once
// FFmpeg, loaded when first used. provmark is not linked against libav*: their dependencies (codec, network
// and graphics libraries) are over a hundred shared libraries, and loading them cost every process ~60 ms at
// start (bench/startup.sh), image-only ones included. Audio code calls ff::name(...) instead of name(...);
// the first call dlopen()s the libraries of the major versions compiled against (so the ABI is the one the
// headers describe) and resolves every function listed below.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

#include <utility>

// Every FFmpeg function provmark calls. Adding a call means adding its name here (the build fails otherwise:
// nothing links libav* directly).
#define PROVMARK_FFMPEG_FUNCTIONS(X)                                                                             \
  X(av_audio_fifo_alloc) X(av_audio_fifo_free) X(av_audio_fifo_read) X(av_audio_fifo_size) X(av_audio_fifo_write) \
  X(av_channel_layout_check) X(av_channel_layout_copy) X(av_channel_layout_default) X(av_channel_layout_uninit)   \
  X(av_dict_free) X(av_dict_get) X(av_dict_set) X(av_find_best_stream) X(av_frame_alloc) X(av_frame_free)        \
  X(av_frame_get_buffer) X(av_frame_unref) X(av_free) X(av_freep) X(av_get_exact_bits_per_sample)                 \
  X(av_get_sample_fmt_name) X(av_interleaved_write_frame) X(av_log_set_level) X(av_malloc) X(av_packet_alloc)    \
  X(av_packet_free) X(av_packet_rescale_ts) X(av_packet_unref) X(av_probe_input_buffer2) X(av_read_frame)         \
  X(av_sample_fmt_is_planar) X(av_samples_fill_arrays) X(av_samples_get_buffer_size) X(av_strerror)               \
  X(av_write_trailer) X(avcodec_alloc_context3) X(avcodec_descriptor_get) X(avcodec_find_encoder_by_name)         \
  X(avcodec_free_context) X(avcodec_get_name) X(avcodec_open2) X(avcodec_parameters_copy)                         \
  X(avcodec_parameters_from_context) X(avcodec_parameters_to_context) X(avcodec_receive_frame)                    \
  X(avcodec_receive_packet) X(avcodec_send_frame) X(avcodec_send_packet) X(avformat_alloc_context)                \
  X(avformat_alloc_output_context2) X(avformat_close_input) X(avformat_find_stream_info) X(avformat_free_context) \
  X(avformat_new_stream) X(avformat_open_input) X(avformat_write_header) X(avio_alloc_context)                    \
  X(avio_context_free) X(avio_flush) X(swr_alloc_set_opts2) X(swr_convert) X(swr_free) X(swr_get_out_samples)     \
  X(swr_init)

namespace provmark::codecs::ff {

/// The resolved functions, with the types the headers declare.
struct Api {
#define PROVMARK_FFMPEG_POINTER(name) decltype(&::name) name = nullptr;
  PROVMARK_FFMPEG_FUNCTIONS(PROVMARK_FFMPEG_POINTER)
#undef PROVMARK_FFMPEG_POINTER
};

/// Loads FFmpeg once per process (thread-safe) and sets its log level to quiet: it must never print to the
/// caller's stderr.
/// @throws Error(unsupported_format) naming the library that could not be loaded or the function it lacks.
[[nodiscard]] const Api& api();

// ff::name(args...) calls FFmpeg's name(args...).
#define PROVMARK_FFMPEG_FORWARD(name)               \
  template <class... Args>                          \
  decltype(auto) name(Args&&... args) {             \
    return api().name(std::forward<Args>(args)...); \
  }
PROVMARK_FFMPEG_FUNCTIONS(PROVMARK_FFMPEG_FORWARD)
#undef PROVMARK_FFMPEG_FORWARD

}  // namespace provmark::codecs::ff
