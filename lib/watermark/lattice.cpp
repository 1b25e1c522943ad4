// SPDX-License-Identifier: Apache-2.0
#include "watermark/lattice.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "core/fail.hpp"
#include "dsp/clones.hpp"
#include "dsp/peak.hpp"
#include "watermark/layout.hpp"

namespace provmark::wm {
namespace {

// Search range of the lattice relative to the embedding's working frame.
constexpr double min_scale = 0.45;
constexpr double max_scale = 2.6;
constexpr double max_aspect_log = 0.30;  // |ln(sx / sy)|: about 0.74 .. 1.35
constexpr double max_rotation = std::numbers::pi / 4;  // the lattice's 90-degree symmetry covers the rest

// Position of tile frequency k on the half-plane spectrum (its conjugate twin when f_x < 0), in
// fractional bins; false beyond Nyquist.
struct SpectrumPoint {
  double x, y;
};

bool locate(const FrequencyMap& m, const Bin& k, int rows, int cols, SpectrumPoint& out) {
  double fx = m.a * k.u + m.b * k.v;
  double fy = m.c * k.u + m.d * k.v;
  if (fx < 0) {
    fx = -fx;
    fy = -fy;
  }
  if (fx >= 0.5 || std::abs(fy) >= 0.5) return false;
  out = {fx * cols, fy * rows};
  return true;
}

FrequencyMap map_from(double theta, double sx, double sy) {
  // A = R(theta) * diag(1 / (T sx), 1 / (T sy))
  const double c = std::cos(theta), s = std::sin(theta);
  const double ix = 1.0 / (tile_size * sx), iy = 1.0 / (tile_size * sy);
  return {c * ix, -s * iy, s * ix, c * iy};
}

// Log-polar search (Fourier-Mellin): in (angle, log radius) coordinates a rotation of the image
// shifts the spectrum along the angle axis and a scaling along the log-radius axis, so one 2-D
// cross-correlation per aspect ratio scores every rotation and scale at once.
constexpr int n_angle = 256;        // over [0, pi): the magnitude spectrum is point-symmetric
constexpr int n_logr = 256;
constexpr double f_low = 0.0125;    // cycles per pixel: below the smallest lattice frequency we search
constexpr double f_high = 0.5;
constexpr double aspect_step = 0.025; // log units between aspect hypotheses

struct LogPolar {
  double d_logr = std::log(f_high / f_low) / n_logr;
  double d_angle = std::numbers::pi / n_angle;
};

// The log-radius axis is not periodic: it is zero-padded so that, within the searched window of shifts, the
// circular correlation equals the linear one (checked when the templates are built; 268 would do). 288 rather
// than a smaller FFT-friendly size: FFTW's estimated plans for 256 x 288 run in 97 us, for 256 x 280 in 112 us
// and for 256 x 270 in 153 us, and the search makes 13 of them (the measured plan dsp/fft.hpp carries: 80 us).
constexpr int n_pad = 288;
constexpr std::size_t lp_size = static_cast<std::size_t>(n_angle) * n_pad;
constexpr std::size_t lp_spectrum_size = static_cast<std::size_t>(n_angle) * (n_pad / 2 + 1);
constexpr int aspect_count = 2 * static_cast<int>(max_aspect_log / aspect_step + 0.5) + 1;

// Log-radius shifts searched: scales max_scale .. min_scale.
std::pair<int, int> search_window() {
  const LogPolar lp;
  return {static_cast<int>(std::floor(-std::log(max_scale) / lp.d_logr)),
          static_cast<int>(std::ceil(-std::log(min_scale) / lp.d_logr))};
}

double aspect_log(std::size_t index) { return (static_cast<double>(index) - (aspect_count - 1) / 2) * aspect_step; }

// Aspect index of the first template: a lattice of aspect -la is the lattice of aspect la turned by a quarter
// turn, which on the angle axis (256 bins over pi) is a cyclic shift of exactly half the axis. So one circular
// correlation with the template of la >= 0 holds both: shifts -64..63 are the rotations searched at la, shifts
// 64..191 those at -la. Only the templates of la >= 0 are built and correlated (13 of the 25 aspects).
constexpr int centre_aspect = (aspect_count - 1) / 2;
constexpr int quarter_turn = n_angle / 2;

// Spectra of the lattice template in log-polar coordinates for aspects centre_aspect .. aspect_count - 1, one
// after another (lp_spectrum_size bins each; one block, so that a process's first detection faults it in as
// two huge pages rather than a thousand small ones). They depend on nothing but the constants above, so they
// are built once per process.
constexpr std::size_t template_count = static_cast<std::size_t>(aspect_count - centre_aspect);
const dsp::FftBuffer<dsp::cfloat>& aspect_templates() {
  static const dsp::FftBuffer<dsp::cfloat> templates = [] {
    const LogPolar lp;
    dsp::FftBuffer<dsp::cfloat> out(template_count * lp_spectrum_size, dsp::Uninitialized{});
    int lowest = n_pad, highest = 0;  // log-radius support of the templates
    for (int t = centre_aspect; t < aspect_count; ++t) {
      const double la = aspect_log(static_cast<std::size_t>(t));
      dsp::FftBuffer<float> tmpl(lp_size);
      const double ax = std::exp(0.5 * la), ay = std::exp(-0.5 * la);  // sx / sy = exp(la)
      for (const Bin& k : annulus_bins()) {
        const double fx = k.u / (tile_size * ax), fy = k.v / (tile_size * ay);
        double angle = std::atan2(fy, fx);
        if (angle < 0) angle += std::numbers::pi;
        const double ja = angle / lp.d_angle, jr = std::log(std::hypot(fx, fy) / f_low) / lp.d_logr;
        const int a0 = static_cast<int>(std::floor(ja)), r0 = static_cast<int>(std::floor(jr));
        const double wa = ja - a0, wr = jr - r0;
        for (int da = 0; da < 2; ++da)
          for (int dr = 0; dr < 2; ++dr) {
            const int ai = (a0 + da) % n_angle, ri = r0 + dr;
            if (ri < 0 || ri >= n_pad) continue;
            lowest = std::min(lowest, ri);
            highest = std::max(highest, ri);
            tmpl[static_cast<std::size_t>(ai) * n_pad + ri] += static_cast<float>((da ? wa : 1 - wa) * (dr ? wr : 1 - wr));
          }
      }
      dsp::fft_r2c_2d(n_angle, n_pad, tmpl.data(),
                      out.data() + static_cast<std::size_t>(t - centre_aspect) * lp_spectrum_size);
    }
    // corr[s] = sum_j image[j + s] tmpl[j] is non-zero for s in [-highest, n_logr - 1 - lowest]; no shift
    // of the window may meet a copy of that range one period away.
    const auto window = search_window();
    if (n_logr - 1 - lowest - window.first >= n_pad || window.second + highest >= n_pad)
      fail(Errc::internal, "lattice search: log-radius padding too short");
    return out;
  }();
  return templates;
}

// Bilinear interpolation of the whitened magnitude at a point of the stored half plane (0 <= x < cols / 2,
// |y| < rows / 2, as locate() accepts): all four taps are stored, so no checks but the row wrap (negative
// vertical frequencies are stored at the bottom). Polishing makes ~250,000 of these calls per detection.
// Always inlined: the AVX2 clones of its callers (dsp/clones.hpp) would otherwise call the baseline copy.
[[gnu::always_inline]] inline double bilinear(const dsp::Plane& mag, const SpectrumPoint& p, int rows) {
  const int x0 = static_cast<int>(std::floor(p.x)), y0 = static_cast<int>(std::floor(p.y));
  const double fx = p.x - x0, fy = p.y - y0;
  const int r0 = y0 < 0 ? y0 + rows : y0;
  const int r1 = r0 + 1 == rows ? 0 : r0 + 1;
  const float* row0 = mag.row(r0) + x0;
  const float* row1 = mag.row(r1) + x0;
  return (1 - fy) * ((1 - fx) * static_cast<double>(row0[0]) + fx * static_cast<double>(row0[1])) +
         fy * ((1 - fx) * static_cast<double>(row1[0]) + fx * static_cast<double>(row1[1]));
}

PROVMARK_HOT_LOOP double exact_score(const FrequencyMap& m, const std::vector<Bin>& bins, const dsp::Plane& mag,
                                     int rows, int cols) {
  double sum = 0;
  int n = 0;
  for (const Bin& k : bins) {
    SpectrumPoint p{};
    if (!locate(m, k, rows, cols, p)) continue;
    sum += bilinear(mag, p, rows) - 1.0;  // whitened noise has mean ~1
    ++n;
  }
  return n < 8 ? -1e9 : sum / std::sqrt(static_cast<double>(n));
}

struct Params {
  double theta, lx, ly, shear;
};

FrequencyMap map_from(const Params& p) {
  FrequencyMap m = map_from(p.theta, std::exp(p.lx), std::exp(p.ly));
  // a small shear of the tile frequencies: v picks up shear * u
  m.b += p.shear * m.a;
  m.d += p.shear * m.c;
  return m;
}

// Coordinate ascent on the exact (interpolated) template score, shrinking steps.
Params refine(Params p, const std::vector<Bin>& bins, const dsp::Plane& mag, int rows, int cols, double step) {
  // The ascent often steps back onto a point it has just scored (a step down and, next, the same step up);
  // the scores of the last few points are remembered, so such a point costs a comparison, not 492 lookups.
  struct Scored {
    Params at;
    double score;
  };
  std::array<Scored, 16> recent{};
  std::size_t recorded = 0;
  auto score = [&](const Params& q) {
    for (std::size_t i = 0; i < std::min(recorded, recent.size()); ++i) {
      const Params& r = recent[i].at;
      if (r.theta == q.theta && r.lx == q.lx && r.ly == q.ly && r.shear == q.shear) return recent[i].score;
    }
    const double s = exact_score(map_from(q), bins, mag, rows, cols);
    recent[recorded++ % recent.size()] = {q, s};
    return s;
  };
  double best = score(p);
  for (int round = 0; round < 6; ++round, step *= 0.5) {
    bool improved = true;
    for (int guard = 0; improved && guard < 8; ++guard) {
      improved = false;
      for (int axis = 0; axis < 4; ++axis)
        for (double dir : {-1.0, 1.0}) {
          Params q = p;
          (axis == 0 ? q.theta : axis == 1 ? q.lx : axis == 2 ? q.ly : q.shear) += dir * step;
          const double s = score(q);
          if (s > best) {
            best = s;
            p = q;
            improved = true;
          }
        }
    }
  }
  return p;
}

}  // namespace

PROVMARK_HOT_LOOP std::vector<LatticeCandidate> find_lattice(const WhitenedFrame& frame, int max_candidates) {
  const std::vector<Bin> all = annulus_bins();
  const int rows = frame.rows, cols = frame.cols;
  const LogPolar lp;
  const std::size_t n = lp_size;

  // The whitened magnitude in log-polar coordinates, mean removed.
  dsp::FftBuffer<float> image(n);
  double mean = 0;
  std::array<double, n_logr> radius{};
  for (int j = 0; j < n_logr; ++j) radius[static_cast<std::size_t>(j)] = f_low * std::exp(j * lp.d_logr);
  for (int a = 0; a < n_angle; ++a) {
    const double cos_t = std::cos(a * lp.d_angle), sin_t = std::sin(a * lp.d_angle);
    for (int j = 0; j < n_logr; ++j) {
      const double r = radius[static_cast<std::size_t>(j)];
      double fx = r * cos_t, fy = r * sin_t;
      if (fx < 0) fx = -fx, fy = -fy;
      const double v =
          (fx >= 0.5 || std::abs(fy) >= 0.5) ? 1.0 : bilinear(frame.magnitude, {fx * cols, fy * rows}, rows);
      image[static_cast<std::size_t>(a) * n_pad + j] = static_cast<float>(v);
      mean += v;
    }
  }
  mean /= static_cast<double>(n_angle) * n_logr;
  for (int a = 0; a < n_angle; ++a)
    for (int j = 0; j < n_logr; ++j) image[static_cast<std::size_t>(a) * n_pad + j] -= static_cast<float>(mean);
  dsp::FftBuffer<dsp::cfloat> image_spectrum(lp_spectrum_size, dsp::Uninitialized{});
  dsp::fft_r2c_2d(n_angle, n_pad, image.data(), image_spectrum.data());

  // Correlation surfaces, one per aspect: shift in angle = rotation, shift in log radius =
  // -log(scale). Only the searched window of each is kept.
  const int max_shift_a = static_cast<int>(std::lround(max_rotation / lp.d_angle));
  const auto window = search_window();  // not a structured binding: clang 14 cannot capture one in a lambda
  const int min_shift_r = window.first, max_shift_r = window.second;
  const int na = 2 * max_shift_a, nr = max_shift_r - min_shift_r + 1;
  const auto& templates = aspect_templates();
  const int nt = aspect_count;
  std::vector<float, dsp::ScratchAllocator<float>> surface(static_cast<std::size_t>(nt) * na * nr);
  auto at = [&](int t, int ia, int ir) -> float& {
    return surface[(static_cast<std::size_t>(t) * na + static_cast<std::size_t>((ia + na) % na)) * nr +
                   static_cast<std::size_t>(ir)];
  };
  dsp::FftBuffer<dsp::cfloat> product(lp_spectrum_size, dsp::Uninitialized{});
  dsp::FftBuffer<float> corr(n, dsp::Uninitialized{});
  // The searched window of one aspect, read from the correlation at angle shifts starting `first_shift`.
  auto keep_window = [&](int t, int first_shift) {
    for (int ia = 0; ia < na; ++ia) {
      const float* source = &corr[static_cast<std::size_t>((ia + first_shift + 2 * n_angle) % n_angle) * n_pad];
      float* dest = &at(t, ia, 0);
      // Shifts ir + min_shift_r below 0 are stored at the end of the padded axis: two runs to copy.
      const int wrapped = std::clamp(-min_shift_r, 0, nr);
      std::copy_n(source + n_pad + min_shift_r, wrapped, dest);
      std::copy_n(source + wrapped + min_shift_r, nr - wrapped, dest + wrapped);
    }
  };
  for (int t = centre_aspect; t < nt; ++t) {
    const dsp::cfloat* tmpl = templates.data() + static_cast<std::size_t>(t - centre_aspect) * lp_spectrum_size;
    for (std::size_t i = 0; i < lp_spectrum_size; ++i) product[i] = dsp::times_conj(image_spectrum[i], tmpl[i]);
    dsp::fft_c2r_2d(n_angle, n_pad, product.data(), corr.data());
    keep_window(t, -max_shift_a);
    if (t != centre_aspect) keep_window(2 * centre_aspect - t, quarter_turn - max_shift_a);  // the aspect -la
  }
  // The strongest local maxima in (aspect, angle, log radius), refined to sub-bin precision by parabolas.
  // The angle axis wraps: the lattice looks the same after a quarter turn. `best` is a min-heap of the
  // strongest so far, so almost every cell is dismissed by one comparison with its weakest.
  const auto keep = static_cast<std::size_t>(std::max(0, max_candidates));
  const auto weaker = [](const LatticeCandidate& p, const LatticeCandidate& q) { return p.score > q.score; };
  std::vector<LatticeCandidate> best;
  // The weakest score kept once `keep` are held (scores are floats): the test most cells stop at, kept in a
  // register instead of read from the heap, and made 8 cells at a time where none of them passes it.
  float weakest = -std::numeric_limits<float>::infinity();
  for (int t = 0; t < nt && keep > 0; ++t)
    for (int ia = 0; ia < na; ++ia) {
      // Row pointers once per row: index arithmetic with a modulo per neighbour dominated this scan.
      const float* row = &at(t, ia, 0);
      const float* before = &at(t, ia - 1, 0);
      const float* after = &at(t, ia + 1, 0);
      const float* lower = t > 0 ? &at(t - 1, ia, 0) : nullptr;
      const float* upper = t + 1 < nt ? &at(t + 1, ia, 0) : nullptr;
      for (int ir = 1; ir + 1 < nr; ++ir) {
        if (ir + 8 < nr) {
          bool stronger = false;
          for (int k = 0; k < 8; ++k) stronger |= !(row[ir + k] <= weakest);
          if (!stronger) {
            ir += 7;
            continue;
          }
        }
        const float c = row[ir];
        if (c <= weakest) continue;
        if (c <= row[ir - 1] || c < row[ir + 1] || c <= before[ir] || c < after[ir]) continue;
        if ((lower != nullptr && c <= lower[ir]) || (upper != nullptr && c < upper[ir])) continue;
        const double da = dsp::parabola_peak_offset(before[ir], c, after[ir]);
        const double dr = dsp::parabola_peak_offset(row[ir - 1], c, row[ir + 1]);
        const double dt = (lower != nullptr && upper != nullptr) ? dsp::parabola_peak_offset(lower[ir], c, upper[ir]) : 0.0;
        const double la = aspect_log(static_cast<std::size_t>(t)) + dt * aspect_step;
        const double ls = -(ir + min_shift_r + dr) * lp.d_logr;
        const double theta = (ia - max_shift_a + da) * lp.d_angle;
        if (best.size() == keep) {
          std::pop_heap(best.begin(), best.end(), weaker);
          best.pop_back();
        }
        best.push_back({map_from(theta, std::exp(ls + 0.5 * la), std::exp(ls - 0.5 * la)), c});
        std::push_heap(best.begin(), best.end(), weaker);
        if (best.size() == keep) weakest = static_cast<float>(best.front().score);
      }
    }
  std::sort_heap(best.begin(), best.end(), weaker);  // strongest first
  return best;
}

FrequencyMap refine_lattice(const WhitenedFrame& frame, const FrequencyMap& start) {
  // Back from the matrix to (rotation, log scales, shear): A = R(theta) diag(1/(T sx), 1/(T sy))
  // followed by the shear term; the search produced no shear, so this is exact for its output.
  const double theta = std::atan2(start.c, start.a);
  const double sx = 1.0 / (tile_size * std::hypot(start.a, start.c));
  const double sy = 1.0 / (tile_size * std::hypot(start.b, start.d));
  const LogPolar lp;
  const Params p = refine({theta, std::log(sx), std::log(sy), 0.0}, annulus_bins(), frame.magnitude, frame.rows,
                          frame.cols, 0.25 * lp.d_logr);
  return map_from(p);
}

}  // namespace provmark::wm
