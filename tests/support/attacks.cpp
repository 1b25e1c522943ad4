// SPDX-License-Identifier: Apache-2.0
#include "support/attacks.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

#include "provmark/codec.hpp"

namespace provmark::test {
namespace {

std::uint8_t clamp_u8(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

// Bilinear sample of channel c at (x, y); outside the image the value is `outside`.
double sample(const Image& in, double x, double y, int c, double outside) {
  const int ch = channels(in.format());
  const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
  const double fx = x - x0, fy = y - y0;
  auto px = [&](int xi, int yi) -> double {
    if (xi < 0 || yi < 0 || xi >= in.width() || yi >= in.height()) return outside;
    return in.data()[(static_cast<std::size_t>(yi) * in.width() + xi) * ch + c];
  };
  return (1 - fy) * ((1 - fx) * px(x0, y0) + fx * px(x0 + 1, y0)) + fy * ((1 - fx) * px(x0, y0 + 1) + fx * px(x0 + 1, y0 + 1));
}

}  // namespace

Image jpeg_roundtrip(const Image& in, int quality) {
  return decode_image(encode_jpeg(in.view(), {.quality = quality, .chroma_subsampling = true}));
}

Image resize(const Image& in, int new_w, int new_h) {
  const int ch = channels(in.format());
  // Shrinking: average over the footprint first (a box prefilter), as real resizers do.
  const double sx = static_cast<double>(in.width()) / new_w, sy = static_cast<double>(in.height()) / new_h;
  const int kx = std::max(1, static_cast<int>(std::floor(sx))), ky = std::max(1, static_cast<int>(std::floor(sy)));
  Image out(new_w, new_h, in.format());
  for (int y = 0; y < new_h; ++y)
    for (int x = 0; x < new_w; ++x)
      for (int c = 0; c < ch; ++c) {
        double acc = 0;
        for (int j = 0; j < ky; ++j)
          for (int i = 0; i < kx; ++i) {
            const double px = (x + 0.5) * sx - 0.5 + (i - (kx - 1) * 0.5);
            const double py = (y + 0.5) * sy - 0.5 + (j - (ky - 1) * 0.5);
            acc += sample(in, std::clamp(px, 0.0, in.width() - 1.0), std::clamp(py, 0.0, in.height() - 1.0), c, 0);
          }
        out.data()[(static_cast<std::size_t>(y) * new_w + x) * ch + c] = clamp_u8(acc / (kx * ky));
      }
  return out;
}

Image crop(const Image& in, int x0, int y0, int w, int h) {
  const int ch = channels(in.format());
  Image out(w, h, in.format());
  for (int y = 0; y < h; ++y)
    std::memcpy(out.data() + static_cast<std::size_t>(y) * w * ch,
                in.data() + (static_cast<std::size_t>(y0 + y) * in.width() + x0) * ch, static_cast<std::size_t>(w) * ch);
  return out;
}

Image rotate(const Image& in, double degrees) {
  const double t = degrees * std::numbers::pi / 180.0, c = std::cos(t), s = std::sin(t);
  const int w = static_cast<int>(std::ceil(std::abs(in.width() * c) + std::abs(in.height() * s)));
  const int h = static_cast<int>(std::ceil(std::abs(in.width() * s) + std::abs(in.height() * c)));
  const int ch = channels(in.format());
  Image out(w, h, in.format());
  const double cx = 0.5 * (in.width() - 1), cy = 0.5 * (in.height() - 1), ox = 0.5 * (w - 1), oy = 0.5 * (h - 1);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      // inverse rotation (image y axis points down: counter-clockwise on screen)
      const double dx = x - ox, dy = y - oy;
      const double sxp = c * dx - s * dy + cx, syp = s * dx + c * dy + cy;
      for (int k = 0; k < ch; ++k) out.data()[(static_cast<std::size_t>(y) * w + x) * ch + k] = clamp_u8(sample(in, sxp, syp, k, 0));
    }
  return out;
}

Image add_gaussian_noise(const Image& in, double sigma, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  Image out = Image::copy_of(in.view());
  const std::size_t n = static_cast<std::size_t>(out.width()) * out.height() * channels(out.format());
  for (std::size_t i = 0; i < n; ++i) out.data()[i] = clamp_u8(out.data()[i] + noise(rng));
  return out;
}

Image mirror(const Image& in) {
  const int ch = channels(in.format());
  Image out(in.width(), in.height(), in.format());
  for (int y = 0; y < in.height(); ++y)
    for (int x = 0; x < in.width(); ++x)
      std::memcpy(out.data() + (static_cast<std::size_t>(y) * in.width() + x) * ch,
                  in.data() + (static_cast<std::size_t>(y) * in.width() + (in.width() - 1 - x)) * ch,
                  static_cast<std::size_t>(ch));
  return out;
}

}  // namespace provmark::test
