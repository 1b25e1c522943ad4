// SPDX-License-Identifier: Apache-2.0
// The audible label: "AI" in Morse as a keyed sine (or a caller's clip), levelled against the content's loudest
// second, then prepended or mixed in. Hand-written: a few loops over PCM, no library does this.

#include "provmark/audible_label.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "core/fail.hpp"

namespace provmark {
namespace {

constexpr double kCeiling = 0.8912509381337456;  // -1 dBFS: the label's peak limit

// "AI": A = dot dash, I = dot dot. Morse units of each element, sounding or silent, in order.
struct Element {
  int units;
  bool on;
};
constexpr std::array<Element, 7> kMorseAi{
    {{1, true}, {1, false}, {3, true}, {3, false}, {1, true}, {1, false}, {1, true}}};

double db_to_gain(double db) { return std::pow(10.0, db / 20.0); }
double gain_to_db(double gain) { return gain > 0 ? 20.0 * std::log10(gain) : -std::numeric_limits<double>::infinity(); }

void check_range(const char* name, double value, double low, double high) {
  if (!(value >= low && value <= high))
    fail(Errc::invalid_argument, std::string("audible label: ") + name + " = " + std::to_string(value) +
                                     " is outside [" + std::to_string(low) + ", " + std::to_string(high) + "]");
}

// RMS over all channels of the loudest window of `window` frames (the whole view when shorter).
double loudest_window_rms(const AudioView& audio, std::size_t window) {
  const auto channels = static_cast<std::size_t>(audio.channels);
  window = std::min(window, audio.frames);
  std::vector<double> frame_energy(audio.frames);
  for (std::size_t f = 0; f < audio.frames; ++f) {
    double sum = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      const double sample = audio.samples[f * channels + c];
      sum += sample * sample;
    }
    frame_energy[f] = sum;
  }
  double sum = 0;
  for (std::size_t f = 0; f < window; ++f) sum += frame_energy[f];
  double best = sum;
  for (std::size_t f = window; f < audio.frames; ++f) {
    sum += frame_energy[f] - frame_energy[f - window];
    best = std::max(best, sum);
  }
  return std::sqrt(std::max(best, 0.0) / static_cast<double>(window * channels));
}

// Raised-cosine gain at position i of an edge `ramp` frames long (0 at i = 0, 1 from i = ramp on).
double ramp_gain(std::size_t i, std::size_t ramp) {
  if (i >= ramp) return 1.0;
  return 0.5 - 0.5 * std::cos(std::numbers::pi * (static_cast<double>(i) + 0.5) / static_cast<double>(ramp));
}

// One label, mono: the keyed tone with its RMS while sounding = rms (peak capped at the ceiling).
std::vector<float> morse_tone(const AudibleLabelOptions& options, int rate, double rms, double& made_rms) {
  const auto unit = static_cast<std::size_t>(std::lround(options.unit_seconds * rate));
  const auto ramp = std::min(static_cast<std::size_t>(std::lround(options.crossfade_seconds * rate)), unit / 2);
  const double amplitude = std::min(rms * std::numbers::sqrt2, kCeiling);
  made_rms = amplitude / std::numbers::sqrt2;
  std::vector<float> tone;
  const double step = 2.0 * std::numbers::pi * options.tone_hz / rate;
  for (const Element& element : kMorseAi) {
    const std::size_t length = unit * static_cast<std::size_t>(element.units);
    for (std::size_t i = 0; i < length; ++i) {
      const double envelope = element.on ? ramp_gain(i, ramp) * ramp_gain(length - 1 - i, ramp) : 0.0;
      tone.push_back(static_cast<float>(amplitude * envelope * std::sin(step * static_cast<double>(tone.size()))));
    }
  }
  return tone;
}

// One label from the caller's clip, in the content's channel layout, at `rms` over its loudest second.
std::vector<float> scaled_clip(const AudibleLabelOptions& options, int channels, int rate, double rms,
                               double& made_rms) {
  const AudioView& clip = options.clip;
  check_view(clip);
  if (clip.sample_rate != rate)
    fail(Errc::invalid_argument, "audible label: the clip's sample rate differs from the content's");
  if (clip.channels != channels && clip.channels != 1)
    fail(Errc::invalid_argument, "audible label: the clip must be mono or have the content's channel count");
  const double clip_rms = loudest_window_rms(clip, static_cast<std::size_t>(rate));
  if (clip_rms <= 0) fail(Errc::invalid_argument, "audible label: the clip is silent");
  float peak = 0;
  for (std::size_t i = 0; i < clip.sample_count(); ++i) peak = std::max(peak, std::abs(clip.samples[i]));
  const double gain = std::min(rms / clip_rms, kCeiling / peak);
  made_rms = clip_rms * gain;
  const auto ramp = std::min(static_cast<std::size_t>(std::lround(options.crossfade_seconds * rate)), clip.frames / 2);
  const auto out_channels = static_cast<std::size_t>(channels);
  std::vector<float> out(clip.frames * out_channels);
  for (std::size_t f = 0; f < clip.frames; ++f) {
    const double g = gain * ramp_gain(f, ramp) * ramp_gain(clip.frames - 1 - f, ramp);
    for (std::size_t c = 0; c < out_channels; ++c) {
      const float sample = clip.samples[f * static_cast<std::size_t>(clip.channels) + (clip.channels == 1 ? 0 : c)];
      out[f * out_channels + c] = static_cast<float>(g * sample);
    }
  }
  return out;
}

// Mixes the label (interleaved, content's channels) over content frames [start, start + label frames), ducking the
// content with ramps outside the span, so that nothing in the span goes beyond full scale.
void mix_into(std::vector<float>& out, std::size_t channels, std::size_t start, const std::vector<float>& label,
              const AudibleLabelOptions& options, int rate) {
  const std::size_t frames = label.size() / channels;
  float label_peak = 0, content_peak = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    label_peak = std::max(label_peak, std::abs(label[i]));
    content_peak = std::max(content_peak, std::abs(out[start * channels + i]));
  }
  double duck = db_to_gain(options.duck_db);
  if (content_peak > 0) duck = std::min(duck, (1.0 - label_peak) / content_peak);  // |duck c + l| <= 1
  const std::size_t total = out.size() / channels;
  const auto ramp = static_cast<std::size_t>(std::lround(options.crossfade_seconds * rate));
  const std::size_t from = start >= ramp ? start - ramp : 0;
  const std::size_t to = std::min(total, start + frames + ramp);
  for (std::size_t f = from; f < to; ++f) {
    // Inside the span: duck; in the ramps either side: back to 1 (raised cosine).
    double g = duck;
    if (f < start) g = duck + (1.0 - duck) * (1.0 - ramp_gain(start - 1 - f, ramp));
    if (f >= start + frames) g = duck + (1.0 - duck) * (1.0 - ramp_gain(f - start - frames, ramp));
    for (std::size_t c = 0; c < channels; ++c) {
      float& sample = out[f * channels + c];
      sample = static_cast<float>(sample * g);
      if (f >= start && f < start + frames) sample += label[(f - start) * channels + c];
    }
  }
}

}  // namespace

AudibleLabelResult add_audible_label(const AudioView& content, const AudibleLabelOptions& options) {
  check_view(content);
  const int rate = content.sample_rate;
  check_range("tone_hz", options.tone_hz, 100.0, std::min(8000.0, 0.4 * rate));
  check_range("unit_seconds", options.unit_seconds, 0.03, 0.5);
  check_range("level_offset_db", options.level_offset_db, -40.0, 12.0);
  check_range("floor_dbfs", options.floor_dbfs, -60.0, -6.0);
  check_range("gap_seconds", options.gap_seconds, 0.0, 5.0);
  check_range("crossfade_seconds", options.crossfade_seconds, 0.0, 0.1);
  check_range("duck_db", options.duck_db, -60.0, 0.0);

  AudibleLabelResult result;
  const double reference = loudest_window_rms(content, static_cast<std::size_t>(rate));
  result.target_dbfs = std::max(gain_to_db(reference) + options.level_offset_db, options.floor_dbfs);
  const double target = db_to_gain(result.target_dbfs);
  const auto channels = static_cast<std::size_t>(content.channels);
  double made_rms = 0;
  std::vector<float> label;
  if (options.clip.samples != nullptr) {
    label = scaled_clip(options, content.channels, rate, target, made_rms);
  } else {
    const std::vector<float> mono = morse_tone(options, rate, target, made_rms);
    label.resize(mono.size() * channels);
    for (std::size_t f = 0; f < mono.size(); ++f) std::fill_n(label.begin() + f * channels, channels, mono[f]);
  }
  result.level_dbfs = gain_to_db(made_rms);
  result.label_frames = label.size() / channels;

  const std::size_t content_samples = content.sample_count();
  std::vector<float> out;
  if (options.mode == AudibleLabelMode::prepend) {
    const std::size_t gap = static_cast<std::size_t>(std::lround(options.gap_seconds * rate)) * channels;
    const std::size_t labels = options.at_end ? 2 : 1;
    out.reserve(content_samples + labels * (label.size() + gap));
    out.insert(out.end(), label.begin(), label.end());
    out.insert(out.end(), gap, 0.0f);
    out.insert(out.end(), content.samples, content.samples + content_samples);
    if (options.at_end) {
      out.insert(out.end(), gap, 0.0f);
      out.insert(out.end(), label.begin(), label.end());
    }
    result.content_offset = (label.size() + gap) / channels;
  } else {
    const std::size_t needed = result.label_frames * (options.at_end ? 2 : 1);
    if (content.frames < needed)
      fail(Errc::invalid_argument, "audible label: the content is shorter than the label it would be mixed with");
    out.assign(content.samples, content.samples + content_samples);
    mix_into(out, channels, 0, label, options, rate);
    if (options.at_end) mix_into(out, channels, content.frames - result.label_frames, label, options, rate);
  }
  result.audio = Audio(0, content.channels, rate);
  result.audio.samples() = std::move(out);
  return result;
}

}  // namespace provmark
