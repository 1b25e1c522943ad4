// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Limits applied to untrusted input before any large allocation.

#include <cstddef>
#include <cstdint>

namespace provmark {

struct Limits {
  std::uint64_t max_pixels = 150'000'000;         ///< width * height of a decoded image
  std::size_t max_file_bytes = std::size_t{1} << 30;  ///< bytes read from one file
};

}  // namespace provmark
