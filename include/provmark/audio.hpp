// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Non-owning views over caller PCM and an owning Audio buffer: interleaved 32-bit float samples,
/// nominally in [-1, 1] (generators hand their output over as it is, without a file).

#include <cstddef>
#include <vector>

namespace provmark {

/// Read-only view of interleaved float PCM: `frames` frames of `channels` samples each.
/// Thread safety: a value type.
struct AudioView {
  const float* samples = nullptr;
  std::size_t frames = 0;
  int channels = 0;
  int sample_rate = 0;

  [[nodiscard]] std::size_t sample_count() const noexcept { return frames * static_cast<std::size_t>(channels); }
  [[nodiscard]] double duration_seconds() const noexcept {
    return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0;
  }
};

/// Writable view of interleaved float PCM; converts to AudioView.
struct MutableAudioView {
  float* samples = nullptr;
  std::size_t frames = 0;
  int channels = 0;
  int sample_rate = 0;

  [[nodiscard]] std::size_t sample_count() const noexcept { return frames * static_cast<std::size_t>(channels); }
  operator AudioView() const noexcept { return {samples, frames, channels, sample_rate}; }  // NOLINT
};

/// Throws Error(invalid_argument) when a view has no frames, a null pointer, channels outside 1..16 or a
/// sample rate outside 8000..384000.
void check_view(const AudioView& view);

/// An owning buffer of interleaved float PCM.
class Audio {
 public:
  Audio() = default;
  /// Silence. @throws Error(invalid_argument) on bad channels or sample rate.
  Audio(std::size_t frames, int channels, int sample_rate);
  /// A copy of `view`.
  static Audio copy_of(const AudioView& view);

  [[nodiscard]] std::size_t frames() const noexcept { return channels_ > 0 ? samples_.size() / channels_ : 0; }
  [[nodiscard]] int channels() const noexcept { return channels_; }
  [[nodiscard]] int sample_rate() const noexcept { return sample_rate_; }
  [[nodiscard]] bool empty() const noexcept { return samples_.empty(); }
  [[nodiscard]] AudioView view() const noexcept { return {samples_.data(), frames(), channels_, sample_rate_}; }
  [[nodiscard]] MutableAudioView mutable_view() noexcept {
    return {samples_.data(), frames(), channels_, sample_rate_};
  }
  [[nodiscard]] std::vector<float>& samples() noexcept { return samples_; }
  [[nodiscard]] const std::vector<float>& samples() const noexcept { return samples_; }

 private:
  int channels_ = 0;
  int sample_rate_ = 0;
  std::vector<float> samples_;
};

}  // namespace provmark
