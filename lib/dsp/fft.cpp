// SPDX-License-Identifier: Apache-2.0
#include "dsp/fft.hpp"

#include <fftw3.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <tuple>

namespace provmark::dsp {
namespace {

enum class Kind { r2c, c2r, c2c_forward, c2c_backward, columns_backward, rows_c2r };

std::mutex& planner_mutex() {
  static std::mutex mutex;  // the FFTW planner, wisdom included, is not thread-safe
  return mutex;
}

std::atomic<unsigned> planning_rigour{FFTW_ESTIMATE};

// Loads the built-in wisdom once, before the first plan; the planner mutex must be held.
bool load_builtin_wisdom_locked() {
  static const bool loaded = fftwf_import_wisdom_from_string(builtin_fft_wisdom) != 0;
  return loaded;
}

// Plans are made once per shape on scratch buffers and then run with fftwf_execute_dft* on the
// caller's buffers, which FftBuffer allocates with the same (FFTW) alignment.
// columns_backward: the first `used` columns of a rows x (cols/2+1) half spectrum, inverse c2c along each column,
// in place; rows_c2r: c2r along each row of that half spectrum.
fftwf_plan locked_plan(Kind kind, int rows, int cols, int used) {
  // Plans live for the whole process (never destroyed, so still reachable at exit for leak checkers).
  static auto* plans = new std::map<std::tuple<Kind, int, int, int>, fftwf_plan>;
  const std::lock_guard lock(planner_mutex());
  auto& plan = (*plans)[{kind, rows, cols, used}];
  if (plan != nullptr) return plan;
  load_builtin_wisdom_locked();
  const unsigned rigour = planning_rigour.load();
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  const std::size_t nc = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols / 2 + 1);
  float* real = fftwf_alloc_real(n + 2 * nc);  // big enough for either layout
  fftwf_complex* cplx = fftwf_alloc_complex(n);
  const int half = cols / 2 + 1;
  switch (kind) {
    case Kind::r2c: plan = fftwf_plan_dft_r2c_2d(rows, cols, real, cplx, rigour); break;
    case Kind::c2r: plan = fftwf_plan_dft_c2r_2d(rows, cols, cplx, real, rigour); break;
    case Kind::c2c_forward:
      plan = fftwf_plan_dft_2d(rows, cols, cplx, cplx, FFTW_FORWARD, rigour);
      break;
    case Kind::c2c_backward:
      plan = fftwf_plan_dft_2d(rows, cols, cplx, cplx, FFTW_BACKWARD, rigour);
      break;
    case Kind::columns_backward:
      plan = fftwf_plan_many_dft(1, &rows, used, cplx, nullptr, half, 1, cplx, nullptr, half, 1, FFTW_BACKWARD, rigour);
      break;
    case Kind::rows_c2r:
      plan = fftwf_plan_many_dft_c2r(1, &cols, rows, cplx, nullptr, 1, half, real, nullptr, 1, cols, rigour);
      break;
  }
  fftwf_free(real);
  fftwf_free(cplx);
  if (plan == nullptr) throw std::bad_alloc();
  return plan;
}

fftwf_plan cached_plan(Kind kind, int rows, int cols, int used = 0) {
  // A few plans per thread without the lock and the map: a detection runs hundreds of small transforms of
  // the same shapes, and the lookup cost 2% of it. Plans are never destroyed, so the copies stay valid.
  using Key = std::tuple<Kind, int, int, int>;
  struct Remembered {
    Key key;
    fftwf_plan plan = nullptr;
  };
  thread_local std::array<Remembered, 8> remembered{};
  thread_local std::size_t next = 0;
  const Key key{kind, rows, cols, used};
  for (const Remembered& r : remembered)
    if (r.plan != nullptr && r.key == key) return r.plan;
  Remembered& slot = remembered[next++ % remembered.size()];
  slot = {key, locked_plan(kind, rows, cols, used)};
  return slot.plan;
}

fftwf_complex* as_fftw(cfloat* p) noexcept { return reinterpret_cast<fftwf_complex*>(p); }

}  // namespace

void fft_r2c_2d(int rows, int cols, float* in, cfloat* out) {
  fftwf_execute_dft_r2c(cached_plan(Kind::r2c, rows, cols), in, as_fftw(out));
}

void fft_c2r_2d(int rows, int cols, cfloat* in, float* out) {
  fftwf_execute_dft_c2r(cached_plan(Kind::c2r, rows, cols), as_fftw(in), out);
}

void fft_c2r_2d_low(int rows, int cols, int used_cols, cfloat* in, float* out) {
  // The 2-D inverse done as FFTW does it, transforms along the columns first, then c2r along the rows; the
  // columns known to be zero stay zero in the first step, so it skips them.
  fftwf_execute_dft(cached_plan(Kind::columns_backward, rows, cols, used_cols), as_fftw(in), as_fftw(in));
  fftwf_execute_dft_c2r(cached_plan(Kind::rows_c2r, rows, cols), as_fftw(in), out);
}

void fft_c2c_2d(int rows, int cols, cfloat* in, cfloat* out, bool forward) {
  // In-place and out-of-place plans differ in FFTW; ours are in place, so copy first when needed.
  if (in != out)
    for (std::size_t i = 0; i < static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols); ++i) out[i] = in[i];
  fftwf_execute_dft(cached_plan(forward ? Kind::c2c_forward : Kind::c2c_backward, rows, cols), as_fftw(out),
                    as_fftw(out));
}

bool fft_wisdom_loaded() {
  const std::lock_guard lock(planner_mutex());
  return load_builtin_wisdom_locked();
}

void measure_fft_plans() {
  const std::lock_guard lock(planner_mutex());
  load_builtin_wisdom_locked();  // once loaded, it is not loaded again over what is measured now
  fftwf_forget_wisdom();
  planning_rigour = FFTW_PATIENT;
}

std::string exported_fft_wisdom() {
  const std::lock_guard lock(planner_mutex());
  char* text = fftwf_export_wisdom_to_string();
  if (text == nullptr) throw std::bad_alloc();
  std::string out(text);
  std::free(text);  // NOLINT(cppcoreguidelines-no-malloc): FFTW allocates it with malloc
  return out;
}

int fast_fft_size_at_most(int n) noexcept {
  // Even sizes only: FFTW's real transforms of odd lengths are about twice as slow (512 x 675 takes
  // 6.5 ms forward and back, 512 x 672 3.0 ms).
  for (int m = n - n % 2; m > 1; m -= 2) {
    int r = m;
    for (int p : {2, 3, 5, 7})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
  return 1;
}

}  // namespace provmark::dsp
