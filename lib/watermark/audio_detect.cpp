// SPDX-License-Identifier: Apache-2.0
// Audio watermark detection (spec/audio-watermark-v1.md#detection): the slot features are computed on a fine grid
// (every 2 ms), the period's start and the time and frequency scale are found by how well the group values fit the
// lattices whatever the bits (a sign-free statistic, so the false-alarm bound still holds), and the best candidates
// are decoded.
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "provmark/audio_watermark.hpp"
#include "watermark/audio_signal.hpp"
#include "watermark/layout.hpp"

namespace provmark {
namespace {

using namespace wm::audio;

constexpr int fine_hop = 16;                                     // 2 ms
constexpr int fine_per_slot = frames_per_slot * hop / fine_hop;  // 16
constexpr int frame_gap = hop / fine_hop;                        // a slot's second frame, 8 fine steps on
constexpr int coarse_step = 4;                                   // 8 ms: at most 4 ms from the true start
constexpr int window_samples = 30 * working_rate;                // examined at once
constexpr int min_last_window = period_samples;                  // a shorter tail joins the window before it
constexpr int attempts_per_window = 3;
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
    const std::vector<float>& L = features(scale.frequency);
    const int offsets = static_cast<int>(std::ceil(period_samples / fine_hop * scale.time / coarse_step));
    std::vector<double> metric(static_cast<std::size_t>(offsets), 0.0), value(static_cast<std::size_t>(offsets));
    // Every offset must see each group once: period 0 does when the window holds two periods; otherwise period -1
    // fills in what lies before the offset.
    const int first_period = positions_ >= 2 * offsets * coarse_step ? 0 : -1;
    for (int k = first_period; k <= 0; ++k)
      for (int w = 0; w < pair_slots; ++w) {
        const int ca = position(k, 2 * w, scale.time), cb = position(k, 2 * w + 1, scale.time);
        const int first = std::max(0, (-ca + coarse_step - 1) / coarse_step);
        const int last = std::min(offsets - 1, (positions_ - 1 - cb) / coarse_step - (positions_ - 1 - cb < 0 ? 1 : 0));
        if (first > last) continue;
        for (int j = 0; j < groups_per_pair; ++j) {
          const int g = w * groups_per_pair + j;
          std::fill(value.begin() + first, value.begin() + last + 1, 0.0);
          for (int i = 0; i < cells_per_group; ++i) {
            const float* row = &L[static_cast<std::size_t>(cell_band(g, i)) * static_cast<std::size_t>(positions_)];
            const double s = layout_.sign[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)];
            for (int m = first; m <= last; ++m)
              value[static_cast<std::size_t>(m)] += s * (row[m * coarse_step + ca] - row[m * coarse_step + cb]);
          }
          const double d = layout_.dither[static_cast<std::size_t>(g)];
          for (int m = first; m <= last; ++m)
            metric[static_cast<std::size_t>(m)] +=
                cos_turns(2 * (value[static_cast<std::size_t>(m)] / cells_per_group / lattice_step - d));
        }
      }
    std::vector<Candidate> best;
    for (int pick = 0; pick < keep; ++pick) {
      const auto it = std::max_element(metric.begin(), metric.end());
      if (it == metric.end() || *it == -1e300) break;
      const int m = static_cast<int>(it - metric.begin());
      best.push_back({*it, scale, m * coarse_step});
      for (int n = std::max(0, m - 3); n <= std::min(offsets - 1, m + 3); ++n)
        metric[static_cast<std::size_t>(n)] = -1e300;
    }
    return best;
  }

  // The candidate's neighbourhood on the fine grid (and, with `time_steps`, time scales 0.1% apart), by the
  // sign-free statistic over the whole window.
  Candidate refine(Candidate c, int time_steps) {
    Candidate best = c;
    best.metric = -1e300;
    for (int t = -time_steps; t <= time_steps; ++t) {
      Scale s = c.scale;
      s.time = c.scale.time * (1 + 0.001 * t);
      for (int o = c.offset - coarse_step + 1; o < c.offset + coarse_step; ++o) {
        const double m = visit(s, o, [](int, double value, double dither, double& sum) {
          sum += cos_turns(2 * (value / lattice_step - dither));
        });
        if (m > best.metric) best = {m, s, o};
      }
    }
    return best;
  }

  wm::DecodedPayload decode(const Candidate& c) {
    std::vector<float> soft(static_cast<std::size_t>(wm::coded_bit_count()), 0.0f);
    visit(c.scale, c.offset, [&](int g, double value, double dither, double&) {
      soft[layout_.role[static_cast<std::size_t>(g)]] -= static_cast<float>(cos_turns(value / lattice_step - dither));
    });
    return wm::decode_payload(soft);
  }

 private:
  // Fine-grid position of slot `slot` of period k relative to the offset, at time scale `time`.
  static int position(int k, int slot, double time) {
    return static_cast<int>(std::lround((k * period_slots + slot) * fine_per_slot * time));
  }

  // Calls f(group, value, dither, sum) for every group instance wholly inside the window; returns the sum.
  template <class F>
  double visit(const Scale& scale, int offset, F f) {
    const std::vector<float>& L = features(scale.frequency);
    const double period = period_slots * fine_per_slot * scale.time;
    const int k_first = static_cast<int>(std::floor(-offset / period)) - 1;
    const int k_last = static_cast<int>(std::ceil((positions_ - offset) / period));
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
          f(g, value / cells_per_group, layout_.dither[static_cast<std::size_t>(g)], sum);
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

  const AudioLayout& layout_;
  int positions_ = 0;
  std::vector<float> power_;
  std::map<double, std::vector<float>> features_;
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
  const std::vector<Candidate> identity = search.coarse(scales.front(), 1);
  if (!identity.empty() && attempt(search.refine(identity.front(), 0))) return best;
  if (scales.size() == 1) return best;
  std::vector<Candidate> others;
  for (std::size_t i = 1; i < scales.size(); ++i) {
    const std::vector<Candidate> found = search.coarse(scales[i], 1);
    others.insert(others.end(), found.begin(), found.end());
  }
  std::sort(others.begin(), others.end(), [](const Candidate& a, const Candidate& b) { return a.metric > b.metric; });
  for (std::size_t i = 0; i < others.size() && attempts < attempts_per_window; ++i)
    if (attempt(search.refine(others[i], 2))) return best;
  return best;
}

}  // namespace

AudioDetectResult detect(const AudioView& audio, const WatermarkKey& key, const AudioDetectOptions& options) {
  check_view(audio);
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
      result.offset_seconds = (static_cast<double>(start) + w.candidate.offset * fine_hop) / working_rate;
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
