// SPDX-License-Identifier: Apache-2.0
#pragma once
// FFTW (single precision) wrapped once: aligned buffers and a plan cache. The FFTW planner is not
// thread-safe, so plans are made under a mutex and cached; executing a plan is thread-safe.
// Plans are FFTW_ESTIMATE plans, never measured at run time, so a shape gets the same plan (and the same results) in
// every run: measured plans vary from run to run. The shapes embedding and detection use get plans measured once, when
// scripts/update-fft-wisdom.sh wrote lib/dsp/fft_wisdom.txt, which the library carries as FFTW wisdom (FFTW_ESTIMATE
// planning takes a plan from wisdom when it has one): they run about a fifth faster.

#include <complex>
#include <cstddef>
#include <memory>
#include <string>

#include "dsp/scratch.hpp"

namespace provmark::dsp {

using cfloat = std::complex<float>;

struct ScratchDeleter {
  void operator()(void* p) const noexcept { scratch_free(p); }
};

/// An FFTW-aligned array (what the cached plans require), in per-thread recycled memory (dsp/scratch.hpp).
template <class T>
class FftBuffer {
 public:
  FftBuffer() = default;
  explicit FftBuffer(std::size_t n) : FftBuffer(n, Uninitialized{}) {
    for (std::size_t i = 0; i < n; ++i) data_.get()[i] = T{};
  }
  FftBuffer(std::size_t n, Uninitialized) : size_(n), data_(static_cast<T*>(scratch_allocate(n * sizeof(T)))) {}
  [[nodiscard]] T* data() noexcept { return data_.get(); }
  [[nodiscard]] const T* data() const noexcept { return data_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  T& operator[](std::size_t i) noexcept { return data_.get()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_.get()[i]; }

 private:
  std::size_t size_ = 0;
  std::unique_ptr<T, ScratchDeleter> data_;
};

/// a * conj(b) by the textbook formula. std::complex's operator* also rescues inf/NaN products (C99
/// Annex G), a branch and a library call per product that showed up in the correlation loops.
[[nodiscard]] inline cfloat times_conj(cfloat a, cfloat b) noexcept {
  return {a.real() * b.real() + a.imag() * b.imag(), a.imag() * b.real() - a.real() * b.imag()};
}

/// Row-major real rows x cols -> complex rows x (cols/2+1), unnormalised (FFTW's sign -1).
void fft_r2c_2d(int rows, int cols, float* in, cfloat* out);
/// Inverse of fft_r2c_2d, unnormalised; destroys `in` (FFTW cannot preserve it for 2-D c2r).
void fft_c2r_2d(int rows, int cols, cfloat* in, float* out);
/// fft_c2r_2d for a half spectrum whose columns from `used_cols` on are zero: the transforms along the rows
/// skip those columns (a sparse correlation spectrum: 80 x 80 with 19 columns used takes 28% less time).
void fft_c2r_2d_low(int rows, int cols, int used_cols, cfloat* in, float* out);
/// Complex rows x cols, in place allowed; sign -1 forward, +1 backward, unnormalised.
void fft_c2c_2d(int rows, int cols, cfloat* in, cfloat* out, bool forward);

/// True when the built-in wisdom is in use; false when this FFTW rejected it (another FFTW version than the one it
/// was made with), and every shape gets an estimated plan.
[[nodiscard]] bool fft_wisdom_loaded();
/// For scripts/update-fft-wisdom.sh only, before any transform: forgets the built-in wisdom, and every plan made from
/// now on is measured with FFTW_PATIENT (seconds per shape).
void measure_fft_plans();
/// The wisdom of every plan made so far, in FFTW's text format.
[[nodiscard]] std::string exported_fft_wisdom();
/// lib/dsp/fft_wisdom.txt, built in.
extern const char builtin_fft_wisdom[];

/// The largest even n' <= n whose prime factors are 2, 3, 5 and 7 (fast FFT sizes); 1 when n < 2.
[[nodiscard]] int fast_fft_size_at_most(int n) noexcept;

}  // namespace provmark::dsp
