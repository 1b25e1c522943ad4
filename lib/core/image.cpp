// SPDX-License-Identifier: Apache-2.0
#include "provmark/image.hpp"

#include <cstring>
#include <string>

#include "core/fail.hpp"

namespace provmark {

void check_view(const ImageView& view) {
  if (view.data == nullptr) fail(Errc::invalid_argument, "image view has no data");
  if (view.width <= 0 || view.height <= 0)
    fail(Errc::invalid_argument,
         "image view has size " + std::to_string(view.width) + "x" + std::to_string(view.height));
  if (view.stride < std::ptrdiff_t{view.width} * channels(view.format))
    fail(Errc::invalid_argument, "image view stride " + std::to_string(view.stride) + " is smaller than a row");
}

Image::Image(int width, int height, PixelFormat format) : width_(width), height_(height), format_(format) {
  if (width <= 0 || height <= 0)
    fail(Errc::invalid_argument, "image size " + std::to_string(width) + "x" + std::to_string(height));
  pixels_.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * channels(format), 0);
}

Image Image::copy_of(const ImageView& view) {
  check_view(view);
  Image out(view.width, view.height, view.format);
  const auto row_bytes = static_cast<std::size_t>(out.stride());
  for (int y = 0; y < view.height; ++y) std::memcpy(out.pixels_.data() + y * row_bytes, view.row(y), row_bytes);
  return out;
}

}  // namespace provmark
