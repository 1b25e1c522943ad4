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
  /// Decoded audio samples (frames x channels, 4 bytes each as float): about 35 minutes of 48 kHz stereo.
  std::uint64_t max_audio_samples = 200'000'000;
};

}  // namespace provmark
