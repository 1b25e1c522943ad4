// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Non-owning image views over caller memory and an owning Image.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace provmark {

/// 8-bit interleaved pixel layouts.
enum class PixelFormat { gray8, rgb8, rgba8 };

/// Bytes per pixel of a format (1, 3 or 4).
[[nodiscard]] constexpr int channels(PixelFormat f) noexcept {
  return f == PixelFormat::gray8 ? 1 : f == PixelFormat::rgb8 ? 3 : 4;
}

/// Read-only view of caller memory. Rows may be padded: `stride` is the distance in bytes between
/// the starts of two rows (>= width * channels). Thread safety: a value type.
struct ImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;
  PixelFormat format = PixelFormat::rgb8;

  [[nodiscard]] const std::uint8_t* row(int y) const noexcept { return data + y * stride; }
};

/// Writable view of caller memory; converts to ImageView.
struct MutableImageView {
  std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t stride = 0;
  PixelFormat format = PixelFormat::rgb8;

  [[nodiscard]] std::uint8_t* row(int y) const noexcept { return data + y * stride; }
  operator ImageView() const noexcept { return {data, width, height, stride, format}; }  // NOLINT
};

/// Throws Error(invalid_argument) when a view is empty, has a null pointer or a stride too small.
void check_view(const ImageView& view);

/// An owning, tightly packed image.
class Image {
 public:
  Image() = default;
  /// A zero-filled image. @throws Error(invalid_argument) on non-positive sizes.
  Image(int width, int height, PixelFormat format);
  /// A packed copy of `view`.
  static Image copy_of(const ImageView& view);

  [[nodiscard]] int width() const noexcept { return width_; }
  [[nodiscard]] int height() const noexcept { return height_; }
  [[nodiscard]] PixelFormat format() const noexcept { return format_; }
  [[nodiscard]] std::ptrdiff_t stride() const noexcept { return std::ptrdiff_t{width_} * channels(format_); }
  [[nodiscard]] bool empty() const noexcept { return pixels_.empty(); }
  [[nodiscard]] ImageView view() const noexcept { return {pixels_.data(), width_, height_, stride(), format_}; }
  [[nodiscard]] MutableImageView mutable_view() noexcept {
    return {pixels_.data(), width_, height_, stride(), format_};
  }
  [[nodiscard]] std::uint8_t* data() noexcept { return pixels_.data(); }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return pixels_.data(); }

 private:
  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::rgb8;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace provmark
