// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <span>

#include "provmark/image.hpp"
#include "provmark/limits.hpp"

namespace provmark::wm {

/// The pixels detect_encoded() looks at: JPEG luma at the smallest scale that still fills the working frame,
/// PNG as decoded. Decode once, then detect() with as many keys as needed.
[[nodiscard]] Image decode_for_detection(std::span<const std::uint8_t> bytes, const Limits& limits);

}  // namespace provmark::wm
