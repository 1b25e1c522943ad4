// SPDX-License-Identifier: Apache-2.0
#pragma once
// Eight rows at a time: filters that run along rows (a running sum, a resampling) are chains of scalar operations
// per row; transposed into a strip of columns (strip[8 x + j] = pixel x of row j), one vector operation does a
// step for all eight rows, in the same order of rounding as row by row. GCC/Clang vector types: 8-float vectors
// in the AVX2 clones (dsp/clones.hpp), pairs of SSE2 registers otherwise. The helpers return vectors by value (by
// reference, GCC keeps a block on the stack: the blur took 1.7x as long) and are always inlined, so no vector
// crosses a call: GCC's and Clang's warning that a 32-byte vector has another ABI without AVX does not apply here.
#include <array>
#include <cstddef>
#include <cstring>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace provmark::dsp {

using v8f = float __attribute__((vector_size(32)));
using v4f = float __attribute__((vector_size(16)));
using v4d = double __attribute__((vector_size(32)));

[[gnu::always_inline]] inline v8f load8(const float* p) {
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

[[gnu::always_inline]] inline void store8(float* p, v8f v) { std::memcpy(p, &v, sizeof v); }

/// dst[j] = sum over k < taps of w[k] * src[8 k + j], for j < 8, each sum from 0 in the order of k.
template <typename Taps>
[[gnu::always_inline]] inline void weighted_sum8(float* dst, const float* w, const float* src, Taps taps) {
  v8f acc{};
  for (std::size_t k = 0; k < static_cast<std::size_t>(taps); ++k) acc += w[k] * load8(src + 8 * k);
  store8(dst, acc);
}

// r[k] becomes column k of the 8 x 8 block (unpack, shuffle, then swap 128-bit halves: 24 shuffles).
[[gnu::always_inline]] inline void transpose8(std::array<v8f, 8>& r) {
  std::array<v8f, 8> t, s;
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4) {
    s[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    s[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    s[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    s[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = __builtin_shufflevector(s[i], s[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    r[i + 4] = __builtin_shufflevector(s[i], s[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

/// strip[8 x + j] = rows_of(j)[x] for x < n: whole 8 x 8 blocks transposed, the rest one by one.
template <typename Row>
[[gnu::always_inline]] inline void to_strip(Row rows_of, int n, float* strip) {
  int x = 0;
  for (; x + 8 <= n; x += 8) {
    std::array<v8f, 8> block;
    for (int j = 0; j < 8; ++j) block[static_cast<std::size_t>(j)] = load8(rows_of(j) + x);
    transpose8(block);
    for (int k = 0; k < 8; ++k) store8(strip + 8 * (x + k), block[static_cast<std::size_t>(k)]);
  }
  for (; x < n; ++x)
    for (int j = 0; j < 8; ++j) strip[8 * x + j] = rows_of(j)[x];
}

/// rows_of(j)[x] = strip[8 x + j] for x < n.
template <typename Row>
[[gnu::always_inline]] inline void from_strip(const float* strip, int n, Row rows_of) {
  int x = 0;
  for (; x + 8 <= n; x += 8) {
    std::array<v8f, 8> block;
    for (int k = 0; k < 8; ++k) block[static_cast<std::size_t>(k)] = load8(strip + 8 * (x + k));
    transpose8(block);
    for (int j = 0; j < 8; ++j) store8(rows_of(j) + x, block[static_cast<std::size_t>(j)]);
  }
  for (; x < n; ++x)
    for (int j = 0; j < 8; ++j) rows_of(j)[x] = strip[8 * x + j];
}

}  // namespace provmark::dsp

#pragma GCC diagnostic pop
