// SPDX-License-Identifier: Apache-2.0
#include "watermark/lattice.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "watermark/layout.hpp"

namespace provmark::wm {
namespace {

// Search range of the lattice relative to the embedding's working frame.
constexpr double min_scale = 0.45;
constexpr double max_scale = 2.6;
constexpr double max_aspect_log = 0.30;  // |ln(sx / sy)|: about 0.74 .. 1.35
constexpr double max_rotation = std::numbers::pi / 4;  // the lattice's 90-degree symmetry covers the rest
constexpr int coarse_r2_max = 81;        // coarse search uses the inner part of the annulus
constexpr int coarse_tolerance = 2;      // bins: the coarse grid is matched against a 5x5 max filter
constexpr double peak_threshold = 2.0;   // whitened magnitude of a usable peak (noise mean is ~1)

struct Stats {
  double mean = 0;
  double sd = 1;
};

Stats stats_of(const dsp::Plane& p) {
  double s = 0, s2 = 0;
  for (float v : p.data) {
    s += v;
    s2 += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(p.data.size());
  return {s / n, std::sqrt(std::max(1e-12, s2 / n - (s / n) * (s / n)))};
}

dsp::Plane max_filter(const dsp::Plane& in, int r) {
  dsp::Plane tmp(in.width, in.height), out(in.width, in.height);
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      float m = 0;
      for (int k = std::max(0, x - r); k <= std::min(in.width - 1, x + r); ++k) m = std::max(m, in.at(k, y));
      tmp.at(x, y) = m;
    }
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < in.width; ++x) {
      float m = 0;
      for (int k = -r; k <= r; ++k) m = std::max(m, tmp.at(x, ((y + k) % in.height + in.height) % in.height));
      out.at(x, y) = m;
    }
  return out;
}

// Position of tile frequency k on the half-plane spectrum, in fractional bins; false if beyond
// Nyquist. `sign` is -1 when the conjugate-symmetric twin was taken.
struct SpectrumPoint {
  double x, y;
  int sign;
};

bool locate(const FrequencyMap& m, const Bin& k, int rows, int cols, SpectrumPoint& out) {
  double fx = m.a * k.u + m.b * k.v;
  double fy = m.c * k.u + m.d * k.v;
  int sign = 1;
  if (fx < 0) {
    fx = -fx;
    fy = -fy;
    sign = -1;
  }
  if (fx >= 0.5 || std::abs(fy) >= 0.5) return false;
  out = {fx * cols, fy * rows, sign};
  return true;
}

double template_score(const FrequencyMap& m, const std::vector<Bin>& bins, const dsp::Plane& mag, int rows,
                      int cols, const Stats& st) {
  double sum = 0;
  int n = 0;
  for (const Bin& k : bins) {
    SpectrumPoint p{};
    if (!locate(m, k, rows, cols, p)) continue;
    const int x = static_cast<int>(std::lround(p.x));
    const int y = (static_cast<int>(std::lround(p.y)) % rows + rows) % rows;
    if (x >= mag.width) continue;
    sum += mag.at(x, y);
    ++n;
  }
  if (n < 8) return -1e9;
  return (sum - n * st.mean) / (st.sd * std::sqrt(static_cast<double>(n)));
}

FrequencyMap map_from(double theta, double sx, double sy) {
  // A = R(theta) * diag(1 / (T sx), 1 / (T sy))
  const double c = std::cos(theta), s = std::sin(theta);
  const double ix = 1.0 / (tile_size * sx), iy = 1.0 / (tile_size * sy);
  return {c * ix, -s * iy, s * ix, c * iy};
}

// Least-squares fit of A to the peaks found near the predicted positions. Returns the number of
// peaks used (0 when too few to fit, leaving `m` unchanged).
int fit_peaks(FrequencyMap& m, const std::vector<Bin>& bins, const dsp::Plane& mag, int rows, int cols, int radius) {
  double suu = 0, suv = 0, svv = 0, sux = 0, svx = 0, suy = 0, svy = 0;
  int used = 0;
  for (const Bin& k : bins) {
    SpectrumPoint p{};
    if (!locate(m, k, rows, cols, p)) continue;
    const int cx = static_cast<int>(std::lround(p.x)), cy = static_cast<int>(std::lround(p.y));
    int bx = -1, by = 0;
    float best = 0;
    for (int dy = -radius; dy <= radius; ++dy)
      for (int dx = -radius; dx <= radius; ++dx) {
        const int x = cx + dx;
        if (x < 1 || x >= mag.width - 1) continue;
        const float v = mag.at(x, ((cy + dy) % rows + rows) % rows);
        if (v > best) {
          best = v;
          bx = x;
          by = cy + dy;
        }
      }
    if (bx < 0 || best < peak_threshold) continue;
    auto at = [&](int x, int y) { return static_cast<double>(mag.at(x, (y % rows + rows) % rows)); };
    auto vertex = [](double l, double c, double r) {
      const double den = l - 2 * c + r;
      return den < 0 ? std::clamp(0.5 * (l - r) / den, -0.5, 0.5) : 0.0;
    };
    const double px = bx + vertex(at(bx - 1, by), best, at(bx + 1, by));
    const double py = by + vertex(at(bx, by - 1), best, at(bx, by + 1));
    const double fx = p.sign * px / cols, fy = p.sign * py / rows;
    const double w = best;  // stronger peaks are better located
    suu += w * k.u * k.u;
    suv += w * k.u * k.v;
    svv += w * k.v * k.v;
    sux += w * k.u * fx;
    svx += w * k.v * fx;
    suy += w * k.u * fy;
    svy += w * k.v * fy;
    ++used;
  }
  const double det = suu * svv - suv * suv;
  if (used < 8 || std::abs(det) < 1e-9) return 0;
  m.a = (sux * svv - svx * suv) / det;
  m.b = (svx * suu - sux * suv) / det;
  m.c = (suy * svv - svy * suv) / det;
  m.d = (svy * suu - suy * suv) / det;
  return used;
}

struct Hypothesis {
  double theta, lx, ly, score;
};

}  // namespace

std::vector<LatticeCandidate> find_lattice(const WhitenedFrame& frame, int max_candidates) {
  const std::vector<Bin> all = annulus_bins();
  std::vector<Bin> inner;
  for (const Bin& b : all)
    if (b.u * b.u + b.v * b.v <= coarse_r2_max) inner.push_back(b);

  const dsp::Plane coarse = max_filter(frame.magnitude, coarse_tolerance);
  const Stats coarse_stats = stats_of(coarse);
  const Stats fine_stats = stats_of(frame.magnitude);
  const int rows = frame.rows, cols = frame.cols;
  const double n = std::min(rows, cols);
  // Grid step (radians / log-scale) that moves the outermost coarse peak by `coarse_tolerance` bins.
  auto step_at = [&](double s) { return coarse_tolerance * tile_size * s / (std::sqrt(double{coarse_r2_max}) * n); };

  std::vector<Hypothesis> hyps;
  for (double lx = std::log(min_scale); lx <= std::log(max_scale); lx += step_at(std::exp(lx))) {
    for (double ly = lx - max_aspect_log; ly <= lx + max_aspect_log; ly += step_at(std::exp(ly))) {
      if (ly < std::log(min_scale) || ly > std::log(max_scale)) continue;
      const double step = step_at(std::exp(0.5 * (lx + ly)));
      for (double th = -max_rotation; th < max_rotation; th += step) {
        const double z = template_score(map_from(th, std::exp(lx), std::exp(ly)), inner, coarse, rows, cols,
                                        coarse_stats);
        hyps.push_back({th, lx, ly, z});
      }
    }
  }
  std::sort(hyps.begin(), hyps.end(), [](const Hypothesis& p, const Hypothesis& q) { return p.score > q.score; });

  std::vector<LatticeCandidate> out;
  std::vector<Hypothesis> kept;
  for (const Hypothesis& h : hyps) {
    if (static_cast<int>(kept.size()) >= 3 * max_candidates) break;
    const double tol = 3 * step_at(std::exp(0.5 * (h.lx + h.ly)));
    const bool near = std::any_of(kept.begin(), kept.end(), [&](const Hypothesis& k) {
      return std::abs(k.theta - h.theta) < tol && std::abs(k.lx - h.lx) < tol && std::abs(k.ly - h.ly) < tol;
    });
    if (near) continue;
    kept.push_back(h);
    LatticeCandidate c{map_from(h.theta, std::exp(h.lx), std::exp(h.ly)), 0, 0};
    fit_peaks(c.map, inner, frame.magnitude, rows, cols, coarse_tolerance);
    fit_peaks(c.map, all, frame.magnitude, rows, cols, 1);
    c.peaks = fit_peaks(c.map, all, frame.magnitude, rows, cols, 1);
    c.score = template_score(c.map, all, frame.magnitude, rows, cols, fine_stats);
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(),
            [](const LatticeCandidate& p, const LatticeCandidate& q) { return p.score > q.score; });
  if (static_cast<int>(out.size()) > max_candidates) out.resize(static_cast<std::size_t>(max_candidates));
  return out;
}

}  // namespace provmark::wm
