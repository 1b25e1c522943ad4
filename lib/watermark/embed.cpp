// SPDX-License-Identifier: Apache-2.0
// Embedding (spec/image-watermark-v1.md#embedding): the image's luma is area-averaged to the
// working frame, a keyed tile carrying the coded payload is repeated over it, weighted by a
// perceptual mask, and the result is interpolated back to full size and added to R, G and B alike.
#include "watermark/embed.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/fail.hpp"
#include "dsp/filter.hpp"
#include "dsp/resample.hpp"
#include "watermark/layout.hpp"

namespace provmark::wm {

dsp::Plane perceptual_mask(const dsp::Plane& luma) {
  // Activity = local mean of |luma - its 3x3 mean|, in luma levels: large in texture, where a
  // change hides, near zero in flat sky, where it would show (and where SSIM is most sensitive).
  // The gain is absolute, not relative to the image's own average: a mostly flat picture gets a
  // weaker mark, which its quiet host lets the detector find all the same.
  const dsp::Plane smooth = dsp::box_blur(luma, 1);
  dsp::Plane detail(luma.width, luma.height);
  for (std::size_t i = 0; i < luma.data.size(); ++i) detail.data[i] = std::abs(luma.data[i] - smooth.data[i]);
  dsp::Plane mask = dsp::box_blur(detail, 3);
  for (float& m : mask.data)
    m = std::clamp(std::sqrt((m + mask_floor_levels) / (mask_reference_levels + mask_floor_levels)), mask_min, mask_max);
  return mask;
}

dsp::Plane watermark_delta(const dsp::Plane& luma, const Payload& payload, const WatermarkKey& key, float strength) {
  const Layout layout = make_layout(key);
  const dsp::Plane tile = make_tile(layout, encode_payload(payload));
  dsp::Plane delta = perceptual_mask(luma);
  const float amplitude = base_amplitude * strength;
  for (int y = 0; y < delta.height; ++y) {
    float* d = delta.row(y);
    const float* t = tile.row(y % tile_size);
    for (int x0 = 0; x0 < delta.width; x0 += tile_size) {  // tile by tile: no modulo per pixel
      const int n = std::min(tile_size, delta.width - x0);
      for (int x = 0; x < n; ++x) d[x0 + x] *= amplitude * t[x];
    }
  }
  return delta;
}

}  // namespace provmark::wm

namespace provmark {

void embed_into(const MutableImageView& image, const Payload& payload, const WatermarkKey& key,
                const EmbedOptions& options) {
  check_view(image);
  if (image.width < 64 || image.height < 64)
    fail(Errc::invalid_argument, "image is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                                     "; the watermark needs at least 64x64 pixels");
  if (!(options.strength > 0.0f && options.strength <= 4.0f))
    fail(Errc::invalid_argument, "strength must be in (0, 4]");
  const auto frame = dsp::working_frame_size(image.width, image.height, wm::working_short_side);
  const dsp::Plane luma = dsp::area_downsample_luma(image, frame.width, frame.height);
  dsp::add_upsampled(image, wm::watermark_delta(luma, payload, key, options.strength));
}

Image embed(const ImageView& image, const Payload& payload, const WatermarkKey& key, const EmbedOptions& options) {
  Image out = Image::copy_of(image);
  embed_into(out.mutable_view(), payload, key, options);
  return out;
}

}  // namespace provmark
