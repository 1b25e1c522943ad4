// SPDX-License-Identifier: Apache-2.0
#include "dsp/resample.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "dsp/clones.hpp"
#include "dsp/vectors.hpp"

namespace provmark::dsp {
namespace {

// Area-resampling weights: output pixel i covers input [i*in/out, (i+1)*in/out). Every footprint gets the
// same number of taps (the widest one's; shorter ones padded with zero weights), so the inner loops have a
// fixed trip count instead of a vector per pixel to walk (downsampling took up to a fifth of a labelled verify).
struct Footprints {
  int taps = 0;
  std::vector<int> first;      // first input of output i
  std::vector<float> weights;  // taps per output; a footprint's weights sum to 1
};

Footprints area_footprints(int in, int out) {
  Footprints f;
  const double step = static_cast<double>(in) / out;
  f.taps = static_cast<int>(std::ceil(step)) + 1;
  f.first.resize(static_cast<std::size_t>(out));
  f.weights.assign(static_cast<std::size_t>(out) * static_cast<std::size_t>(f.taps), 0.0f);
  for (int i = 0; i < out; ++i) {
    const double a = i * step;
    const double b = std::min<double>(in, (i + 1) * step);
    const int first = static_cast<int>(std::floor(a));
    f.first[static_cast<std::size_t>(i)] = first;
    float* w = &f.weights[static_cast<std::size_t>(i) * static_cast<std::size_t>(f.taps)];
    for (int x = first; x < in && x < b; ++x) {
      const double cover = std::min<double>(b, x + 1) - std::max<double>(a, x);
      w[x - first] = static_cast<float>(cover / (b - a));
    }
  }
  return f;
}

void luma_row(const ImageView& image, int y, float* out) {
  const std::uint8_t* p = image.row(y);
  switch (image.format) {
    case PixelFormat::gray8:
      for (int x = 0; x < image.width; ++x) out[x] = p[x];
      break;
    case PixelFormat::rgb8:
      for (int x = 0; x < image.width; ++x, p += 3)
        out[x] = static_cast<float>(77 * p[0] + 150 * p[1] + 29 * p[2]) * (1.0f / 256.0f);
      break;
    case PixelFormat::rgba8:
      for (int x = 0; x < image.width; ++x, p += 4)
        out[x] = static_cast<float>(77 * p[0] + 150 * p[1] + 29 * p[2]) * (1.0f / 256.0f);
      break;
  }
}

// Bilinear sampling positions of full-resolution pixel centres on the working grid.
struct Tap {
  int i0;
  float w;  // weight of i0 + 1
};

std::vector<Tap> bilinear_taps(int full, int work) {
  std::vector<Tap> taps(static_cast<std::size_t>(full));
  const double scale = static_cast<double>(work) / full;
  for (int x = 0; x < full; ++x) {
    double q = (x + 0.5) * scale - 0.5;
    q = std::clamp(q, 0.0, static_cast<double>(work - 1));
    int i0 = std::min(static_cast<int>(q), std::max(work - 2, 0));
    taps[static_cast<std::size_t>(x)] = {i0, work > 1 ? static_cast<float>(q - i0) : 0.0f};
  }
  return taps;
}

}  // namespace

FrameSize working_frame_size(int width, int height, int max_short_side) noexcept {
  const int short_side = std::min(width, height);
  if (short_side <= max_short_side) return {width, height};
  const double s = static_cast<double>(max_short_side) / short_side;
  return {std::max(1, static_cast<int>(std::lround(width * s))), std::max(1, static_cast<int>(std::lround(height * s)))};
}

PROVMARK_HOT_LOOP Plane area_downsample_luma(const ImageView& image, int out_w, int out_h) {
  Plane out(out_w, out_h, Uninitialized{});
  const Footprints fx = area_footprints(image.width, out_w);
  const Footprints fy = area_footprints(image.height, out_h);
  const auto width = static_cast<std::size_t>(image.width);
  const auto taps_x = static_cast<std::size_t>(fx.taps);
  const std::size_t padded = width + taps_x;  // zero padding: the last footprints' zero-weight taps
  std::vector<float> luma(width);
  std::vector<float> column_sums(8 * padded, 0.0f);
  // Vertical first: each output row is a weighted sum of whole input rows (one vectorisable pass
  // per input row and output row it touches), then its footprints are summed horizontally.
  auto vertical = [&](int j, float* column_sum) {
    std::fill(column_sum, column_sum + width, 0.0f);
    for (int k = 0; k < fy.taps; ++k) {
      const float w = fy.weights[static_cast<std::size_t>(j) * static_cast<std::size_t>(fy.taps) + static_cast<std::size_t>(k)];
      const int y = fy.first[static_cast<std::size_t>(j)] + k;
      if (w == 0.0f) continue;  // padding (and the rows past the last footprint's end)
      if (image.format == PixelFormat::gray8) {
        const std::uint8_t* p = image.row(y);
        for (std::size_t x = 0; x < width; ++x) column_sum[x] += w * static_cast<float>(p[x]);
      } else {
        luma_row(image, y, luma.data());
        for (std::size_t x = 0; x < width; ++x) column_sum[x] += w * luma[x];
      }
    }
  };
  // Horizontally, 8 output rows at a time through a strip of columns (dsp/vectors.hpp): one vector operation per
  // tap for all 8 rows, the same sums in the same order as one row at a time. A footprint's taps start at a
  // different input for each output, which no loop along a row vectorises: this pass took ~85% of the resampling.
  std::vector<float> strip(8 * padded), result(8 * static_cast<std::size_t>(out_w));
  auto horizontal8 = [&](int j0, auto taps) {  // taps as a compile-time constant where it is common
    to_strip([&](int r) { return column_sums.data() + static_cast<std::size_t>(r) * padded; }, static_cast<int>(padded),
             strip.data());
    for (int i = 0; i < out_w; ++i) {
      const float* src = strip.data() + 8 * static_cast<std::size_t>(fx.first[static_cast<std::size_t>(i)]);
      const float* w = &fx.weights[static_cast<std::size_t>(i) * taps_x];
      weighted_sum8(result.data() + 8 * static_cast<std::size_t>(i), w, src, taps);
    }
    from_strip(result.data(), out_w, [&](int r) { return out.row(j0 + r); });
  };
  auto horizontal = [&](int j, auto taps) {
    float* dst = out.row(j);
    for (int i = 0; i < out_w; ++i) {
      const float* src = column_sums.data() + fx.first[static_cast<std::size_t>(i)];
      const float* w = &fx.weights[static_cast<std::size_t>(i) * taps_x];
      float acc = 0;
      for (std::size_t k = 0; k < static_cast<std::size_t>(taps); ++k) acc += w[k] * src[k];
      dst[i] = acc;
    }
  };
  auto with_taps = [&](auto pass) {
    switch (fx.taps) {
      case 2:
        pass(std::integral_constant<int, 2>{});
        break;
      case 3:
        pass(std::integral_constant<int, 3>{});
        break;
      case 4:
        pass(std::integral_constant<int, 4>{});
        break;
      default:
        pass(fx.taps);
        break;
    }
  };
  int j = 0;
  for (; j + 8 <= out_h; j += 8) {
    for (int r = 0; r < 8; ++r) vertical(j + r, column_sums.data() + static_cast<std::size_t>(r) * padded);
    with_taps([&](auto taps) { horizontal8(j, taps); });
  }
  for (; j < out_h; ++j) {
    vertical(j, column_sums.data());
    with_taps([&](auto taps) { horizontal(j, taps); });
  }
  return out;
}

void add_upsampled(const MutableImageView& image, const Plane& delta) {
  const auto tx = bilinear_taps(image.width, delta.width);
  const auto ty = bilinear_taps(image.height, delta.height);
  const int ch = channels(image.format);
  const int colour = image.format == PixelFormat::rgba8 ? 3 : ch;
  const auto width = static_cast<std::size_t>(image.width);
  // Working rows widened to full width, each computed once and kept while output rows need it
  // (two at a time: output rows move monotonically down the working grid).
  std::vector<float> upper(width), lower(width), wide(width);
  int upper_row = -1, lower_row = -1;
  auto widen = [&](int row, std::vector<float>& out) {
    const float* r = delta.row(row);
    const int last = delta.width - 1;
    for (std::size_t x = 0; x < width; ++x) {
      const Tap s = tx[x];
      const float a = r[s.i0], b = r[std::min(s.i0 + 1, last)];
      // + 256.5 keeps the sum positive, so truncation rounds to nearest without calling floor().
      out[x] = a + s.w * (b - a) + 256.5f;
    }
  };
  for (int y = 0; y < image.height; ++y) {
    const Tap t = ty[static_cast<std::size_t>(y)];
    const int r1 = std::min(t.i0 + 1, delta.height - 1);
    if (upper_row != t.i0) {
      if (lower_row == t.i0) {
        std::swap(upper, lower);
      } else {
        widen(t.i0, upper);
      }
      upper_row = t.i0;
      lower_row = -1;
    }
    if (lower_row != r1) {
      widen(r1, lower);
      lower_row = r1;
    }
    std::uint8_t* p = image.row(y);
    if (ch == 1) {  // the JPEG (Y plane) and gray path, in one vectorisable pass
      for (std::size_t x = 0; x < width; ++x) {
        const float d = upper[x] + t.w * (lower[x] - upper[x]);
        const int v = static_cast<int>(static_cast<float>(p[x]) + d) - 256;
        p[x] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      }
      continue;
    }
    for (std::size_t x = 0; x < width; ++x) wide[x] = upper[x] + t.w * (lower[x] - upper[x]);
    for (std::size_t x = 0; x < width; ++x, p += ch)
      for (int c = 0; c < colour; ++c) {
        const int v = static_cast<int>(static_cast<float>(p[c]) + wide[x]) - 256;
        p[c] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      }
  }
}

}  // namespace provmark::dsp
