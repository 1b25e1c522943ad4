// SPDX-License-Identifier: Apache-2.0
#pragma once
// Attacks applied inside the tests: what happens to an image between export and upload.
#include <cstdint>

#include "provmark/image.hpp"

namespace provmark::test {

/// TurboJPEG encode at `quality` (4:2:0) and decode again.
Image jpeg_roundtrip(const Image& in, int quality);
/// Bilinear resampling (area-averaged when shrinking) to new_w x new_h.
Image resize(const Image& in, int new_w, int new_h);
Image crop(const Image& in, int x0, int y0, int w, int h);
/// Rotation by `degrees` counter-clockwise about the centre, bilinear; the canvas grows to hold
/// the whole image and the corners are black.
Image rotate(const Image& in, double degrees);
Image add_gaussian_noise(const Image& in, double sigma, std::uint64_t seed);
Image mirror(const Image& in);

}  // namespace provmark::test
