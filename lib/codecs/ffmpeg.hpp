// SPDX-License-Identifier: Apache-2.0
#pragma once
// FFmpeg plumbing shared by the audio codec (codecs/audio_ffmpeg.cpp) and the audio AIGC carriers
// (labels/aigc_audio.cpp): owning handles, demuxing from memory, muxing to memory, errors as provmark::Error.

#include "codecs/ffmpeg_api.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "provmark/audio_codec.hpp"
#include "provmark/error.hpp"
#include "provmark/limits.hpp"

namespace provmark::codecs {

/// "what: FFmpeg's message for code".
[[nodiscard]] std::string av_error_text(const std::string& what, int code);
/// Throws Error(code_kind, av_error_text(what, code)); ENOMEM becomes Errc::limit_exceeded.
[[noreturn]] void fail_av(Errc kind, const std::string& what, int code);

struct InputDeleter {
  void operator()(AVFormatContext* context) const noexcept;
};
struct OutputDeleter {
  void operator()(AVFormatContext* context) const noexcept;
};
struct IoDeleter {
  void operator()(AVIOContext* io) const noexcept;
};
struct CodecDeleter {
  void operator()(AVCodecContext* context) const noexcept;
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const noexcept;
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const noexcept;
};
using CodecContext = std::unique_ptr<AVCodecContext, CodecDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
[[nodiscard]] Packet make_packet();
[[nodiscard]] Frame make_frame();

/// A demuxer reading `bytes` (which must outlive it) through a custom AVIOContext. The demuxer may open no
/// other resource (io_open refuses), probing reads at most the first MiB.
class MemoryInput {
 public:
  /// @throws Error(limit_exceeded) over limits.max_file_bytes, Error(unsupported_format) when no demuxer
  ///         recognises the bytes, Error(malformed_input) when the recognised demuxer cannot read its header.
  MemoryInput(std::span<const std::uint8_t> bytes, const Limits& limits);
  MemoryInput(const MemoryInput&) = delete;
  MemoryInput& operator=(const MemoryInput&) = delete;

  [[nodiscard]] AVFormatContext* get() const noexcept { return context_.get(); }
  AVFormatContext* operator->() const noexcept { return context_.get(); }

 private:
  struct Reader {
    std::span<const std::uint8_t> bytes;
    std::size_t position = 0;
  };
  // Destroyed in reverse order: the demuxer, then its I/O context, then what that reads from.
  std::unique_ptr<Reader> reader_;
  std::unique_ptr<AVIOContext, IoDeleter> io_;
  std::unique_ptr<AVFormatContext, InputDeleter> context_;
};

/// A muxer writing into memory through a seekable custom AVIOContext (WAV, FLAC, MP3 and MP4 seek back to fix
/// their headers).
class MemoryOutput {
 public:
  /// @throws Error(internal) when the muxer does not exist.
  explicit MemoryOutput(const char* muxer);
  MemoryOutput(const MemoryOutput&) = delete;
  MemoryOutput& operator=(const MemoryOutput&) = delete;

  [[nodiscard]] AVFormatContext* get() const noexcept { return context_.get(); }
  AVFormatContext* operator->() const noexcept { return context_.get(); }
  /// The bytes written so far (all of them after av_write_trailer).
  [[nodiscard]] std::vector<std::uint8_t> take_bytes();

 private:
  struct Writer {
    std::vector<std::uint8_t> bytes;
    std::size_t position = 0;
  };
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<AVIOContext, IoDeleter> io_;
  std::unique_ptr<AVFormatContext, OutputDeleter> context_;
};

/// Tags of a dictionary, in its order.
[[nodiscard]] std::vector<AudioTag> tags_of(const AVDictionary* dictionary);

}  // namespace provmark::codecs
