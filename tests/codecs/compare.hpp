// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small helpers shared by the codec tests.

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "provmark/image.hpp"

namespace provmark::test {

/// Peak signal-to-noise ratio in dB over all channels of two images of the same size and format.
inline double psnr(const ImageView& a, const ImageView& b) {
  if (a.width != b.width || a.height != b.height || a.format != b.format)
    throw std::invalid_argument("psnr: images differ in size or format");
  const int row_bytes = a.width * channels(a.format);
  double squared = 0;
  for (int y = 0; y < a.height; ++y)
    for (int i = 0; i < row_bytes; ++i) {
      const double d = double(a.row(y)[i]) - double(b.row(y)[i]);
      squared += d * d;
    }
  const double mse = squared / (double(row_bytes) * a.height);
  return mse == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(255.0 * 255.0 / mse);
}

/// Peak signal-to-noise ratio in dB of two 8-bit planes of `width` x `height` with the given strides.
inline double plane_psnr(const std::uint8_t* a, const std::uint8_t* b, int width, int height, int stride) {
  return psnr(ImageView{a, width, height, stride, PixelFormat::gray8},
              ImageView{b, width, height, stride, PixelFormat::gray8});
}

inline std::vector<std::uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

}  // namespace provmark::test
