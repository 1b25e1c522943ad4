// SPDX-License-Identifier: Apache-2.0
#include "dsp/audio_resample.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <memory>

#include "codecs/ffmpeg.hpp"
#include "core/fail.hpp"

namespace provmark::dsp {
namespace {

namespace ff = codecs::ff;

struct SwrDeleter {
  void operator()(SwrContext* context) const noexcept { ff::swr_free(&context); }
};

}  // namespace

std::vector<float> resample_mono(std::span<const float> samples, int from_rate, int to_rate) {
  if (from_rate < 1 || from_rate > 1'000'000 || to_rate < 1 || to_rate > 1'000'000)
    fail(Errc::invalid_argument, "resample: rates must be 1..1000000 Hz");
  const auto wanted = static_cast<std::size_t>(
      (static_cast<unsigned long long>(samples.size()) * static_cast<unsigned>(to_rate) + from_rate - 1) /
      static_cast<unsigned>(from_rate));
  if (from_rate == to_rate || samples.empty()) return {samples.begin(), samples.end()};

  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  SwrContext* raw = nullptr;
  int status =
      ff::swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, to_rate, &mono, AV_SAMPLE_FMT_FLT, from_rate, 0, nullptr);
  const std::unique_ptr<SwrContext, SwrDeleter> context(raw);
  if (status >= 0) status = ff::swr_init(raw);
  if (status < 0) codecs::fail_av(Errc::internal, "resample: cannot set up libswresample", status);

  std::vector<float> out;
  std::size_t produced = 0;
  // libswresample keeps the filter's latency back and returns it on the flush, so the output is time-aligned.
  const auto convert = [&](const float* in, int count) {
    const int capacity = ff::swr_get_out_samples(raw, count);
    if (capacity < 0) codecs::fail_av(Errc::internal, "resample: libswresample failed", capacity);
    out.resize(produced + static_cast<std::size_t>(capacity) + 1);
    auto* out_plane = reinterpret_cast<std::uint8_t*>(out.data() + produced);
    const auto* in_plane = reinterpret_cast<const std::uint8_t*>(in);
    const int done = ff::swr_convert(raw, &out_plane, capacity + 1, in != nullptr ? &in_plane : nullptr, count);
    if (done < 0) codecs::fail_av(Errc::internal, "resample: libswresample failed", done);
    produced += static_cast<std::size_t>(done);
    return done;
  };
  constexpr std::size_t chunk = 1 << 16;
  out.reserve(wanted + 1024);
  for (std::size_t start = 0; start < samples.size(); start += chunk)
    convert(samples.data() + start, static_cast<int>(std::min(chunk, samples.size() - start)));
  while (convert(nullptr, 0) > 0) {
  }
  out.resize(produced);
  out.resize(wanted, 0.0f);  // the flush may add a few samples past the end, or fall short by one
  return out;
}

}  // namespace provmark::dsp
