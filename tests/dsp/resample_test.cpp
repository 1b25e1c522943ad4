// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "dsp/resample.hpp"
#include "provmark/image.hpp"

using provmark::Image;
using provmark::PixelFormat;

namespace {

Image pseudo_random_image(int width, int height, PixelFormat format) {
  Image image(width, height, format);
  std::uint32_t state = 7;
  const std::size_t bytes = static_cast<std::size_t>(image.view().stride) * static_cast<std::size_t>(height);
  for (std::size_t i = 0; i < bytes; ++i) {
    state = state * 1664525u + 1013904223u;
    image.data()[i] = static_cast<std::uint8_t>(state >> 24);
  }
  return image;
}

// The definition: output pixel (i, j) is the mean of the input over [i w / out_w, (i + 1) w / out_w) x the same
// for rows, each input pixel weighted by the area of it inside.
double area_mean(const Image& image, int out_w, int out_h, int i, int j) {
  const double x0 = static_cast<double>(i) * image.width() / out_w,
               x1 = static_cast<double>(i + 1) * image.width() / out_w;
  const double y0 = static_cast<double>(j) * image.height() / out_h,
               y1 = static_cast<double>(j + 1) * image.height() / out_h;
  double sum = 0;
  for (int y = static_cast<int>(y0); y < image.height() && y < y1; ++y)
    for (int x = static_cast<int>(x0); x < image.width() && x < x1; ++x) {
      const double cover = (std::min<double>(x1, x + 1) - std::max<double>(x0, x)) *
                           (std::min<double>(y1, y + 1) - std::max<double>(y0, y));
      const std::uint8_t* p =
          image.view().row(y) + static_cast<std::size_t>(x) * (image.format() == PixelFormat::gray8 ? 1 : 3);
      const double luma =
          image.format() == PixelFormat::gray8 ? p[0] : (77.0 * p[0] + 150.0 * p[1] + 29.0 * p[2]) / 256.0;
      sum += cover * luma;
    }
  return sum / ((x1 - x0) * (y1 - y0));
}

}  // namespace

TEST_CASE("area_downsample_luma gives each output pixel the mean luma of the area it covers") {
  struct Case {
    int width, height, out_w, out_h;
    PixelFormat format;
  };
  // Ratios of 1.19 (a 1 MP photo's 3/4-scale decode), 3 and 7.1 (a footprint of 9 taps), grey and colour; more
  // than 8 output rows and not a multiple of 8, so that both the 8-row and the single-row passes are checked.
  for (const Case c : {Case{917, 61, 768, 51, PixelFormat::gray8}, Case{99, 30, 33, 10, PixelFormat::rgb8},
                       Case{71, 100, 10, 14, PixelFormat::gray8}}) {
    const int width = c.width, height = c.height;  // plain variables: clang 14 cannot capture bindings
    CAPTURE(width);
    CAPTURE(height);
    const Image image = pseudo_random_image(c.width, c.height, c.format);
    const provmark::dsp::Plane out = provmark::dsp::area_downsample_luma(image.view(), c.out_w, c.out_h);
    REQUIRE(out.width == c.out_w);
    REQUIRE(out.height == c.out_h);
    int wrong = 0;
    for (int j = 0; j < c.out_h; ++j)
      for (int i = 0; i < c.out_w; ++i)
        wrong += out.at(i, j) != doctest::Approx(area_mean(image, c.out_w, c.out_h, i, j)).epsilon(1e-5);
    CHECK(wrong == 0);
  }
}

TEST_CASE("area_downsample_luma gives the same bits for rows resampled eight at a time and one at a time") {
  // Equal input rows, twice as many as output rows: every output row is the same arithmetic on the same values.
  // Rows 0-7 go through the eight-row pass, row 8 through the single-row one; they must agree to the bit.
  for (const int width : {917, 1000, 5000}) {
    CAPTURE(width);
    Image image = pseudo_random_image(width, 18, PixelFormat::gray8);
    for (int y = 1; y < 18; ++y)
      std::copy_n(image.view().row(0), width, image.data() + static_cast<std::size_t>(y) * image.view().stride);
    const provmark::dsp::Plane out = provmark::dsp::area_downsample_luma(image.view(), 700, 9);
    int differing = 0;
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < out.width; ++x) differing += out.at(x, y) != out.at(x, 8);
    CHECK(differing == 0);
  }
}
