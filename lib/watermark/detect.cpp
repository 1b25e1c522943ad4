// SPDX-License-Identifier: Apache-2.0
// Detection (spec/image-watermark-v1.md#detection):
//   luma -> working frame -> whitened spectrum -> lattice candidates (lattice.cpp)
//   -> rank the candidates by their sync peaks in tile spectra read from the whitened spectrum
//   -> for the best: fold the high-pass frame onto one tile -> tile DFT
//   -> for each of the lattice's 8 symmetries: correlate the sync bins over all translations
//   -> decode the strongest (symmetry, translation) pairs: soft Viterbi, CRC-24, and a false-alarm
//      bound from the agreement between received signs and the re-encoded codeword.
#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <cmath>
#include <numbers>

#include "dsp/clones.hpp"
#include "dsp/fft.hpp"
#include "dsp/peak.hpp"
#include "dsp/resample.hpp"
#include "watermark/detect.hpp"
#include "watermark/fec.hpp"
#include "watermark/lattice.hpp"
#include "watermark/layout.hpp"
#include "watermark/spectrum.hpp"

namespace provmark::wm {
namespace {

constexpr int T = tile_size;
constexpr int lattice_candidates = 16;  // hypotheses checked coherently (spec 8.2: 24 found nothing more)
constexpr int polished_candidates = 4;

// The 8 symmetries of the square lattice as integer matrices [[p, q], [r, s]].
struct Symmetry {
  int p, q, r, s;
};
constexpr std::array<Symmetry, 8> symmetries{{{1, 0, 0, 1},
                                              {0, -1, 1, 0},
                                              {-1, 0, 0, -1},
                                              {0, 1, -1, 0},
                                              {-1, 0, 0, 1},
                                              {1, 0, 0, -1},
                                              {0, 1, 1, 0},
                                              {0, -1, -1, 0}}};

std::size_t tile_index(int u, int v) noexcept {
  return static_cast<std::size_t>(((v % T + T) % T) * T + (u % T + T) % T);
}

// Per tile cell: the sum of the frame pixels folded onto it and their count, side by side (one cache line
// per pixel), in two tables: even columns add to the first, odd ones to the second. Neighbouring pixels
// often land on the same cell (an enlarged picture), and one table would make each add wait for the
// previous one's store; two halve those chains (a fold is 10% faster). tile_spectrum adds the tables.
using FoldSums = std::vector<float, dsp::ScratchAllocator<float>>;
constexpr std::size_t tile_cells = static_cast<std::size_t>(T) * T;

// Where a fold sends the pixels of a frame: pixel x goes to the tile cell nearest to q = T A^T (x - centre) mod T.
// q / T is kept as a 32-bit binary fraction: the wrap modulo T is the integer overflow, so the per-pixel steps
// need no branches. Pixels often fall exactly on a cell edge (the identity map on an even-sized frame); a bias
// of 2^-19 tile, far above the rounding error of a row, keeps them in the cell above the edge.
class CellWalk {
 public:
  CellWalk(const dsp::Plane& image, const FrequencyMap& m)
      : m_(m),
        cx_(0.5 * (image.width - 1)),
        cy_(0.5 * (image.height - 1)),
        step_x_(fraction_of_tile(m.a)),
        step_y_(fraction_of_tile(m.b)) {}

  /// The cells of row y's pixels, each as 2 * (iy * T + ix): the offset of its (sum, count) pair.
  [[gnu::always_inline]] void row(int y, std::vector<std::uint32_t>& cell_of) const {  // inlined: AVX2 in fold()
    std::uint32_t qx = start_x(y), qy = start_y(y);
    for (auto& cell : cell_of) {  // 32-bit arithmetic only, so that the loop vectorises
      cell = 2 * (cell_index(qy) * T + cell_index(qx));
      qx += step_x_;
      qy += step_y_;
    }
  }

  /// The tile row of the first pixel of frame row y.
  [[nodiscard]] std::uint32_t first_row_cell(int y) const { return cell_index(start_y(y)); }

 private:
  static std::uint32_t fraction_of_tile(double tiles) {
    return static_cast<std::uint32_t>(std::llround((tiles - std::floor(tiles)) * 4294967296.0) & 0xffffffffLL);
  }
  static std::uint32_t cell_index(std::uint32_t q) { return ((q >> 8) * T) >> 24; }
  static constexpr double edge_bias = 1.0 / (1 << 19);
  // +0.5 cell: the nearest cell
  std::uint32_t start_x(int y) const {
    return fraction_of_tile(m_.a * (-cx_) + m_.c * (y - cy_) + 0.5 / T + edge_bias);
  }
  std::uint32_t start_y(int y) const {
    return fraction_of_tile(m_.b * (-cx_) + m_.d * (y - cy_) + 0.5 / T + edge_bias);
  }

  FrequencyMap m_;
  double cx_, cy_;
  std::uint32_t step_x_, step_y_;
};

// A fold under an axis-aligned map that moves one cell per pixel along x (the identity, which every detection
// folds first, and the only fold of a labelled upload) sends each row to consecutive cells of one tile row.
// Then the fold is row segments added to tile rows, which vectorise, instead of a scatter (~6x faster), and the
// counts are products of row and column counts. The same sums bit for bit: T is even, so all the pixels of a
// cell have the same column parity, and fold() adds them in this order in one of its tables.
PROVMARK_HOT_LOOP std::optional<FoldSums> fold_unit_step(const dsp::Plane& image, const FrequencyMap& m,
                                                         const CellWalk& walk) {
  if (m.b != 0 || m.c != 0) return std::nullopt;
  const auto width = static_cast<std::size_t>(image.width);
  std::vector<std::uint32_t> cell_of(width);
  walk.row(0, cell_of);
  const std::uint32_t first = cell_of[0] / 2, iy0 = first / T, ix0 = first % T;
  for (std::size_t x = 0; x < width; ++x)
    if (cell_of[x] != 2 * (iy0 * T + (ix0 + x) % T)) return std::nullopt;
  std::vector<float> tile(tile_cells, 0.0f);
  std::array<std::uint32_t, T> rows_in_cell_row{};
  for (int y = 0; y < image.height; ++y) {
    const std::uint32_t iy = walk.first_row_cell(y);
    ++rows_in_cell_row[iy];
    float* __restrict cells = tile.data() + static_cast<std::size_t>(iy) * T;
    const float* __restrict row = image.row(y);
    for (std::size_t x = 0, ix = ix0; x < width; ix = 0) {
      const std::size_t n = std::min(T - ix, width - x);
      for (std::size_t j = 0; j < n; ++j) cells[ix + j] += row[x + j];
      x += n;
    }
  }
  std::array<std::uint32_t, T> columns_in_cell{};
  for (std::size_t x = 0; x < width; ++x) ++columns_in_cell[(ix0 + x) % T];
  FoldSums sums(4 * tile_cells, 0.0f);  // all in the first table
  for (std::size_t i = 0; i < tile_cells; ++i) {
    sums[2 * i] = tile[i];
    sums[2 * i + 1] = static_cast<float>(rows_in_cell_row[i / T] * columns_in_cell[i % T]);
  }
  return sums;
}

// Folds a frame (high-pass or whitened) onto one tile: every frame pixel is added to its cell (CellWalk).
PROVMARK_HOT_LOOP FoldSums fold(const dsp::Plane& image, const FrequencyMap& m) {
  const CellWalk walk(image, m);
  if (auto sums = fold_unit_step(image, m, walk)) return std::move(*sums);
  FoldSums sums(4 * tile_cells, 0.0f);
  std::vector<std::uint32_t> cell_of(static_cast<std::size_t>(image.width));
  float* even = sums.data();
  float* odd = sums.data() + 2 * tile_cells;
  for (int y = 0; y < image.height; ++y) {
    const float* row = image.row(y);
    walk.row(y, cell_of);
    std::size_t x = 0;
    for (; x + 1 < cell_of.size(); x += 2) {
      float* a = even + cell_of[x];
      float* b = odd + cell_of[x + 1];
      a[0] += row[x];
      a[1] += 1.0f;
      b[0] += row[x + 1];
      b[1] += 1.0f;
    }
    if (x < cell_of.size()) {
      float* a = even + cell_of[x];
      a[0] += row[x];
      a[1] += 1.0f;
    }
  }
  return sums;
}

// The DFT of the folded tile, each cell averaged: the half spectrum (T rows x T/2+1), the tile being real.
// tile_coefficient reads any bin from it.
constexpr int half_width = T / 2 + 1;

dsp::FftBuffer<dsp::cfloat> tile_spectrum(const FoldSums& sums) {
  dsp::FftBuffer<float> tile(tile_cells, dsp::Uninitialized{});
  const float* even = sums.data();
  const float* odd = sums.data() + 2 * tile_cells;
  for (std::size_t i = 0; i < tile_cells; ++i) {
    const float count = even[2 * i + 1] + odd[2 * i + 1];
    tile[i] = count > 0 ? (even[2 * i] + odd[2 * i]) / count : 0.0f;
  }
  dsp::FftBuffer<dsp::cfloat> spectrum(static_cast<std::size_t>(T) * half_width, dsp::Uninitialized{});
  dsp::fft_r2c_2d(T, T, tile.data(), spectrum.data());
  return spectrum;
}

}  // namespace

dsp::FftBuffer<dsp::cfloat> fold_and_transform(const dsp::Plane& image, const FrequencyMap& m) {
  return tile_spectrum(fold(image, m));
}

namespace {

// Where bin (u, v) of a tile spectrum is in the half spectrum, and whether it is the conjugate of the one
// stored there (Y[-k] = conj(Y[k]) for a real tile).
struct HalfSpectrumIndex {
  std::size_t index;
  bool conjugate;
};

HalfSpectrumIndex half_spectrum_index(int u, int v) noexcept {
  const int uu = (u % T + T) % T, vv = (v % T + T) % T;
  if (uu < half_width) return {static_cast<std::size_t>(vv * half_width + uu), false};
  return {static_cast<std::size_t>(((T - vv) % T) * half_width + (T - uu)), true};
}

dsp::cfloat tile_coefficient(const dsp::FftBuffer<dsp::cfloat>& Y, int u, int v) noexcept {
  const HalfSpectrumIndex at = half_spectrum_index(u, v);
  return at.conjugate ? std::conj(Y[at.index]) : Y[at.index];
}

// The tile spectrum that a fold under `m` would have on the annulus (up to the fold's nearest-cell rounding
// and per-cell averaging), read from the frame's spectrum: folding samples it at f = A k, Y[k] ~ H(A k).
// The annulus is closed under the lattice's symmetries, so it holds every bin the sync peaks read.
dsp::FftBuffer<dsp::cfloat> interpolated_tile_spectrum(const CentredSpectrum& frame, const FrequencyMap& m,
                                                       const std::vector<Bin>& annulus) {
  dsp::FftBuffer<dsp::cfloat> Y(static_cast<std::size_t>(T) * half_width);
  for (const Bin& b : annulus) {
    const dsp::cfloat y = frame.at(m.a * b.u + m.b * b.v, m.c * b.u + m.d * b.v);
    const HalfSpectrumIndex at = half_spectrum_index(b.u, b.v);
    Y[at.index] = at.conjugate ? std::conj(y) : y;
    const HalfSpectrumIndex twin = half_spectrum_index(-b.u, -b.v);  // Y[-k] = conj(Y[k])
    Y[twin.index] = twin.conjugate ? y : std::conj(y);
  }
  return Y;
}

struct SyncPeak {
  int candidate = 0;
  int symmetry = 0;
  double tx = 0, ty = 0;  ///< translation, sub-pixel
  double z = 0;           ///< peak height / RMS of the correlation surface
};

// Where a sync bin is read from a fold's spectrum under one symmetry, and where it (target) and its conjugate
// twin (mirror_target) go in the half spectrum of the correlation (-1: the other half, implied by Hermitian
// symmetry). Fixed per key and symmetry, so computed once: a detection evaluates hundreds of sync peaks.
struct SyncTap {
  int source;  ///< index in the fold's half spectrum
  bool conjugate_source;
  int target;
  int mirror_target;
  dsp::cfloat unit;  ///< the bin's known coefficient
};
using SyncTaps = std::array<std::vector<SyncTap>, symmetries.size()>;

SyncTaps sync_taps(const Layout& layout) {
  auto target_index = [](int u, int v) {  // -1: stored as its conjugate twin
    const HalfSpectrumIndex at = half_spectrum_index(u, v);
    return at.conjugate ? -1 : static_cast<int>(at.index);
  };
  SyncTaps taps;
  for (std::size_t g = 0; g < symmetries.size(); ++g) {
    const Symmetry& s = symmetries[g];
    for (const Bin& b : layout.sync) {
      const HalfSpectrumIndex source = half_spectrum_index(s.p * b.u + s.q * b.v, s.r * b.u + s.s * b.v);
      taps[g].push_back({static_cast<int>(source.index), source.conjugate, target_index(b.u, b.v),
                         target_index(-b.u, -b.v), b.unit()});
    }
  }
  return taps;
}

// Columns of a correlation's half spectrum that can be non-zero: the annulus has |u| <= 18.
constexpr int correlation_columns = 19;
static_assert((correlation_columns - 1) * (correlation_columns - 1) <= band_r2_max &&
              correlation_columns * correlation_columns > band_r2_max);

// Correlates the sync bins with the folded tile's spectrum `Y` read through one symmetry, over all
// cyclic translations at once (one inverse FFT; the correlation is real, so a half spectrum suffices).
PROVMARK_HOT_LOOP SyncPeak sync_peak(const dsp::FftBuffer<dsp::cfloat>& Y, const std::vector<SyncTap>& taps) {
  dsp::FftBuffer<dsp::cfloat> z(static_cast<std::size_t>(T) * half_width);
  double energy = 0;  // sum of |Z|^2 over the full spectrum: each bin and its conjugate twin
  for (const SyncTap& tap : taps) {
    const dsp::cfloat y = Y[static_cast<std::size_t>(tap.source)];
    const dsp::cfloat v = dsp::times_conj(tap.conjugate_source ? std::conj(y) : y, tap.unit);
    if (tap.target >= 0) z[static_cast<std::size_t>(tap.target)] += v;
    if (tap.mirror_target >= 0) z[static_cast<std::size_t>(tap.mirror_target)] += std::conj(v);
    energy += 2.0 * std::norm(v);
  }
  dsp::FftBuffer<float> corr(static_cast<std::size_t>(T) * T, dsp::Uninitialized{});
  dsp::fft_c2r_2d_low(T, T, correlation_columns, z.data(), corr.data());
  // The highest value in eight running maxima (independent, so they vectorise), then its first position.
  std::array<float, 8> lanes{};
  static_assert(tile_cells % lanes.size() == 0);
  std::copy_n(corr.data(), lanes.size(), lanes.begin());
  for (std::size_t i = lanes.size(); i < corr.size(); i += lanes.size())
    for (std::size_t j = 0; j < lanes.size(); ++j) lanes[j] = corr[i + j] > lanes[j] ? corr[i + j] : lanes[j];
  const float highest = *std::max_element(lanes.begin(), lanes.end());
  const auto best = static_cast<std::size_t>(std::find(corr.data(), corr.data() + corr.size(), highest) - corr.data());
  const int bx = static_cast<int>(best % T), by = static_cast<int>(best / T);
  auto at = [&](int x, int y) { return static_cast<double>(corr[tile_index(x, y)]); };
  const double c = at(bx, by);
  SyncPeak peak;
  peak.tx = bx + dsp::parabola_peak_offset(at(bx - 1, by), c, at(bx + 1, by));
  peak.ty = by + dsp::parabola_peak_offset(at(bx, by - 1), c, at(bx, by + 1));
  // RMS of the correlation surface by Parseval: the unnormalised inverse of Z has sum corr^2 = N sum |Z|^2.
  peak.z = c / std::sqrt(energy + 1e-30);
  return peak;
}

DecodedPayload decode(const dsp::FftBuffer<dsp::cfloat>& Y, const Layout& layout, const Symmetry& g, double tx,
                      double ty) {
  std::vector<float> soft(layout.data.size());
  double energy = 0;
  for (std::size_t j = 0; j < layout.data.size(); ++j) {
    const Bin& b = layout.data[j];
    const double shift = 2 * std::numbers::pi * (b.u * tx + b.v * ty) / T;
    const dsp::cfloat v = tile_coefficient(Y, g.p * b.u + g.q * b.v, g.r * b.u + g.s * b.v) * std::conj(b.unit()) *
                          std::polar(1.0f, static_cast<float>(shift));
    soft[j] = v.real();
    energy += std::norm(v);
  }
  const auto scale = static_cast<float>(1.0 / std::sqrt(energy / (2.0 * static_cast<double>(soft.size())) + 1e-30));
  for (float& s : soft) s *= scale;
  return decode_payload(soft);
}

}  // namespace

namespace {

// A fold of the frame under one geometry and its tile spectrum. Folds do not depend on the key, so
// every key of a keyring reads the same ones.
struct Fold {
  FrequencyMap map;
  dsp::FftBuffer<dsp::cfloat> spectrum;
};

// One key's view of the hypotheses examined so far and the decode attempts spent on them. Every attempt
// counts towards the false-alarm bound, so there are never more than max_decode_attempts.
class CandidateDecoder {
 public:
  CandidateDecoder(const WatermarkKey& key, const DetectOptions& options)
      : layout_(make_layout(key)), sync_taps_(sync_taps(layout_)), options_(options) {
    result_.coded_bits = coded_bit_count();
  }

  /// Strongest sync peak of a fold's spectrum over the 8 symmetries (ranking only, no attempt).
  [[nodiscard]] double sync_strength(const dsp::FftBuffer<dsp::cfloat>& spectrum) const {
    double z = 0;
    for (const auto& taps : sync_taps_) z = std::max(z, sync_peak(spectrum, taps).z);
    return z;
  }

  /// Offers the fold's 8 (symmetry, translation) peaks for decoding. The fold must outlive the decoder.
  void add(const Fold& fold) {
    folds_.push_back(&fold);
    for (std::size_t g = 0; g < symmetries.size(); ++g) {
      SyncPeak p = sync_peak(fold.spectrum, sync_taps_[g]);
      p.candidate = static_cast<int>(folds_.size() - 1);
      p.symmetry = static_cast<int>(g);
      pending_.push_back(p);
    }
  }

  /// Decodes the strongest untried peaks, at most `attempts` of them; true once a mark is found.
  bool decode_best(int attempts) {
    std::sort(pending_.begin(), pending_.end(), [](const SyncPeak& p, const SyncPeak& q) { return p.z > q.z; });
    while (attempts-- > 0 && used_ < max_decode_attempts && !pending_.empty()) {
      const SyncPeak p = pending_.front();
      pending_.erase(pending_.begin());
      ++used_;
      if (try_peak(p)) return true;
    }
    return false;
  }

  /// Forgets the untried peaks (their heights are not comparable with those of a differently filtered frame).
  void discard_pending() noexcept { pending_.clear(); }

  [[nodiscard]] const DetectResult& result() const noexcept { return result_; }

 private:
  bool try_peak(const SyncPeak& p) {
    const Symmetry& g = symmetries[static_cast<std::size_t>(p.symmetry)];
    const Fold& fold = *folds_[static_cast<std::size_t>(p.candidate)];
    const DecodedPayload d = decode(fold.spectrum, layout_, g, p.tx, p.ty);
    const double pfa = false_alarm_bound(max_decode_attempts, d);
    if (!d.crc_ok || pfa >= options_.max_false_alarm) {
      if (d.crc_ok) result_.false_alarm_probability = std::min(result_.false_alarm_probability, pfa);
      return false;
    }
    result_.found = true;
    result_.payload = d.payload;
    result_.corrected_bits = d.disagreements;
    result_.coded_bits = d.coded;
    result_.false_alarm_probability = pfa;
    // Geometry of the pattern in this frame: G = (T A^T)^-1, then the symmetry (V^-1 = V^T).
    const FrequencyMap& m = fold.map;
    const double det = m.a * m.d - m.b * m.c;
    const double g11 = m.d / (T * det), g12 = -m.c / (T * det), g21 = -m.b / (T * det), g22 = m.a / (T * det);
    const double h11 = g11 * g.p + g12 * g.q, h12 = g11 * g.r + g12 * g.s;
    const double h21 = g21 * g.p + g22 * g.q, h22 = g21 * g.r + g22 * g.s;
    result_.mirrored = h11 * h22 - h12 * h21 < 0;
    result_.scale_x = std::hypot(h11, h21);
    result_.scale_y = std::hypot(h12, h22);
    result_.rotation_deg = std::atan2(h21, h11) * 180.0 / std::numbers::pi;
    return true;
  }

  Layout layout_;
  SyncTaps sync_taps_;
  DetectOptions options_;
  std::vector<const Fold*> folds_;
  std::vector<SyncPeak> pending_;
  int used_ = 0;
  DetectResult result_;
};

// The folds of one frame, made once and shared by all keys (std::deque: references stay valid).
class FoldStore {
 public:
  const Fold& add(const dsp::Plane& image, const FrequencyMap& map) {
    return folds_.emplace_back(Fold{map, fold_and_transform(image, map)});
  }

 private:
  std::deque<Fold> folds_;
};

// Offers one fold to every key, each decoding its best peak; the index of the first key that finds its mark.
std::optional<std::size_t> try_all(std::vector<CandidateDecoder>& decoders, const Fold& fold) {
  for (std::size_t k = 0; k < decoders.size(); ++k) {
    decoders[k].add(fold);
    if (decoders[k].decode_best(1)) return k;
  }
  return std::nullopt;
}

}  // namespace

KeyringDetectResult detect_in_frame(const dsp::Plane& luma, std::span<const WatermarkKey> keys,
                                    const DetectOptions& options) {
  if (keys.empty()) return {};
  std::vector<CandidateDecoder> decoders;
  for (const WatermarkKey& key : keys) decoders.emplace_back(key, options);
  auto found = [&](std::size_t k) { return KeyringDetectResult{k, decoders[k].result()}; };
  FoldStore folds;
  const FrequencyMap identity{1.0 / T, 0, 0, 1.0 / T};
  // First the identity: an image re-encoded or cropped but not rescaled keeps the embedding's
  // geometry exactly. That is the common case, costs one fold, and finds even a mark too weak for
  // the spectral search (a small crop of a small picture). Tried on a cheap high-pass of the luma
  // before the whitening, which costs more than the rest of this path: an exported or re-encoded
  // picture is found there; only if that fails is the whitened frame folded.
  const dsp::Plane hp = high_pass(luma);
  if (const auto k = try_all(decoders, folds.add(hp, identity))) return found(*k);
  for (CandidateDecoder& decoder : decoders) decoder.discard_pending();
  const WhitenedFrame frame = whiten(luma);
  if (const auto k = try_all(decoders, folds.add(frame.image, identity))) return found(*k);
  for (CandidateDecoder& decoder : decoders) decoder.discard_pending();

  // The geometric search. Each key ranks the lattice hypotheses by its own sync peak in their tile spectra,
  // read from the whitened spectrum (no fold: 16 folds cost more than the rest of the ranking), then takes
  // its best few both as found and as polished on the spectrum: at low SNR polishing can drift, and the sync
  // peak tells which of the two is better. Those are folded, and the folds shared. They are folds of the
  // high-pass frame, not of the whitened one: rescaled and rotated marks decode with about a quarter fewer
  // corrected bits from it (spec 8.2).
  const std::vector<LatticeCandidate> candidates = find_lattice(frame, lattice_candidates);
  const std::vector<Bin> annulus = annulus_bins();
  std::vector<dsp::FftBuffer<dsp::cfloat>> ranking_spectra;
  for (const LatticeCandidate& c : candidates)
    ranking_spectra.push_back(interpolated_tile_spectrum(frame.spectrum, c.map, annulus));
  std::map<std::size_t, std::pair<const Fold*, const Fold*>> examined;  // candidate -> (as found, polished)
  for (std::size_t k = 0; k < decoders.size(); ++k) {
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      ranked.emplace_back(decoders[k].sync_strength(ranking_spectra[i]), i);
    std::sort(ranked.begin(), ranked.end(), [](const auto& p, const auto& q) { return p.first > q.first; });
    if (ranked.size() > static_cast<std::size_t>(polished_candidates)) ranked.resize(static_cast<std::size_t>(polished_candidates));
    for (const auto& [z, i] : ranked) {
      auto it = examined.find(i);
      if (it == examined.end()) {
        const Fold& as_found = folds.add(hp, candidates[i].map);
        it = examined.emplace(i, std::pair{&as_found, &folds.add(hp, refine_lattice(frame, candidates[i].map))}).first;
      }
      decoders[k].add(*it->second.first);
      decoders[k].add(*it->second.second);
    }
    if (decoders[k].decode_best(max_decode_attempts)) return found(k);
  }
  return {std::nullopt, decoders.front().result()};
}

}  // namespace provmark::wm

namespace provmark {

KeyringDetectResult detect_any(const ImageView& image, std::span<const WatermarkKey> keys, const DetectOptions& options) {
  check_view(image);
  wm::check_max_false_alarm(options.max_false_alarm);
  if (image.width < 16 || image.height < 16) return {};  // too small to hold a mark
  const auto frame = dsp::working_frame_size(image.width, image.height, wm::working_short_side);
  return wm::detect_in_frame(dsp::area_downsample_luma(image, frame.width, frame.height), keys, options);
}

DetectResult detect(const ImageView& image, const WatermarkKey& key, const DetectOptions& options) {
  return detect_any(image, std::span<const WatermarkKey>(&key, 1), options).result;
}

}  // namespace provmark
