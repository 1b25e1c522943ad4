// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <functional>

#include "provmark/error.hpp"
#include "provmark/image.hpp"

namespace provmark::test {

/// The Errc a call throws, or Errc::ok when it returns.
Errc error_code_of(const std::function<void()>& call);

/// PSNR over all channels, as the bench computes it.
double psnr(const Image& a, const Image& b);

}  // namespace provmark::test
