// SPDX-License-Identifier: Apache-2.0
#include "dsp/resample.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace provmark::dsp {
namespace {

// Area-resampling weights: output pixel i covers input [i*in/out, (i+1)*in/out).
struct Footprint {
  int first = 0;
  std::vector<float> weights;  // for inputs first, first+1, ...; they sum to 1
};

std::vector<Footprint> area_footprints(int in, int out) {
  std::vector<Footprint> result(static_cast<std::size_t>(out));
  const double step = static_cast<double>(in) / out;
  for (int i = 0; i < out; ++i) {
    const double a = i * step;
    const double b = std::min<double>(in, (i + 1) * step);
    auto& fp = result[static_cast<std::size_t>(i)];
    fp.first = static_cast<int>(std::floor(a));
    for (int x = fp.first; x < in && x < b; ++x) {
      const double cover = std::min<double>(b, x + 1) - std::max<double>(a, x);
      fp.weights.push_back(static_cast<float>(cover / (b - a)));
    }
  }
  return result;
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

Plane area_downsample_luma(const ImageView& image, int out_w, int out_h) {
  Plane out(out_w, out_h);
  const auto fx = area_footprints(image.width, out_w);
  const auto fy = area_footprints(image.height, out_h);
  std::vector<float> luma(static_cast<std::size_t>(image.width));
  std::vector<float> narrow(static_cast<std::size_t>(out_w));
  // Stream over input rows: each row is narrowed horizontally, then added to the (at most two)
  // output rows whose footprint covers it.
  std::vector<std::vector<std::pair<int, float>>> row_targets(static_cast<std::size_t>(image.height));
  for (int j = 0; j < out_h; ++j) {
    const auto& fp = fy[static_cast<std::size_t>(j)];
    for (std::size_t k = 0; k < fp.weights.size(); ++k)
      row_targets[static_cast<std::size_t>(fp.first) + k].emplace_back(j, fp.weights[k]);
  }
  for (int y = 0; y < image.height; ++y) {
    const auto& targets = row_targets[static_cast<std::size_t>(y)];
    if (targets.empty()) continue;
    luma_row(image, y, luma.data());
    for (int i = 0; i < out_w; ++i) {
      const auto& fp = fx[static_cast<std::size_t>(i)];
      const float* src = luma.data() + fp.first;
      float acc = 0;
      for (std::size_t k = 0; k < fp.weights.size(); ++k) acc += fp.weights[k] * src[k];
      narrow[static_cast<std::size_t>(i)] = acc;
    }
    for (const auto& [j, w] : targets) {
      float* dst = out.row(j);
      for (int i = 0; i < out_w; ++i) dst[i] += w * narrow[static_cast<std::size_t>(i)];
    }
  }
  return out;
}

void add_upsampled(const MutableImageView& image, const Plane& delta) {
  const auto tx = bilinear_taps(image.width, delta.width);
  const auto ty = bilinear_taps(image.height, delta.height);
  const int ch = channels(image.format);
  const int colour = image.format == PixelFormat::rgba8 ? 3 : ch;
  std::vector<float> narrow(static_cast<std::size_t>(delta.width) + 1);
  std::vector<float> wide(static_cast<std::size_t>(image.width));
  for (int y = 0; y < image.height; ++y) {
    // Interpolate vertically on the working grid, then horizontally to one full-resolution row.
    const Tap t = ty[static_cast<std::size_t>(y)];
    const float* r0 = delta.row(t.i0);
    const float* r1 = delta.row(std::min(t.i0 + 1, delta.height - 1));
    for (int i = 0; i < delta.width; ++i) narrow[static_cast<std::size_t>(i)] = r0[i] + t.w * (r1[i] - r0[i]);
    narrow[static_cast<std::size_t>(delta.width)] = narrow[static_cast<std::size_t>(delta.width) - 1];
    for (int x = 0; x < image.width; ++x) {
      const Tap s = tx[static_cast<std::size_t>(x)];
      const float a = narrow[static_cast<std::size_t>(s.i0)], b = narrow[static_cast<std::size_t>(s.i0) + 1];
      // + 256.5 keeps the sum positive, so truncation rounds to nearest without calling floor().
      wide[static_cast<std::size_t>(x)] = a + s.w * (b - a) + 256.5f;
    }
    std::uint8_t* p = image.row(y);
    if (ch == 1) {
      for (int x = 0; x < image.width; ++x) {
        const int v = static_cast<int>(static_cast<float>(p[x]) + wide[static_cast<std::size_t>(x)]) - 256;
        p[x] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      }
      continue;
    }
    for (int x = 0; x < image.width; ++x, p += ch)
      for (int c = 0; c < colour; ++c) {
        const int v = static_cast<int>(static_cast<float>(p[c]) + wide[static_cast<std::size_t>(x)]) - 256;
        p[c] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      }
  }
}

}  // namespace provmark::dsp
