// SPDX-License-Identifier: Apache-2.0
#include "codecs/ffmpeg.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/fail.hpp"

namespace provmark::codecs {
namespace {

constexpr int kIoBufferBytes = 64 * 1024;
constexpr int kMaxProbeBytes = 1 << 20;  // garbage is given up on after 1 MiB of probing
constexpr int kMaxStreams = 64;          // audio files have a handful; a hostile header may declare thousands

// Demuxers that follow references (HLS, concat, DASH, image sequences) call io_open: nothing may be opened.
int refuse_io_open(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) { return AVERROR(EPERM); }

AVIOContext* make_io(void* opaque, int (*read)(void*, std::uint8_t*, int), int (*write)(void*, std::uint8_t*, int),
                     std::int64_t (*seek)(void*, std::int64_t, int)) {
  auto* buffer = static_cast<std::uint8_t*>(ff::av_malloc(kIoBufferBytes));
  if (buffer == nullptr) fail_av(Errc::internal, "audio: cannot allocate an I/O buffer", AVERROR(ENOMEM));
  AVIOContext* io = ff::avio_alloc_context(buffer, kIoBufferBytes, write != nullptr ? 1 : 0, opaque, read, write, seek);
  if (io == nullptr) {
    ff::av_free(buffer);
    fail_av(Errc::internal, "audio: cannot allocate an I/O context", AVERROR(ENOMEM));
  }
  return io;
}

// The new position for an AVIOContext seek over `size` bytes, or a negative AVERROR.
std::int64_t seek_position(std::int64_t offset, int whence, std::size_t position, std::size_t size) {
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return static_cast<std::int64_t>(size);
  std::int64_t base = 0;
  if (whence == SEEK_CUR)
    base = static_cast<std::int64_t>(position);
  else if (whence == SEEK_END)
    base = static_cast<std::int64_t>(size);
  else if (whence != SEEK_SET)
    return AVERROR(EINVAL);
  if (offset < -base || offset > INT64_MAX - base) return AVERROR(EINVAL);
  return base + offset;
}

}  // namespace

std::string av_error_text(const std::string& what, int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  ff::av_strerror(code, text, sizeof text);
  return what + ": " + text;
}

void fail_av(Errc kind, const std::string& what, int code) {
  fail(code == AVERROR(ENOMEM) ? Errc::limit_exceeded : kind, av_error_text(what, code));
}

void InputDeleter::operator()(AVFormatContext* context) const noexcept { ff::avformat_close_input(&context); }
void OutputDeleter::operator()(AVFormatContext* context) const noexcept { ff::avformat_free_context(context); }
void IoDeleter::operator()(AVIOContext* io) const noexcept {
  if (io == nullptr) return;
  ff::av_freep(&io->buffer);  // FFmpeg may have replaced the buffer it was given
  ff::avio_context_free(&io);
}
void CodecDeleter::operator()(AVCodecContext* context) const noexcept { ff::avcodec_free_context(&context); }
void PacketDeleter::operator()(AVPacket* packet) const noexcept { ff::av_packet_free(&packet); }
void FrameDeleter::operator()(AVFrame* frame) const noexcept { ff::av_frame_free(&frame); }

Packet make_packet() {
  Packet packet(ff::av_packet_alloc());
  if (!packet) fail_av(Errc::internal, "audio: cannot allocate a packet", AVERROR(ENOMEM));
  return packet;
}

Frame make_frame() {
  Frame frame(ff::av_frame_alloc());
  if (!frame) fail_av(Errc::internal, "audio: cannot allocate a frame", AVERROR(ENOMEM));
  return frame;
}

MemoryInput::MemoryInput(std::span<const std::uint8_t> bytes, const Limits& limits)
    : reader_(std::make_unique<Reader>(Reader{bytes, 0})) {
  if (bytes.size() > limits.max_file_bytes)
    fail(Errc::limit_exceeded, "audio: the file has " + std::to_string(bytes.size()) +
                                   " bytes, more than the limit of " + std::to_string(limits.max_file_bytes));
  if (bytes.empty()) fail(Errc::malformed_input, "audio: the file is empty");
  const auto read = [](void* opaque, std::uint8_t* buffer, int size) -> int {
    auto& reader = *static_cast<Reader*>(opaque);
    const std::size_t left = reader.bytes.size() - reader.position;
    if (left == 0) return AVERROR_EOF;
    const std::size_t n = std::min(left, static_cast<std::size_t>(size));
    std::memcpy(buffer, reader.bytes.data() + reader.position, n);
    reader.position += n;
    return static_cast<int>(n);
  };
  const auto seek = [](void* opaque, std::int64_t offset, int whence) -> std::int64_t {
    auto& reader = *static_cast<Reader*>(opaque);
    const std::int64_t target = seek_position(offset, whence, reader.position, reader.bytes.size());
    if (target < 0 || (whence & ~AVSEEK_FORCE) == AVSEEK_SIZE) return target;
    reader.position = std::min(static_cast<std::size_t>(target), reader.bytes.size());
    return target;
  };
  io_.reset(make_io(reader_.get(), read, nullptr, seek));

  const AVInputFormat* format = nullptr;
  const int score = ff::av_probe_input_buffer2(io_.get(), &format, "", nullptr, 0, kMaxProbeBytes);
  if (score < 0 || format == nullptr) fail(Errc::unsupported_format, "audio: FFmpeg recognises no format in the bytes");

  AVFormatContext* context = ff::avformat_alloc_context();
  if (context == nullptr) fail_av(Errc::internal, "audio: cannot allocate a demuxer", AVERROR(ENOMEM));
  context->pb = io_.get();
  context->io_open = refuse_io_open;
  context->max_streams = kMaxStreams;
  context->probesize = kMaxProbeBytes;
  context->format_probesize = kMaxProbeBytes;
  // On failure avformat_open_input frees the context itself.
  const int status = ff::avformat_open_input(&context, nullptr, format, nullptr);
  if (status < 0)
    fail_av(
        status == AVERROR_PATCHWELCOME || status == AVERROR(ENOSYS) ? Errc::unsupported_format : Errc::malformed_input,
        std::string("audio: cannot read the ") + format->name + " header", status);
  context_.reset(context);
}

MemoryOutput::MemoryOutput(const char* muxer) : writer_(std::make_unique<Writer>()) {
  AVFormatContext* context = nullptr;
  const int status = ff::avformat_alloc_output_context2(&context, nullptr, muxer, nullptr);
  if (status < 0 || context == nullptr) fail_av(Errc::internal, std::string("audio: no muxer ") + muxer, status);
  context_.reset(context);
  const auto write = [](void* opaque, std::uint8_t* buffer, int size) -> int {
    auto& writer = *static_cast<Writer*>(opaque);
    const std::size_t n = static_cast<std::size_t>(size);
    if (writer.position + n > writer.bytes.size()) writer.bytes.resize(writer.position + n);
    std::memcpy(writer.bytes.data() + writer.position, buffer, n);
    writer.position += n;
    return size;
  };
  const auto seek = [](void* opaque, std::int64_t offset, int whence) -> std::int64_t {
    auto& writer = *static_cast<Writer*>(opaque);
    const std::int64_t target = seek_position(offset, whence, writer.position, writer.bytes.size());
    if (target < 0 || (whence & ~AVSEEK_FORCE) == AVSEEK_SIZE) return target;
    if (static_cast<std::uint64_t>(target) > writer.bytes.size()) return AVERROR(EINVAL);
    writer.position = static_cast<std::size_t>(target);
    return target;
  };
  io_.reset(make_io(writer_.get(), nullptr, write, seek));
  context_->pb = io_.get();
  context_->flags |= AVFMT_FLAG_CUSTOM_IO;
}

std::vector<std::uint8_t> MemoryOutput::take_bytes() {
  ff::avio_flush(io_.get());
  return std::move(writer_->bytes);
}

std::vector<AudioTag> tags_of(const AVDictionary* dictionary) {
  std::vector<AudioTag> tags;
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = ff::av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX)) != nullptr)
    tags.push_back({entry->key, entry->value});
  return tags;
}

}  // namespace provmark::codecs
