// SPDX-License-Identifier: Apache-2.0
// Audio watermark detection (spec/audio-watermark-v2.md#detection): the slot features are computed on a fine grid
// (every 2 ms), the period's start and the time and frequency scale are found by how well the group values fit the
// lattices whatever the bits (a sign-free statistic, so the false-alarm bound still holds), and the best candidates
// are decoded.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <span>
#include <utility>

#include "dsp/clones.hpp"
#include "provmark/audio_watermark.hpp"
#include "watermark/audio_signal.hpp"
#include "watermark/layout.hpp"

namespace provmark {
namespace {

using namespace wm::audio;

constexpr int fine_hop = 16;                                     // 2 ms
constexpr int fine_per_slot = frames_per_slot * hop / fine_hop;  // 16
constexpr int frame_gap = hop / fine_hop;                        // a slot's second frame, 8 fine steps on
constexpr int coarse_step = 2;                                   // 4 ms: at most 2 ms from the true start
constexpr int window_samples = 30 * working_rate;                // examined at once
constexpr int min_last_window = period_samples;                  // a shorter tail joins the window before it
constexpr int alignments_per_window = 3;
// Each alignment is decoded as it is, and if that fails with every pair-slot at its best local shift (see
// aligned_pair_slots): two decode attempts each, which the false-alarm bound counts.
constexpr int attempts_per_window = 2 * alignments_per_window;
// On speech the lattice fit falls to a third 2 ms from the true start and to a tenth 4 ms from it, so the true start
// can rank well below the top coarse offsets: this many per scale are refined (only the fit decides, no decoding).
constexpr int coarse_candidates = 16;
// An instance's soft value is weighted by the square root of the mean lattice fit of the instances nearest to it in
// loudness, this many on each side (the fit of noise is then 0 +- 0.07; the square root and 50 rather than the mean
// and 25 raised S / sqrt(E) under noise by 0.3-3% over five keys, spec §7).
constexpr int reliability_neighbours = 50;
constexpr double window_seconds = static_cast<double>(window_samples) / working_rate;

struct Scale {
  double frequency = 1;  // pitch ratio
  double time = 1;       // duration ratio
};

// The original time scale first; then tempo (time only) and speed (time and pitch) changes of 0.5% to 2%.
std::vector<Scale> scales_to_try(bool search) {
  std::vector<Scale> out{{1, 1}};
  if (!search) return out;
  for (int i = 1; i <= 4; ++i)
    for (const double change : {1 + 0.005 * i, 1 - 0.005 * i}) {
      out.push_back({1, 1 / change});
      out.push_back({change, 1 / change});
    }
  return out;
}

// cos(2 pi x), to within 3e-7: the search evaluates it about 10^6 times per scale, where std::cos dominated the time.
double cos_turns(double x) {
  double y = std::abs(x - std::floor(x + 0.5));  // in [0, 1/2]
  const double sign = y > 0.25 ? -1.0 : 1.0;
  if (y > 0.25) y = 0.5 - y;                                                 // cos(2 pi y) = -cos(2 pi (1/2 - y))
  const double t = (2 * std::numbers::pi * y) * (2 * std::numbers::pi * y);  // <= (pi/2)^2: Taylor to t^5 suffices
  return sign * (1 + t * (-1.0 / 2 + t * (1.0 / 24 + t * (-1.0 / 720 + t * (1.0 / 40320 + t * (-1.0 / 3628800))))));
}

// The same in single precision and without branches, so that the coarse search's loop vectorises (to within 1e-6).
inline float cos_turns_fast(float x) {
  constexpr float round_magic = 12582912.0f;                         // 1.5 * 2^23: adding and subtracting it rounds
  const float a = std::fabs(x - ((x + round_magic) - round_magic));  // in [0, 1/2]
  const float z = 2 * std::numbers::pi_v<float> * (a - 0.25f);       // cos(2 pi a) = -sin(z), |z| <= pi/2
  const float t = z * z;
  return -z * (1 + t * (-1.0f / 6 + t * (1.0f / 120 + t * (-1.0f / 5040 + t * (1.0f / 362880 - t / 39916800)))));
}

// The coarse search's two loops, compiled for AVX2 too (dsp/clones.hpp). Inside the anonymous namespace: with
// external linkage, clang 14's ifunc for them crashed the Python module at load time under ASan.

struct CellRows {
  std::array<const float*, cells_per_group> a, b;  // a group's cells in slots a and a + 1, indexed by offset
  std::array<float, cells_per_group> sign;
};

// v of a group at offset m (its cells' mean times cells_per_group).
inline float cell_sum(const CellRows& c, int m) {
  static_assert(cells_per_group == 4);
  return c.sign[0] * (c.a[0][m] - c.b[0][m]) + c.sign[1] * (c.a[1][m] - c.b[1][m]) +
         c.sign[2] * (c.a[2][m] - c.b[2][m]) + c.sign[3] * (c.a[3][m] - c.b[3][m]);
}

// A group's fit cos(4 pi (v / Δ - d)) added at offsets first..last.
PROVMARK_HOT_LOOP void add_group_fit(const CellRows& c, float dither, int first, int last, float* fit) {
  constexpr float to_turns = 2.0f / (cells_per_group * static_cast<float>(lattice_step));
  const CellRows rows = c;  // a local copy: its pointers are then known not to change in the loop
  const float d2 = 2 * dither;
#pragma GCC ivdep
  for (int m = first; m <= last; ++m) fit[m] += cos_turns_fast(cell_sum(rows, m) * to_turns - d2);
}

// A same-bit pair's cos(2 pi (r1 - r2)), r = v / Δ - d, added at offsets first..last. The two values are computed
// again rather than kept from add_group_fit: keeping them took a buffer of 9 MB per window, whose page faults cost
// more than the arithmetic.
PROVMARK_HOT_LOOP void add_pair_fit(const CellRows& c1, const CellRows& c2, float dither_difference, int first,
                                    int last, float* fit) {
  constexpr float to_turns = 1.0f / (cells_per_group * static_cast<float>(lattice_step));
  const CellRows rows1 = c1, rows2 = c2;
#pragma GCC ivdep
  for (int m = first; m <= last; ++m)
    fit[m] += cos_turns_fast((cell_sum(rows1, m) - cell_sum(rows2, m)) * to_turns - dither_difference);
}

struct Candidate {
  double metric = 0;
  Scale scale;
  int offset = 0;  // fine frames
};

class WindowSearch {
 public:
  WindowSearch(std::span<const float> y, const AudioLayout& layout) : layout_(layout) {
    const int frames = y.size() >= frame_size ? static_cast<int>((y.size() - frame_size) / fine_hop) + 1 : 0;
    positions_ = std::max(0, frames - frame_gap);
    power_.resize(static_cast<std::size_t>(frames) * spectrum_bins);
    FrameTransform transform;
    for (int f = 0; f < frames; ++f) {
      const dsp::cfloat* s = transform.spectrum(y.data() + static_cast<std::ptrdiff_t>(f) * fine_hop);
      float* p = &power_[static_cast<std::size_t>(f) * spectrum_bins];
      for (int k = 0; k < spectrum_bins; ++k) p[k] = std::norm(s[k]);
    }
  }

  [[nodiscard]] int positions() const { return positions_; }

  // Coarse search of one scale: the best offsets (one per neighbourhood), strongest first.
  std::vector<Candidate> coarse(const Scale& scale, int keep) {
    const std::vector<float>& P = phase_split_features(scale.frequency);
    const auto columns = static_cast<std::size_t>(phase_columns());
    const int offsets = coarse_offsets(scale);
    const auto row = static_cast<std::size_t>(offsets);
    std::vector<float> metric(row, 0.0f);
    // An offset sees each group once (spec §6.3): in repetition 0 if that lies inside the window, else in repetition
    // -1; so a group has at most two ranges of offsets, one per repetition, and they do not overlap.
    struct Range {
      int first, last;
      CellRows cells;
    };
    struct Ranges {
      std::array<Range, 2> range;
      int count = 0;
      [[nodiscard]] std::span<const Range> all() const {
        return std::span(range).first(static_cast<std::size_t>(count));
      }
    };
    std::vector<Ranges> ranges(groups);
    std::array<int, pair_slots> last_in_repetition_0;
    last_in_repetition_0.fill(-1);
    for (int k = 0; k >= coarse_first_period(scale); --k)
      for (int w = 0; w < pair_slots; ++w) {
        const int ca = position(k, 2 * w, scale.time), cb = position(k, 2 * w + 1, scale.time);
        int first = std::max(0, (-ca + coarse_step - 1) / coarse_step);
        const int last = std::min(offsets - 1, (positions_ - 1 - cb) / coarse_step - (positions_ - 1 - cb < 0 ? 1 : 0));
        if (k == 0)
          last_in_repetition_0[static_cast<std::size_t>(w)] = last;
        else
          first = std::max(first, last_in_repetition_0[static_cast<std::size_t>(w)] + 1);
        if (first > last) continue;
        // Fine position m * coarse_step + c is column m + (c - phase) / coarse_step of phase c mod coarse_step.
        const int phase_a = (ca % coarse_step + coarse_step) % coarse_step;
        const int phase_b = (cb % coarse_step + coarse_step) % coarse_step;
        const int shift_a = (ca - phase_a) / coarse_step, shift_b = (cb - phase_b) / coarse_step;
        for (int j = 0; j < groups_per_pair; ++j) {
          const int g = w * groups_per_pair + j;
          const auto row_of = [&](int phase, int i, int shift) {
            const auto band = static_cast<std::size_t>(cell_band(g, i));
            return &P[(static_cast<std::size_t>(phase) * bands + band) * columns] + shift;
          };
          CellRows cells;
          for (int i = 0; i < cells_per_group; ++i) {
            cells.a[i] = row_of(phase_a, i, shift_a);  // offset m reads column m + shift; first is past a negative one
            cells.b[i] = row_of(phase_b, i, shift_b);
            cells.sign[i] = layout_.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)];
          }
          add_group_fit(cells, static_cast<float>(layout_.dither[static_cast<std::size_t>(g)]), first, last,
                        metric.data());
          Ranges& of_group = ranges[static_cast<std::size_t>(g)];
          of_group.range[static_cast<std::size_t>(of_group.count++)] = {first, last, cells};
        }
      }
    for (const auto& [g1, g2] : layout_.same_bit_pairs) {
      const auto dd = static_cast<float>(layout_.dither[g1] - layout_.dither[g2]);
      for (const Range& r1 : ranges[g1].all())
        for (const Range& r2 : ranges[g2].all())
          add_pair_fit(r1.cells, r2.cells, dd, std::max(r1.first, r2.first), std::min(r1.last, r2.last), metric.data());
    }
    std::vector<Candidate> best;
    constexpr int suppress = 12 / coarse_step;  // one candidate per 24 ms
    for (int pick = 0; pick < keep; ++pick) {
      const auto it = std::max_element(metric.begin(), metric.end());
      if (it == metric.end() || *it == -1e30f) break;
      const int m = static_cast<int>(it - metric.begin());
      best.push_back({*it, scale, m * coarse_step});
      for (int n = std::max(0, m - suppress); n <= std::min(offsets - 1, m + suppress); ++n)
        metric[static_cast<std::size_t>(n)] = -1e30f;
    }
    return best;
  }

  // The best of a scale's coarse_candidates best coarse offsets, each first tried on the fine positions around it with
  // the coarse search's instances, the winner then refined with all instances of the window.
  std::optional<Candidate> best_refined(const Scale& scale) {
    std::optional<Candidate> best;
    for (const Candidate& c : coarse(scale, coarse_candidates))
      for (int o = c.offset - coarse_step / 2; o <= c.offset + coarse_step / 2; ++o) {
        const double m = fit(scale, o, true);
        if (!best || m > best->metric) best = Candidate{m, scale, o};
      }
    if (best) best = refine(*best, 0).first;
    return best;
  }

  // The candidate's neighbourhood on the fine grid (and, with `time_steps`, time scales 0.1% apart), by the
  // sign-free statistic over the whole window: the best point and the runner-up (on time-stretched audio the fit can
  // favour one fine position where the bits read better at its neighbour).
  std::pair<Candidate, Candidate> refine(Candidate c, int time_steps) {
    Candidate best = c, second = c;
    best.metric = second.metric = -1e300;
    for (int t = -time_steps; t <= time_steps; ++t) {
      Scale s = c.scale;
      s.time = c.scale.time * (1 + 0.001 * t);
      for (int o = c.offset - coarse_step + 1; o < c.offset + coarse_step; ++o) {
        const Candidate here{fit(s, o), s, o};
        if (here.metric > best.metric) {
          second = best;
          best = here;
        } else if (here.metric > second.metric) {
          second = here;
        }
      }
    }
    return {best, second};
  }

  // Soft values (spec §6.4): each instance's -cos(2 pi r), weighted by how well the instances of about its loudness
  // fit the lattices. Quiet stretches (pauses in speech) drown in added noise, or lose their small mark to 16-bit
  // rounding; their values are then random and would only add errors. Loudness and fit are sign-free, so the
  // weights leave the false-alarm bound intact.
  wm::DecodedPayload decode(const Candidate& c, bool local_shifts) {
    struct Instance {
      int group;
      double turns;     // v / Δ - d
      double loudness;  // the quieter slot's mean feature over the group's bands
    };
    std::vector<Instance> instances;
    const std::vector<float>& L = features(c.scale.frequency);  // looked up once, not per instance
    for (const auto& [w, fa, fb] : aligned_pair_slots(c, local_shifts)) {
      for (int j = 0; j < groups_per_pair; ++j) {
        const int g = w * groups_per_pair + j;
        instances.push_back({g, turns(L, g, fa, fb), std::min(loudness(L, g, fa), loudness(L, g, fb))});
      }
    }
    std::stable_sort(instances.begin(), instances.end(),
                     [](const Instance& a, const Instance& b) { return a.loudness < b.loudness; });
    const auto n = static_cast<int>(instances.size());
    std::vector<double> fit_sum(instances.size() + 1, 0.0);  // prefix sums of cos(4 pi r) in order of loudness
    for (int i = 0; i < n; ++i) fit_sum[i + 1] = fit_sum[i] + cos_turns(2 * instances[i].turns);
    std::vector<float> soft(static_cast<std::size_t>(wm::coded_bit_count()), 0.0f);
    for (int i = 0; i < n; ++i) {
      const int lo = std::max(0, i - reliability_neighbours), hi = std::min(n, i + reliability_neighbours + 1);
      const double weight = std::sqrt(std::max(0.0, (fit_sum[hi] - fit_sum[lo]) / (hi - lo)));
      soft[layout_.role[static_cast<std::size_t>(instances[i].group)]] -=
          static_cast<float>(weight * cos_turns(instances[i].turns));
    }
    return wm::decode_payload(soft);
  }

 private:
  static int coarse_offsets(const Scale& scale) {
    return static_cast<int>(std::ceil(period_samples / fine_hop * scale.time / coarse_step));
  }
  // Every coarse offset must see each group once: period 0 does when the window holds two periods; otherwise period
  // -1 fills in what lies before the offset.
  [[nodiscard]] int coarse_first_period(const Scale& scale) const {
    return positions_ >= 2 * coarse_offsets(scale) * coarse_step ? 0 : -1;
  }
  // The sign-free statistic M of an alignment (spec §6.2): cos(4 pi r) of every instance and cos(2 pi (r1 - r2)) of
  // every pair of instances of the same coded bit. Smaller groups (version 2) read well enough to decode after lossy
  // coding while their own fit, a second harmonic, fades: the pairs' first harmonic keeps the alignment findable.
  double fit(const Scale& scale, int offset, bool each_group_once = false) {
    const std::vector<float>& L = features(scale.frequency);
    std::vector<std::pair<int, double>>& by_bit = turns_scratch_;
    by_bit.clear();
    double sum = 0;
    for_each_pair_slot(scale, offset, each_group_once, [&](int w, int fa, int fb) {
      for (int g = w * groups_per_pair; g < (w + 1) * groups_per_pair; ++g) {
        const double r = turns(L, g, fa, fb);
        sum += cos_turns(2 * r);
        by_bit.emplace_back(layout_.role[static_cast<std::size_t>(g)], r);
      }
    });
    // The instances grouped by coded bit: a counting sort (the refinement calls this a few thousand times).
    std::vector<int>& start = bit_start_;
    start.assign(static_cast<std::size_t>(wm::coded_bit_count()) + 1, 0);
    for (const auto& [bit, r] : by_bit) ++start[static_cast<std::size_t>(bit) + 1];
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    std::vector<double>& sorted = turns_by_bit_;
    sorted.resize(by_bit.size());
    for (const auto& [bit, r] : by_bit) sorted[static_cast<std::size_t>(start[static_cast<std::size_t>(bit)]++)] = r;
    // start[bit] is now the end of the bit's run, the start of the next one.
    for (std::size_t bit = 0, begin = 0; bit + 1 < start.size(); begin = static_cast<std::size_t>(start[bit++]))
      for (auto i = begin; i < static_cast<std::size_t>(start[bit]); ++i)
        for (auto j = i + 1; j < static_cast<std::size_t>(start[bit]); ++j) sum += cos_turns(sorted[i] - sorted[j]);
    return sum;
  }

  // The pair-slots of an alignment where it puts them or, with local_shifts, each where it fits best within
  // ±max_shift fine positions: time-stretching by overlap-add (WSOLA) moves stretches of the signal by a few ms
  // against one another. The shift is chosen by the sign-free fit cos(4 pi r) summed over the pair-slot and its
  // neighbours (spec §6.3), so the choice does not depend on the bits.
  struct PairSlotAt {
    int w, fa, fb;
  };
  std::vector<PairSlotAt> aligned_pair_slots(const Candidate& c, bool local_shifts) {
    std::vector<PairSlotAt> at;
    for_each_pair_slot(c.scale, c.offset, false, [&](int w, int fa, int fb) { at.push_back({w, fa, fb}); });
    if (!local_shifts) return at;
    constexpr int max_shift = 2, shifts = 2 * max_shift + 1, neighbours = 4;
    const std::vector<float>& L = features(c.scale.frequency);
    // The fit of each pair-slot's 6 groups at each shift; none where the shift takes it out of the window.
    std::vector<std::array<std::optional<double>, shifts>> fit(at.size());
    for (std::size_t t = 0; t < at.size(); ++t)
      for (int d = -max_shift; d <= max_shift; ++d) {
        const auto [w, fa, fb] = at[t];
        if (fa + d < 0 || fb + d >= positions_) continue;
        double sum = 0;
        for (int g = w * groups_per_pair; g < (w + 1) * groups_per_pair; ++g)
          sum += cos_turns(2 * turns(L, g, fa + d, fb + d));
        fit[t][static_cast<std::size_t>(d + max_shift)] = sum;
      }
    std::vector<PairSlotAt> out(at);
    const auto n = static_cast<int>(at.size());
    for (int t = 0; t < n; ++t) {
      int best_shift = 0;
      double best = -std::numeric_limits<double>::infinity();
      for (int d = 0; d < shifts; ++d) {
        if (!fit[static_cast<std::size_t>(t)][static_cast<std::size_t>(d)]) continue;
        double sum = 0;  // neighbours that this shift takes out of the window count nothing
        for (int u = std::max(0, t - neighbours); u <= std::min(n - 1, t + neighbours); ++u)
          sum += fit[static_cast<std::size_t>(u)][static_cast<std::size_t>(d)].value_or(0.0);
        if (sum > best) {
          best = sum;
          best_shift = d - max_shift;
        }
      }
      out[static_cast<std::size_t>(t)].fa += best_shift;
      out[static_cast<std::size_t>(t)].fb += best_shift;
    }
    return out;
  }

  // r = v / Δ - d of group g with its slots at fine positions fa and fb.
  double turns(const std::vector<float>& L, int g, int fa, int fb) const {
    double value = 0;
    for (int i = 0; i < cells_per_group; ++i) {
      const float* row = &L[static_cast<std::size_t>(cell_band(g, i)) * static_cast<std::size_t>(positions_)];
      value += layout_.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)] * (row[fa] - row[fb]);
    }
    return value / cells_per_group / lattice_step - layout_.dither[static_cast<std::size_t>(g)];
  }

  // Mean feature over group g's bands of the slot at fine position f.
  double loudness(const std::vector<float>& L, int g, int f) const {
    double sum = 0;
    for (int i = 0; i < cells_per_group; ++i)
      sum += L[static_cast<std::size_t>(cell_band(g, i)) * static_cast<std::size_t>(positions_) +
               static_cast<std::size_t>(f)];
    return sum / cells_per_group;
  }

  // Fine-grid position of slot `slot` of period k relative to the offset, at time scale `time`.
  static int position(int k, int slot, double time) {
    return static_cast<int>(std::lround((k * period_slots + slot) * fine_per_slot * time));
  }

  // Calls f(w, fine position of slot a, of slot a + 1) for every pair-slot of the alignment wholly inside the window,
  // in time order; with each_group_once, as the coarse search counts them (its repetition 0 if inside the window,
  // else its repetition -1).
  template <class F>
  void for_each_pair_slot(const Scale& scale, int offset, bool each_group_once, F f) const {
    const double period = period_slots * fine_per_slot * scale.time;
    const int k_first = each_group_once ? -1 : static_cast<int>(std::floor(-offset / period)) - 1;
    const int k_last = each_group_once ? 0 : static_cast<int>(std::ceil((positions_ - offset) / period));
    const auto inside = [&](int fa, int fb) { return fa >= 0 && fb < positions_; };
    for (int k = k_first; k <= k_last; ++k)
      for (int w = 0; w < pair_slots; ++w) {
        const int fa = offset + position(k, 2 * w, scale.time), fb = offset + position(k, 2 * w + 1, scale.time);
        if (!inside(fa, fb)) continue;
        if (each_group_once && k == -1 &&
            inside(offset + position(0, 2 * w, scale.time), offset + position(0, 2 * w + 1, scale.time)))
          continue;
        f(w, fa, fb);
      }
  }

  // Slot features at every fine position for one frequency scale, band-major: L[b * positions + f].
  const std::vector<float>& features(double frequency_scale) {
    auto [it, inserted] = features_.try_emplace(frequency_scale);
    if (!inserted) return it->second;
    std::vector<float>& L = it->second;
    L.resize(static_cast<std::size_t>(bands) * static_cast<std::size_t>(positions_));
    // A slot is the frames at f and f + frame_gap: the band energies of the last frame_gap + 1 frames suffice.
    constexpr int ring = frame_gap + 1;
    double frame_energy[ring][bands], feature[bands], slot[bands];
    const auto energies_of = [&](int f) {
      band_energies(&power_[static_cast<std::size_t>(f) * spectrum_bins], frequency_scale, frame_energy[f % ring]);
    };
    for (int f = 0; f < frame_gap; ++f) energies_of(f);
    for (int f = 0; f < positions_; ++f) {
      energies_of(f + frame_gap);
      for (int b = 0; b < bands; ++b) slot[b] = frame_energy[f % ring][b] + frame_energy[(f + frame_gap) % ring][b];
      slot_features(slot, feature);
      for (int b = 0; b < bands; ++b)
        L[static_cast<std::size_t>(b) * static_cast<std::size_t>(positions_) + static_cast<std::size_t>(f)] =
            static_cast<float>(feature[b]);
    }
    return L;
  }

  // The features split by fine position modulo coarse_step, so that the coarse search reads contiguous memory:
  // P[(phase * bands + b) * columns + c] = L[b * positions + c * coarse_step + phase].
  [[nodiscard]] int phase_columns() const { return (positions_ + coarse_step - 1) / coarse_step; }
  const std::vector<float>& phase_split_features(double frequency_scale) {
    auto [it, inserted] = phase_split_.try_emplace(frequency_scale);
    if (!inserted) return it->second;
    const std::vector<float>& L = features(frequency_scale);
    const auto columns = static_cast<std::size_t>(phase_columns());
    std::vector<float>& P = it->second;
    P.assign(coarse_step * bands * columns, 0.0f);
    for (int phase = 0; phase < coarse_step; ++phase)
      for (std::size_t b = 0; b < bands; ++b)
        for (int f = phase, c = 0; f < positions_; f += coarse_step, ++c)
          P[(static_cast<std::size_t>(phase) * bands + b) * columns + static_cast<std::size_t>(c)] =
              L[b * static_cast<std::size_t>(positions_) + static_cast<std::size_t>(f)];
    return P;
  }

  const AudioLayout& layout_;
  int positions_ = 0;
  std::vector<float> power_;
  std::map<double, std::vector<float>> features_, phase_split_;  // by frequency scale
  std::vector<std::pair<int, double>> turns_scratch_;            // fit(): coded bit and r of each instance
  std::vector<int> bit_start_;                                   // fit(): runs of each coded bit in turns_by_bit_
  std::vector<double> turns_by_bit_;
};

struct WindowResult {
  bool found = false;
  wm::DecodedPayload decoded;
  Candidate candidate;
  double false_alarm = 1;
};

WindowResult search_window(std::span<const float> y, const AudioLayout& layout, const AudioDetectOptions& options,
                           int attempts_budget) {
  WindowResult best;
  WindowSearch search(y, layout);
  if (search.positions() < 2 * fine_per_slot) return best;
  int alignments = 0, attempts = 0;
  const auto attempt = [&](const Candidate& c) {
    ++alignments;
    for (const bool local_shifts : {false, true}) {
      ++attempts;
      const wm::DecodedPayload d = search.decode(c, local_shifts);
      const double pfa = wm::false_alarm_bound(attempts_budget, d);
      if (!best.found && (pfa < best.false_alarm || attempts == 1)) best = {false, d, c, pfa};
      if (d.crc_ok && pfa < options.max_false_alarm) best = {true, d, c, pfa};
      if (best.found) return true;
    }
    return false;
  };
  const std::vector<Scale> scales = scales_to_try(options.search_time_scale);
  // The original scale first: most content is not sped up, and a find there ends the search.
  const std::optional<Candidate> identity = search.best_refined(scales.front());
  if (identity && attempt(*identity)) return best;
  if (scales.size() == 1) return best;
  // Then the best remaining candidates by the fit: the runner-up of the original scale and the best two other scales,
  // refined in time scale too, with their runners-up.
  std::vector<Candidate> others;
  for (std::size_t i = 1; i < scales.size(); ++i)
    if (const std::optional<Candidate> found = search.best_refined(scales[i])) others.push_back(*found);
  const auto stronger = [](const Candidate& a, const Candidate& b) { return a.metric > b.metric; };
  std::sort(others.begin(), others.end(), stronger);
  std::vector<Candidate> finals;
  if (identity) finals.push_back(search.refine(*identity, 0).second);
  for (std::size_t i = 0; i < others.size() && i < 2; ++i) {
    const auto [first, second] = search.refine(others[i], 2);
    finals.push_back(first);
    finals.push_back(second);
  }
  std::sort(finals.begin(), finals.end(), stronger);
  for (std::size_t i = 0; i < finals.size() && alignments < alignments_per_window; ++i)
    if (attempt(finals[i])) return best;
  return best;
}

}  // namespace

AudioDetectResult detect(const AudioView& audio, const WatermarkKey& key, const AudioDetectOptions& options) {
  check_view(audio);
  wm::check_max_false_alarm(options.max_false_alarm);
  const AudioLayout layout = make_audio_layout(key);
  const std::vector<float> y = working_signal(audio);
  // A day of audio at most, whatever the caller asked (NaN and infinity included): the attempts are counted from it.
  const double max_seconds = std::isnan(options.max_seconds) ? 0.0 : std::clamp(options.max_seconds, 0.0, 86400.0);
  const auto examined =
      static_cast<std::size_t>(std::min<double>(static_cast<double>(y.size()), max_seconds * working_rate));
  const int windows_budget = std::max(1, static_cast<int>(std::ceil(max_seconds / window_seconds)));
  AudioDetectResult result;
  result.coded_bits = wm::coded_bit_count();
  for (std::size_t start = 0; start < examined || start == 0;) {
    std::size_t length = std::min<std::size_t>(window_samples, examined - std::min(examined, start));
    if (examined - start - length < static_cast<std::size_t>(min_last_window)) length = examined - start;
    const WindowResult w = search_window(std::span<const float>(y).subspan(start, length), layout, options,
                                         windows_budget * attempts_per_window);
    if (w.found || w.false_alarm < result.false_alarm_probability) {
      result.found = w.found;
      result.payload = w.decoded.payload;
      result.corrected_bits = w.decoded.disagreements;
      result.false_alarm_probability = w.false_alarm;
      result.time_scale = w.candidate.scale.time;
      result.frequency_scale = w.candidate.scale.frequency;
      // Offsets a period apart are the same alignment (the search's reach a little past one): the first is reported.
      const double period = period_slots * fine_per_slot * w.candidate.scale.time;
      const double offset = w.candidate.offset - period * std::floor(w.candidate.offset / period);
      result.offset_seconds = (static_cast<double>(start) + offset * fine_hop) / working_rate;
    }
    if (w.found) break;
    start += std::max<std::size_t>(length, 1);
    if (start >= examined) break;
  }
  if (!result.found) {  // the best failed attempt's bound and corrections stay; its alignment means nothing
    result.payload = Payload{};
    result.time_scale = result.frequency_scale = 1;
    result.offset_seconds = 0;
  }
  return result;
}

}  // namespace provmark
