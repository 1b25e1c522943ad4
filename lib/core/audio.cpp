// SPDX-License-Identifier: Apache-2.0
#include "provmark/audio.hpp"

#include <string>

#include "core/fail.hpp"

namespace provmark {
namespace {

void check_format(int channels, int sample_rate) {
  if (channels < 1 || channels > 16) fail(Errc::invalid_argument, "audio has " + std::to_string(channels) + " channels");
  if (sample_rate < 8000 || sample_rate > 384000)
    fail(Errc::invalid_argument, "audio sample rate " + std::to_string(sample_rate) + " Hz is outside 8000..384000");
}

}  // namespace

void check_view(const AudioView& view) {
  if (view.samples == nullptr) fail(Errc::invalid_argument, "audio view has no samples");
  if (view.frames == 0) fail(Errc::invalid_argument, "audio view has no frames");
  check_format(view.channels, view.sample_rate);
}

Audio::Audio(std::size_t frames, int channels, int sample_rate) : channels_(channels), sample_rate_(sample_rate) {
  check_format(channels, sample_rate);
  samples_.assign(frames * static_cast<std::size_t>(channels), 0.0f);
}

Audio Audio::copy_of(const AudioView& view) {
  check_view(view);
  Audio out;
  out.channels_ = view.channels;
  out.sample_rate_ = view.sample_rate;
  out.samples_.assign(view.samples, view.samples + view.sample_count());
  return out;
}

}  // namespace provmark
