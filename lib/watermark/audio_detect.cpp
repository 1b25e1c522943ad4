// SPDX-License-Identifier: Apache-2.0
// Audio watermark detection (spec/audio-watermark-v1.md#detection): the slot features are computed on a fine grid
// (every 2 ms), the period's start and the time and frequency scale are found by how well the group values fit the
// lattices whatever the bits (a sign-free statistic, so the false-alarm bound still holds), and the best candidates
// are decoded.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <utility>

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
constexpr int attempts_per_window = 3;
// On speech the lattice fit falls to a third 2 ms from the true start and to a tenth 4 ms from it, so the true start
// can rank well below the top coarse offsets: this many per scale are refined (only the fit decides, no decoding).
constexpr int coarse_candidates = 16;
// An instance's soft value is weighted by the mean lattice fit of the instances nearest to it in loudness: this many
// on each side (about 50 make the fit of noise 0 +- 0.1).
constexpr int reliability_neighbours = 25;
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
    std::vector<float> metric(static_cast<std::size_t>(offsets), 0.0f), value(static_cast<std::size_t>(offsets));
    const int first_period = coarse_first_period(scale);
    for (int k = first_period; k <= 0; ++k)
      for (int w = 0; w < pair_slots; ++w) {
        const int ca = position(k, 2 * w, scale.time), cb = position(k, 2 * w + 1, scale.time);
        const int first = std::max(0, (-ca + coarse_step - 1) / coarse_step);
        const int last = std::min(offsets - 1, (positions_ - 1 - cb) / coarse_step - (positions_ - 1 - cb < 0 ? 1 : 0));
        if (first > last) continue;
        // Fine position m * coarse_step + c is column m + (c - phase) / coarse_step of phase c mod coarse_step.
        const int phase_a = (ca % coarse_step + coarse_step) % coarse_step;
        const int phase_b = (cb % coarse_step + coarse_step) % coarse_step;
        const int shift_a = (ca - phase_a) / coarse_step, shift_b = (cb - phase_b) / coarse_step;
        for (int j = 0; j < groups_per_pair; ++j) {
          const int g = w * groups_per_pair + j;
          float* v = value.data();
          std::fill(v + first, v + last + 1, 0.0f);
          for (int i = 0; i < cells_per_group; ++i) {
            const auto b = static_cast<std::size_t>(cell_band(g, i));
            const float* row_a = &P[(static_cast<std::size_t>(phase_a) * bands + b) * columns];
            const float* row_b = &P[(static_cast<std::size_t>(phase_b) * bands + b) * columns];
            const float s = layout_.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)];
            for (int m = first; m <= last; ++m) v[m] += s * (row_a[m + shift_a] - row_b[m + shift_b]);
          }
          // 2 (v / Δ - d) in turns, v being the mean of the cells.
          constexpr float to_turns = 2.0f / (cells_per_group * static_cast<float>(lattice_step));
          const auto d2 = static_cast<float>(2 * layout_.dither[static_cast<std::size_t>(g)]);
          float* fit = metric.data();
          for (int m = first; m <= last; ++m) fit[m] += cos_turns_fast(v[m] * to_turns - d2);
        }
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
    const int first_period = coarse_first_period(scale);
    for (const Candidate& c : coarse(scale, coarse_candidates))
      for (int o = c.offset - coarse_step / 2; o <= c.offset + coarse_step / 2; ++o) {
        const double m = visit(scale, o, add_fit, first_period, 0);
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
        const Candidate here{visit(s, o, add_fit), s, o};
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
  wm::DecodedPayload decode(const Candidate& c) {
    struct Instance {
      int group;
      double turns;     // v / Δ - d
      double loudness;  // the quieter slot's mean feature over the group's bands
    };
    std::vector<Instance> instances;
    const std::vector<float>& L = features(c.scale.frequency);  // looked up once, not per instance
    visit(c.scale, c.offset, [&](int g, int fa, int fb, double value, double dither, double&) {
      instances.push_back(
          {g, value / lattice_step - dither, std::min(loudness(L, g, fa), loudness(L, g, fb))});
    });
    std::stable_sort(instances.begin(), instances.end(),
                     [](const Instance& a, const Instance& b) { return a.loudness < b.loudness; });
    const auto n = static_cast<int>(instances.size());
    std::vector<double> fit_sum(instances.size() + 1, 0.0);  // prefix sums of cos(4 pi r) in order of loudness
    for (int i = 0; i < n; ++i) fit_sum[i + 1] = fit_sum[i] + cos_turns(2 * instances[i].turns);
    std::vector<float> soft(static_cast<std::size_t>(wm::coded_bit_count()), 0.0f);
    for (int i = 0; i < n; ++i) {
      const int lo = std::max(0, i - reliability_neighbours), hi = std::min(n, i + reliability_neighbours + 1);
      const double weight = std::max(0.0, (fit_sum[hi] - fit_sum[lo]) / (hi - lo));
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
  static void add_fit(int, int, int, double value, double dither, double& sum) {
    sum += cos_turns(2 * (value / lattice_step - dither));
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

  // Calls f(group, fine position of slot a, of slot a + 1, value, dither, sum) for every group instance wholly inside
  // the window (of repetitions k_min to k_max only, if given); returns the sum.
  template <class F>
  double visit(const Scale& scale, int offset, F f, int k_min = std::numeric_limits<int>::min(),
               int k_max = std::numeric_limits<int>::max()) {
    const std::vector<float>& L = features(scale.frequency);
    const double period = period_slots * fine_per_slot * scale.time;
    const int k_first = std::max(k_min, static_cast<int>(std::floor(-offset / period)) - 1);
    const int k_last = std::min(k_max, static_cast<int>(std::ceil((positions_ - offset) / period)));
    double sum = 0;
    for (int k = k_first; k <= k_last; ++k)
      for (int w = 0; w < pair_slots; ++w) {
        const int fa = offset + position(k, 2 * w, scale.time), fb = offset + position(k, 2 * w + 1, scale.time);
        if (fa < 0 || fb >= positions_) continue;
        for (int j = 0; j < groups_per_pair; ++j) {
          const int g = w * groups_per_pair + j;
          double value = 0;
          for (int i = 0; i < cells_per_group; ++i) {
            const float* row = &L[static_cast<std::size_t>(cell_band(g, i)) * static_cast<std::size_t>(positions_)];
            value += layout_.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)] * (row[fa] - row[fb]);
          }
          f(g, fa, fb, value / cells_per_group, layout_.dither[static_cast<std::size_t>(g)], sum);
        }
      }
    return sum;
  }

  // Slot features at every fine position for one frequency scale, band-major: L[b * positions + f].
  const std::vector<float>& features(double frequency_scale) {
    auto [it, inserted] = features_.try_emplace(frequency_scale);
    if (!inserted) return it->second;
    std::vector<float>& L = it->second;
    L.resize(static_cast<std::size_t>(bands) * static_cast<std::size_t>(positions_));
    std::vector<double> frame_energy(static_cast<std::size_t>(positions_ + frame_gap) * bands);
    for (int f = 0; f < positions_ + frame_gap; ++f)
      band_energies(&power_[static_cast<std::size_t>(f) * spectrum_bins], frequency_scale,
                    &frame_energy[static_cast<std::size_t>(f) * bands]);
    double slot[bands], feature[bands];
    for (int f = 0; f < positions_; ++f) {
      for (int b = 0; b < bands; ++b)
        slot[b] = frame_energy[static_cast<std::size_t>(f) * bands + static_cast<std::size_t>(b)] +
                  frame_energy[static_cast<std::size_t>(f + frame_gap) * bands + static_cast<std::size_t>(b)];
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
  int attempts = 0;
  const auto attempt = [&](const Candidate& c) {
    ++attempts;
    const wm::DecodedPayload d = search.decode(c);
    const double pfa = wm::false_alarm_bound(attempts_budget, d);
    if (!best.found && (pfa < best.false_alarm || attempts == 1)) best = {false, d, c, pfa};
    if (d.crc_ok && pfa < options.max_false_alarm) best = {true, d, c, pfa};
    return best.found;
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
  for (std::size_t i = 0; i < finals.size() && attempts < attempts_per_window; ++i)
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
