// SPDX-License-Identifier: Apache-2.0
// Audio watermark embedding (spec/audio-watermark-v2.md#embedding): the band energies of the working signal are
// scaled until every group's value sits on its bit's lattice, by the smallest change in energy; the change is made
// at 8 kHz and added, upsampled, to every channel.
#include <algorithm>
#include <cmath>

#include "core/fail.hpp"
#include "dsp/audio_resample.hpp"
#include "provmark/audio_watermark.hpp"
#include "watermark/audio_signal.hpp"
#include "watermark/layout.hpp"

namespace provmark {
namespace {

using namespace wm::audio;

// Measuring again after each change corrects for what overlap-add does at slot edges; four rounds put nearly
// every group on its lattice point.
constexpr int rounds = 4;
// Log-energy gain limits per round and in total (x0.78 .. x1.28 and x0.61 .. x1.65 in amplitude).
constexpr double max_round_gain = 0.5;
constexpr double max_total_gain = 1.0;

class Embedder {
 public:
  Embedder(std::vector<float> signal, const wm::audio::AudioLayout& layout, std::vector<std::uint8_t> coded)
      : y_(std::move(signal)), layout_(layout), coded_(std::move(coded)) {
    frames_ = y_.size() >= frame_size ? static_cast<int>((y_.size() - frame_size) / hop) + 1 : 0;
    slots_ = frames_ / frames_per_slot;
    spectra_.resize(static_cast<std::size_t>(frames_) * spectrum_bins);
    for (int t = 0; t < frames_; ++t) {
      const dsp::cfloat* s = transform_.spectrum(y_.data() + static_cast<std::ptrdiff_t>(t) * hop);
      std::copy_n(s, spectrum_bins, spectra_.begin() + static_cast<std::ptrdiff_t>(t) * spectrum_bins);
    }
    gains_.assign(static_cast<std::size_t>(slots_) * bands, 0.0);
    delta_.assign(y_.size(), 0.0f);
  }

  std::vector<float> run() {
    for (int round = 0; round < rounds; ++round) {
      measure();
      step(round == 0);
      synthesise();
    }
    return std::move(delta_);
  }

 private:
  // Energies and features of every slot of the marked signal y + delta.
  void measure() {
    energy_.assign(static_cast<std::size_t>(slots_) * bands, 0.0);
    std::vector<float> marked(y_.size());
    for (std::size_t i = 0; i < y_.size(); ++i) marked[i] = y_[i] + delta_[i];
    double frame_energy[bands];
    for (int t = 0; t < slots_ * frames_per_slot; ++t) {
      band_energies(transform_.spectrum(marked.data() + static_cast<std::ptrdiff_t>(t) * hop), 1.0, frame_energy);
      double* slot = &energy_[static_cast<std::size_t>(t / frames_per_slot) * bands];
      for (int b = 0; b < bands; ++b) slot[b] += frame_energy[b];
    }
    feature_.resize(energy_.size());
    for (int u = 0; u < slots_; ++u)
      slot_features(&energy_[static_cast<std::size_t>(u) * bands], &feature_[static_cast<std::size_t>(u) * bands]);
  }

  [[nodiscard]] double floor_of(int slot) const {
    double mean = 0;
    for (int b = 0; b < bands; ++b)
      mean += energy_[static_cast<std::size_t>(slot) * bands + static_cast<std::size_t>(b)];
    return floor_ratio * mean / bands + energy_epsilon;
  }

  // Moves every group instance towards its target with the least energy: the gain of a slot's band is
  // proportional to its feature's sensitivity over its energy, 1 / (E + floor).
  void step(bool first) {
    const int repeats = (slots_ + period_slots - 1) / period_slots;
    if (first) targets_.assign(static_cast<std::size_t>(repeats) * groups, 0.0);
    for (int k = 0; k < repeats; ++k)
      for (int g = 0; g < groups; ++g) {
        const int ua = k * period_slots + 2 * group_pair_slot(g), ub = ua + 1;
        if (ub >= slots_) continue;
        const auto& sign = layout_.sign[static_cast<std::size_t>(g)];
        const double fa = floor_of(ua), fb = floor_of(ub);
        double value = 0, cost = 0;
        for (int i = 0; i < cells_per_group; ++i) {
          const int b = cell_band(g, i);
          value += sign[static_cast<std::size_t>(i)] * (feature(ua, b) - feature(ub, b));
          cost += energy(ua, b) / ((energy(ua, b) + fa) * (energy(ua, b) + fa)) +
                  energy(ub, b) / ((energy(ub, b) + fb) * (energy(ub, b) + fb));
        }
        value /= cells_per_group;
        double& target = targets_[static_cast<std::size_t>(k) * groups + static_cast<std::size_t>(g)];
        if (first) target = lattice_point(g, value);
        if (cost < 1e-300) continue;  // silence: nothing to scale
        const double lambda = cells_per_group * (target - value) / cost;
        for (int i = 0; i < cells_per_group; ++i) {
          const int b = cell_band(g, i);
          const double s = sign[static_cast<std::size_t>(i)];
          gain(ua, b) += std::clamp(lambda * s / (energy(ua, b) + fa), -max_round_gain, max_round_gain);
          gain(ub, b) += std::clamp(-lambda * s / (energy(ub, b) + fb), -max_round_gain, max_round_gain);
        }
      }
    for (double& g : gains_) g = std::clamp(g, -max_total_gain, max_total_gain);
  }

  // The nearest point of the lattice Δ (Z + dither + bit / 2).
  [[nodiscard]] double lattice_point(int g, double value) const {
    const double shift =
        layout_.dither[static_cast<std::size_t>(g)] + 0.5 * coded_[layout_.role[static_cast<std::size_t>(g)]];
    return lattice_step * (std::round(value / lattice_step - shift) + shift);
  }

  // delta = overlap-add of window * inverse((exp(gain / 2) - 1) * X).
  void synthesise() {
    std::fill(delta_.begin(), delta_.end(), 0.0f);
    std::vector<dsp::cfloat> change(spectrum_bins);
    for (int t = 0; t < slots_ * frames_per_slot; ++t) {
      std::fill(change.begin(), change.end(), dsp::cfloat{});
      const dsp::cfloat* x = &spectra_[static_cast<std::size_t>(t) * spectrum_bins];
      bool any = false;
      for (int b = 0; b < bands; ++b) {
        const double g = gains_[static_cast<std::size_t>(t / frames_per_slot) * bands + static_cast<std::size_t>(b)];
        if (g == 0) continue;
        any = true;
        const auto factor = static_cast<float>(std::exp(g / 2) - 1);
        for (int k = first_bin + band_bins * b; k < first_bin + band_bins * (b + 1); ++k)
          change[static_cast<std::size_t>(k)] = factor * x[k];
      }
      if (any) transform_.add_inverse(change.data(), delta_.data() + static_cast<std::ptrdiff_t>(t) * hop);
    }
  }

  double& gain(int slot, int band) {
    return gains_[static_cast<std::size_t>(slot) * bands + static_cast<std::size_t>(band)];
  }
  [[nodiscard]] double energy(int slot, int band) const {
    return energy_[static_cast<std::size_t>(slot) * bands + static_cast<std::size_t>(band)];
  }
  [[nodiscard]] double feature(int slot, int band) const {
    return feature_[static_cast<std::size_t>(slot) * bands + static_cast<std::size_t>(band)];
  }

  std::vector<float> y_;
  const wm::audio::AudioLayout& layout_;
  std::vector<std::uint8_t> coded_;
  FrameTransform transform_;
  int frames_ = 0;
  int slots_ = 0;
  std::vector<dsp::cfloat> spectra_;
  std::vector<double> gains_, energy_, feature_, targets_;
  std::vector<float> delta_;
};

}  // namespace

void embed_into(const MutableAudioView& audio, const Payload& payload, const WatermarkKey& key) {
  check_view(audio);
  if (AudioView(audio).duration_seconds() < audio_watermark_min_seconds)
    fail(Errc::invalid_argument, "audio watermark: the audio is shorter than 1 s");
  const wm::audio::AudioLayout layout = wm::audio::make_audio_layout(key);
  const std::vector<float> change = Embedder(working_signal(audio), layout, wm::encode_payload(payload)).run();
  const std::vector<float> delta = dsp::resample_mono(change, working_rate, audio.sample_rate);
  const auto channels = static_cast<std::size_t>(audio.channels);
  const std::size_t n = std::min(delta.size(), audio.frames);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < channels; ++c) audio.samples[i * channels + c] += delta[i];
}

Audio embed(const AudioView& audio, const Payload& payload, const WatermarkKey& key) {
  Audio out = Audio::copy_of(audio);
  embed_into(out.mutable_view(), payload, key);
  return out;
}

}  // namespace provmark
