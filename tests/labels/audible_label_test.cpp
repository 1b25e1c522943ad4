// SPDX-License-Identifier: Apache-2.0
#include "provmark/audible_label.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "provmark/audio_codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using test::error_code_of;

const Audio& music() {
  static const Audio audio = decode_audio_file(test::data_path("drascula_track1_8s.ogg")).audio;
  return audio;
}

Audio scaled(const AudioView& in, float gain) {
  Audio out = Audio::copy_of(in);
  for (float& s : out.samples()) s *= gain;
  return out;
}

double db(double x) { return 20 * std::log10(x); }

// The reference the label is levelled against, computed here on its own: RMS over all channels of the loudest
// one-second window, stepped by 10 ms.
double loudest_second_rms(const AudioView& audio) {
  const std::size_t window = std::min<std::size_t>(audio.sample_rate, audio.frames);
  const auto ch = static_cast<std::size_t>(audio.channels);
  double best = 0;
  for (std::size_t start = 0; start + window <= audio.frames; start += audio.sample_rate / 100) {
    double sum = 0;
    for (std::size_t i = start * ch; i < (start + window) * ch; ++i) sum += double{audio.samples[i]} * audio.samples[i];
    best = std::max(best, sum / static_cast<double>(window * ch));
  }
  return std::sqrt(best);
}

struct Run {
  std::size_t start, length;
};

// Sounding runs of channel 0 in frames [from, to): 2 ms RMS blocks above half the loudest block's RMS.
std::vector<Run> sounding_runs(const AudioView& audio, std::size_t from, std::size_t to) {
  const std::size_t block = audio.sample_rate / 500;
  const auto ch = static_cast<std::size_t>(audio.channels);
  std::vector<double> rms;
  for (std::size_t b = from; b + block <= to; b += block) {
    double sum = 0;
    for (std::size_t i = b; i < b + block; ++i) sum += double{audio.samples[i * ch]} * audio.samples[i * ch];
    rms.push_back(std::sqrt(sum / block));
  }
  const double threshold = *std::max_element(rms.begin(), rms.end()) / 2;
  std::vector<Run> runs;
  for (std::size_t i = 0; i < rms.size(); ++i) {
    if (rms[i] < threshold) continue;
    if (!runs.empty() && runs.back().start + runs.back().length == from + i * block)
      runs.back().length += block;
    else
      runs.push_back({from + i * block, block});
  }
  return runs;
}

// RMS of channel 0 over the middle half of each run (clear of the ramps).
double rms_of_runs(const AudioView& audio, const std::vector<Run>& runs) {
  const auto ch = static_cast<std::size_t>(audio.channels);
  double sum = 0;
  std::size_t n = 0;
  for (const Run& run : runs)
    for (std::size_t f = run.start + run.length / 4; f < run.start + run.length * 3 / 4; ++f, ++n)
      sum += double{audio.samples[f * ch]} * audio.samples[f * ch];
  return std::sqrt(sum / static_cast<double>(n));
}

float peak(const AudioView& audio) {
  float p = 0;
  for (std::size_t i = 0; i < audio.sample_count(); ++i) p = std::max(p, std::abs(audio.samples[i]));
  return p;
}

// "AI" in Morse: sounding runs of 1, 3, 1, 1 units, silences of 1, 3, 1 units between them.
void check_morse_ai(const std::vector<Run>& runs, double unit_frames) {
  REQUIRE(runs.size() == 4);
  const double on[] = {1, 3, 1, 1};
  const double off[] = {1, 3, 1};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(runs[i].length / unit_frames == doctest::Approx(on[i]).epsilon(0.2));
    if (i < 3) {
      const double silence = static_cast<double>(runs[i + 1].start - runs[i].start - runs[i].length);
      CHECK(silence / unit_frames == doctest::Approx(off[i]).epsilon(0.35));
    }
  }
}

}  // namespace

TEST_SUITE("labels/audible_label") {
  TEST_CASE("the default label is AI in Morse before the content, levelled to its loudest second") {
    const AudioView content = music().view();
    const AudibleLabelResult result = add_audible_label(content);
    const AudioView out = result.audio.view();
    const AudibleLabelOptions defaults;
    const double unit = defaults.unit_seconds * content.sample_rate;
    CHECK(result.label_frames == static_cast<std::size_t>(std::lround(11 * unit)));
    CHECK(result.content_offset == result.label_frames + std::lround(defaults.gap_seconds * content.sample_rate));
    CHECK(out.frames == content.frames + result.content_offset);
    CHECK(out.channels == content.channels);
    CHECK(out.sample_rate == content.sample_rate);
    // The content follows untouched.
    CHECK(std::equal(content.samples, content.samples + content.sample_count(),
                     out.samples + result.content_offset * content.channels));

    const std::vector<Run> runs = sounding_runs(out, 0, result.content_offset);
    check_morse_ai(runs, unit);
    // The tone's pitch: zero crossings along the dash.
    int crossings = 0;
    const auto ch = static_cast<std::size_t>(out.channels);
    for (std::size_t f = runs[1].start + 1; f < runs[1].start + runs[1].length; ++f)
      crossings += (out.samples[(f - 1) * ch] < 0) != (out.samples[f * ch] < 0);
    CHECK(crossings / 2.0 / (runs[1].length / double(out.sample_rate)) ==
          doctest::Approx(defaults.tone_hz).epsilon(0.03));

    const double target = db(loudest_second_rms(content));
    MESSAGE("content loudest second ", target, " dBFS, label made at ", result.level_dbfs, " dBFS, measured ",
            db(rms_of_runs(out, runs)), " dBFS");
    CHECK(result.target_dbfs == doctest::Approx(target).epsilon(0.01));
    CHECK(std::abs(db(rms_of_runs(out, runs)) - target) < 3.0);
    CHECK(peak(out) <= 1.0f);
  }

  TEST_CASE("the level follows the offset, stops at the floor and never clips") {
    const AudioView content = music().view();
    AudibleLabelOptions options;
    options.level_offset_db = -10;
    const AudibleLabelResult quieter = add_audible_label(content, options);
    const double reference = db(loudest_second_rms(content));
    CHECK(std::abs(db(rms_of_runs(quieter.audio.view(), sounding_runs(quieter.audio.view(), 0, quieter.label_frames))) -
                   (reference - 10)) < 3.0);

    const Audio whisper = scaled(content, 0.001f);  // about -75 dBFS: the floor applies
    const AudibleLabelResult floored = add_audible_label(whisper.view());
    CHECK(floored.target_dbfs == -30.0);
    CHECK(std::abs(db(rms_of_runs(floored.audio.view(), sounding_runs(floored.audio.view(), 0, floored.label_frames))) +
                   30.0) < 3.0);
    const Audio silence(48000, 1, 48000);
    CHECK(add_audible_label(silence.view()).target_dbfs == -30.0);

    // Full-scale content (a sine: -3 dBFS) and +12 dB: the tone stops at a -1 dBFS peak.
    Audio sine(44100, 2, 44100);
    for (std::size_t i = 0; i < sine.samples().size(); ++i)
      sine.samples()[i] = static_cast<float>(std::sin(2 * std::numbers::pi * 440 * static_cast<double>(i / 2) / 44100));
    options.level_offset_db = 12;
    const AudibleLabelResult capped = add_audible_label(sine.view(), options);
    CHECK(capped.target_dbfs == doctest::Approx(-3.0103 + 12).epsilon(0.01));
    CHECK(capped.level_dbfs == doctest::Approx(-1 - 3.0103).epsilon(0.01));
    CHECK(peak(capped.audio.view()) <= 1.0f);
    CHECK(db(peak(AudioView{capped.audio.samples().data(), capped.label_frames, 2, 44100})) < -0.99);
  }

  TEST_CASE("at_end adds the label after the content too, the duration grows by both") {
    const AudioView content = music().view();
    AudibleLabelOptions options;
    options.at_end = true;
    options.gap_seconds = 0.5;
    const AudibleLabelResult result = add_audible_label(content, options);
    const std::size_t gap = 22050;
    CHECK(result.audio.frames() == content.frames + 2 * (result.label_frames + gap));
    const std::size_t tail = result.content_offset + content.frames + gap;
    check_morse_ai(sounding_runs(result.audio.view(), tail, result.audio.frames()), 0.08 * 44100);
  }

  TEST_CASE("mix mode lays the label over the content, ducked beneath it, without clipping or lengthening") {
    const Audio loud = scaled(music().view(), 1.0f / peak(music().view()));
    AudibleLabelOptions options;
    options.mode = AudibleLabelMode::mix;
    options.at_end = true;
    options.level_offset_db = 12;
    const AudibleLabelResult result = add_audible_label(loud.view(), options);
    CHECK(result.audio.frames() == loud.frames());
    CHECK(result.content_offset == 0);
    CHECK(peak(result.audio.view()) <= 1.0f);
    // Away from both labels and their ramps, the content is unchanged.
    const std::size_t middle = loud.frames() / 2 * static_cast<std::size_t>(loud.channels());
    CHECK(result.audio.samples()[middle] == loud.samples()[middle]);
    // The rhythm still stands out of the ducked music.
    check_morse_ai(sounding_runs(result.audio.view(), 0, result.label_frames), 0.08 * 44100);

    const Audio short_content(1000, 2, 44100);
    CHECK(error_code_of([&] { (void)add_audible_label(short_content.view(), options); }) == Errc::invalid_argument);
  }

  TEST_CASE("a caller's clip replaces the tone, levelled the same way") {
    const AudioView content = music().view();
    // Half a second of a mono 300 Hz tone at -40 dBFS peak as the "voice" clip.
    std::vector<float> voice(22050);
    for (std::size_t i = 0; i < voice.size(); ++i)
      voice[i] = 0.01f * static_cast<float>(std::sin(2 * std::numbers::pi * 300 * i / 44100.0));
    AudibleLabelOptions options;
    options.clip = AudioView{voice.data(), voice.size(), 1, 44100};
    const AudibleLabelResult result = add_audible_label(content, options);
    CHECK(result.label_frames == voice.size());
    CHECK(result.audio.frames() == content.frames + voice.size() + 13230);
    const AudioView out = result.audio.view();
    const std::vector<Run> runs = sounding_runs(out, 0, result.label_frames);
    REQUIRE(runs.size() == 1);
    CHECK(std::abs(db(rms_of_runs(out, runs)) - db(loudest_second_rms(content))) < 3.0);
    CHECK(out.samples[1000 * 2] == doctest::Approx(out.samples[1000 * 2 + 1]));  // mono copied to both channels

    std::vector<float> other_rate(4800, 0.1f);
    options.clip = AudioView{other_rate.data(), 4800, 1, 48000};
    CHECK(error_code_of([&] { (void)add_audible_label(content, options); }) == Errc::invalid_argument);
    options.clip = AudioView{other_rate.data(), 1600, 3, 44100};
    CHECK(error_code_of([&] { (void)add_audible_label(content, options); }) == Errc::invalid_argument);
  }

  TEST_CASE("bad options are refused") {
    const AudioView content = music().view();
    const auto code = [&](auto change) {
      AudibleLabelOptions options;
      change(options);
      return error_code_of([&] { (void)add_audible_label(content, options); });
    };
    CHECK(code([](AudibleLabelOptions& o) { o.tone_hz = 50; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.tone_hz = 20000; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.unit_seconds = 0.01; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.level_offset_db = std::nan(""); }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.floor_dbfs = 0; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.gap_seconds = -1; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.crossfade_seconds = 1; }) == Errc::invalid_argument);
    CHECK(code([](AudibleLabelOptions& o) { o.duck_db = 3; }) == Errc::invalid_argument);
    CHECK(error_code_of([] { (void)add_audible_label(AudioView{}); }) == Errc::invalid_argument);
  }
}
