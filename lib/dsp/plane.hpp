// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstddef>
#include <vector>

#include "dsp/scratch.hpp"

namespace provmark::dsp {

/// A float image plane, row-major, tightly packed.
struct Plane {
  int width = 0;
  int height = 0;
  std::vector<float, ScratchAllocator<float>> data;  // recycled per thread (dsp/scratch.hpp)

  Plane() = default;
  Plane(int w, int h) : width(w), height(h), data(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0.0f) {}
  /// Not zeroed: for planes the next step overwrites entirely. 64-byte aligned (an FFT may write into it).
  Plane(int w, int h, Uninitialized) : width(w), height(h), data(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}
  float& at(int x, int y) noexcept { return data[static_cast<std::size_t>(y) * width + x]; }
  [[nodiscard]] float at(int x, int y) const noexcept { return data[static_cast<std::size_t>(y) * width + x]; }
  float* row(int y) noexcept { return data.data() + static_cast<std::size_t>(y) * width; }
  [[nodiscard]] const float* row(int y) const noexcept { return data.data() + static_cast<std::size_t>(y) * width; }
};

}  // namespace provmark::dsp
