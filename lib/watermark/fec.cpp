// SPDX-License-Identifier: Apache-2.0
// Hand-written rather than taken from a library: the pieces are small, must match spec/image-watermark-v1.md
// bit for bit, and the Viterbi decoder runs many times per detection (no allocation inside the trellis loop).
#include "watermark/fec.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "core/fail.hpp"

namespace provmark::wm {
namespace {

constexpr int max_constraint_length = 16;
constexpr std::size_t max_generators = 8;  // the outputs of one step fit in a byte

void check_code(const ConvCode& code) {
  if (code.constraint_length < 2 || code.constraint_length > max_constraint_length)
    fail(Errc::invalid_argument, "constraint length " + std::to_string(code.constraint_length) + " is not in 2..16");
  if (code.generators.empty() || code.generators.size() > max_generators)
    fail(Errc::invalid_argument, "a convolutional code needs 1 to 8 generators");
  for (const std::uint32_t g : code.generators)
    if (g >> code.constraint_length != 0)
      fail(Errc::invalid_argument, "generator " + std::to_string(g) + " has more taps than the register");
}

// Xor-folding rather than std::popcount: without -mpopcnt that is a library call, and the decoder builds a
// parity table on every call.
std::uint8_t parity(std::uint32_t x) {
  x ^= x >> 16;
  x ^= x >> 8;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return static_cast<std::uint8_t>(x & 1);
}

}  // namespace

std::uint32_t crc24(std::span<const std::uint8_t> bits) {
  std::uint32_t crc = 0xB704CE;
  for (const std::uint8_t bit : bits) {
    const bool feedback = ((crc >> 23) & 1u) != (bit != 0);
    crc = (crc << 1) & 0xFFFFFFu;
    if (feedback) crc ^= 0x864CFBu;
  }
  return crc;
}

const ConvCode& watermark_code() {
  static const ConvCode code{7, {0117, 0127, 0155, 0171}};
  return code;
}

std::vector<std::uint8_t> conv_encode(std::span<const std::uint8_t> info, const ConvCode& code) {
  check_code(code);
  const int k = code.constraint_length;
  const std::size_t steps = info.size() + static_cast<std::size_t>(k - 1);
  std::vector<std::uint8_t> out;
  out.reserve(steps * code.generators.size());
  std::uint32_t reg = 0;
  for (std::size_t t = 0; t < steps; ++t) {
    const std::uint32_t bit = t < info.size() && info[t] != 0 ? 1 : 0;
    reg = (bit << (k - 1)) | (reg >> 1);
    for (const std::uint32_t g : code.generators) out.push_back(parity(reg & g));
  }
  return out;
}

ViterbiResult viterbi_decode(std::span<const float> soft, const ConvCode& code, std::size_t info_bits) {
  check_code(code);
  const int k = code.constraint_length;
  const std::size_t outputs = code.generators.size();
  const std::size_t steps = info_bits + static_cast<std::size_t>(k - 1);
  if (info_bits > soft.size() || soft.size() != steps * outputs)
    fail(Errc::invalid_argument, std::to_string(soft.size()) + " soft values do not fit " +
                                     std::to_string(info_bits) + " info bits of this code");

  // State = the K-1 newest input bits, newest most significant. From state p, input bit b leads to state
  // (b << (K-2)) | (p >> 1) through register (b << (K-1)) | p, so states 2h and 2h+1 both lead to h (b = 0, registers
  // 2h and 2h+1) and to h + states/2 (b = 1, registers 2h + states and 2h+1 + states): one butterfly per h.
  const std::uint32_t states = 1u << (k - 1);
  const std::uint32_t half = states / 2;
  std::vector<std::uint8_t> pattern(2 * states);  // register -> output bits (bit j = generator j)
  for (std::uint32_t reg = 0; reg < 2 * states; ++reg)
    for (std::size_t j = 0; j < outputs; ++j)
      pattern[reg] |= static_cast<std::uint8_t>(parity(reg & code.generators[j]) << j);

  constexpr double unreachable = -std::numeric_limits<double>::infinity();
  std::vector<double> metric(states, unreachable), next(states);
  metric[0] = 0;
  std::vector<double> branch(std::size_t{1} << outputs);  // output bits -> correlation with this step's soft
  std::vector<std::uint8_t> decision(steps * states);     // x of the surviving predecessor

  for (std::size_t t = 0; t < steps; ++t) {
    const float* s = soft.data() + t * outputs;
    branch[0] = 0;
    for (std::size_t j = 0; j < outputs; ++j) branch[0] -= s[j];
    for (std::size_t p = 1; p < branch.size(); ++p) {
      const int low = std::countr_zero(p);
      branch[p] = branch[p & (p - 1)] + 2.0 * s[low];
    }
    std::uint8_t* d = decision.data() + t * states;
    for (std::uint32_t h = 0; h < half; ++h) {
      const double from0 = metric[2 * h], from1 = metric[2 * h + 1];
      const double low0 = from0 + branch[pattern[2 * h]];
      const double low1 = from1 + branch[pattern[2 * h + 1]];
      const double high0 = from0 + branch[pattern[2 * h + states]];
      const double high1 = from1 + branch[pattern[2 * h + 1 + states]];
      d[h] = low1 > low0;
      next[h] = low1 > low0 ? low1 : low0;
      d[h + half] = high1 > high0;
      next[h + half] = high1 > high0 ? high1 : high0;
    }
    metric.swap(next);
  }

  // Terminated: the tail leaves the encoder in state 0, so trace back from there.
  ViterbiResult result{std::vector<std::uint8_t>(info_bits), metric[0]};
  std::uint32_t state = 0;
  for (std::size_t t = steps; t-- > 0;) {
    if (t < info_bits) result.bits[t] = static_cast<std::uint8_t>(state >> (k - 2));
    state = ((state << 1) & (states - 1)) | decision[t * states + state];
  }
  return result;
}

double log10_binomial_tail(int n, int k) {
  if (n < 0) fail(Errc::invalid_argument, "binomial tail with n = " + std::to_string(n));
  if (k <= 0) return 0;
  if (k > n) return -std::numeric_limits<double>::infinity();
  // Up to the middle the tail is at least 1/2: take it as 1 - P(X <= k-1) = 1 - P(X >= n-k+1) (symmetry), so
  // that log10 values near 0 keep their relative accuracy.
  if (k <= n / 2) return std::log1p(-std::pow(10.0, log10_binomial_tail(n, n - k + 1))) / std::log(10.0);
  // Above the middle the terms shrink from C(n, k) on: sum them relative to it (every ratio <= 1, nothing
  // overflows however far into the tail k is). ln C(n, k) is a sum of logs rather than std::lgamma, which
  // writes the global signgam and so is not safe to call from several threads.
  const int r = n - k;  // C(n, k) = C(n, r) = prod_{j=1..r} (k+j) / j
  double log_first = 0;
  for (int j = 1; j <= r; ++j) log_first += std::log(static_cast<double>(k + j) / j);
  double sum = 1;
  double term = 1;
  for (int i = k; i < n && term > 0; ++i) {  // C(n, i+1) = C(n, i) * (n-i) / (i+1)
    term *= static_cast<double>(n - i) / (i + 1);
    sum += term;
  }
  return (log_first + std::log(sum) - n * std::log(2.0)) / std::log(10.0);
}

}  // namespace provmark::wm
