// SPDX-License-Identifier: Apache-2.0
#pragma once
// Moving between full resolution and the watermark's working resolution
// (spec/image-watermark-v1.md#working-frame).

#include <cstdint>

#include "dsp/plane.hpp"
#include "provmark/image.hpp"

namespace provmark::dsp {

/// Size of the working frame for a width x height image: scaled so that the shorter side is at
/// most `max_short_side`, never enlarged.
struct FrameSize {
  int width;
  int height;
};
[[nodiscard]] FrameSize working_frame_size(int width, int height, int max_short_side) noexcept;

/// Luma (BT.601: (77 R + 150 G + 29 B) / 256) of `image`, area-averaged down to out_w x out_h
/// (each output pixel is the exact mean of the input area it covers).
[[nodiscard]] Plane area_downsample_luma(const ImageView& image, int out_w, int out_h);

/// Adds `delta` (given on the working grid) to every colour channel of `image`, bilinearly
/// interpolated to full resolution with pixel centres aligned, rounding and clamping to 0..255.
/// Alpha is left alone.
void add_upsampled(const MutableImageView& image, const Plane& delta);

}  // namespace provmark::dsp
