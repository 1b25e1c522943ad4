// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sample-rate conversion of one channel for the audio watermark, which works at a fixed 8 kHz whatever the
// content's rate (spec/audio-watermark-v2.md#working-signal).

#include <span>
#include <vector>

namespace provmark::dsp {

/// `samples` at `from_rate`, resampled to `to_rate` by libswresample (its default windowed-sinc filter), time
/// aligned (output sample i is at time i / to_rate) and ceil(n * to_rate / from_rate) samples long.
/// @throws Error(invalid_argument) for rates outside 1..10^6, Error(internal) when libswresample fails.
[[nodiscard]] std::vector<float> resample_mono(std::span<const float> samples, int from_rate, int to_rate);

}  // namespace provmark::dsp
