// SPDX-License-Identifier: Apache-2.0
#include "support/checks.hpp"

#include <cmath>

namespace provmark::test {

Errc error_code_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.code();
  }
  return Errc::ok;
}

double psnr(const Image& a, const Image& b) {
  double se = 0;
  const std::size_t n = static_cast<std::size_t>(a.width()) * a.height() * channels(a.format());
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a.data()[i]) - b.data()[i];
    se += d * d;
  }
  return 10 * std::log10(255.0 * 255.0 / (se / static_cast<double>(n) + 1e-12));
}

}  // namespace provmark::test
