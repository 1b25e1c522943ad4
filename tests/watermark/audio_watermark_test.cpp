// SPDX-License-Identifier: Apache-2.0
// The audio watermark through the public API, on a real recording: embed into PCM, attack it in-process (lossy
// coding by FFmpeg, resampling, noise, volume, cuts, mixdown, a speed change), detect. The whole attack suite on the
// benchmark corpus, with sox's tempo change among others, is bench/results/*audio*; tests/watermark/
// audio_attacks_cli_test.sh runs the external tools on this clip.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>

#include "dsp/audio_resample.hpp"
#include "provmark/audio_watermark.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;

namespace {

const WatermarkKey& test_key() {
  static const WatermarkKey key = WatermarkKey::parse(test::fixed_key_text());
  return key;
}

const Payload payload = Payload::from_hex("0123456789abcdef");

// tests/data/drascula_track1_8s.ogg (8 s of stereo music, 44.1 kHz), played twice: 16 s, so that cuts leave more
// than one 9.216 s period.
const Audio& music() { return test::music_twice(); }

const Audio& marked() {
  static const Audio out = embed(music().view(), payload, test_key());
  return out;
}

double snr_db(const Audio& original, const Audio& changed) {
  double signal = 0, noise = 0;
  for (std::size_t i = 0; i < original.samples().size(); ++i) {
    signal += double{original.samples()[i]} * original.samples()[i];
    const double d = double{changed.samples()[i]} - original.samples()[i];
    noise += d * d;
  }
  return 10 * std::log10(signal / noise);
}

Audio with_each_channel(const Audio& in, int rate, const std::function<std::vector<float>(std::vector<float>)>& f) {
  std::vector<std::vector<float>> channels(static_cast<std::size_t>(in.channels()));
  for (std::size_t c = 0; c < channels.size(); ++c) {
    std::vector<float> x(in.frames());
    for (std::size_t i = 0; i < in.frames(); ++i) x[i] = in.samples()[i * channels.size() + c];
    channels[c] = f(std::move(x));
  }
  Audio out(channels[0].size(), in.channels(), rate);
  for (std::size_t c = 0; c < channels.size(); ++c)
    for (std::size_t i = 0; i < out.frames(); ++i) out.samples()[i * channels.size() + c] = channels[c][i];
  return out;
}

Audio transcoded(const Audio& in, AudioFileFormat format, std::int64_t bit_rate) {
  AudioEncodeOptions options;
  options.format = format;
  options.bit_rate = bit_rate;
  return decode_audio(encode_audio(in.view(), options)).audio;
}

AudioDetectResult check_found(const Audio& attacked) {
  const AudioDetectResult r = detect(attacked.view(), test_key());
  CHECK(r.found);
  CHECK(r.payload == payload);
  CHECK(r.false_alarm_probability < 1e-9);
  return r;
}

}  // namespace

TEST_SUITE("watermark/audio") {
  TEST_CASE("the watermark is faint and is read back from the marked samples alone") {
    CHECK(snr_db(music(), marked()) > 28.0);
    const AudioDetectResult r = check_found(marked());
    CHECK(r.coded_bits == 376);
    CHECK(r.time_scale == 1.0);
    CHECK(r.offset_seconds == 0.0);
  }

  TEST_CASE("it survives MP3 at 64 kb/s and AAC at 128 kb/s") {
    check_found(transcoded(marked(), AudioFileFormat::mp3, 64000));
    check_found(transcoded(marked(), AudioFileFormat::m4a, 128000));
  }

  TEST_CASE("it survives resampling to 22.05 kHz and back, and a mixdown to mono") {
    check_found(with_each_channel(marked(), 44100, [](std::vector<float> x) {
      return dsp::resample_mono(dsp::resample_mono(x, 44100, 22050), 22050, 44100);
    }));
    Audio mono(marked().frames(), 1, 44100);
    for (std::size_t i = 0; i < mono.frames(); ++i)
      mono.samples()[i] = 0.5f * (marked().samples()[2 * i] + marked().samples()[2 * i + 1]);
    check_found(mono);
  }

  TEST_CASE("it survives white noise at 20 dB SNR, half the volume, and double the volume with clipping") {
    Audio noisy = marked();
    double power = 0;
    for (float v : noisy.samples()) power += double{v} * v;
    std::mt19937 random(7);
    std::normal_distribution<double> gauss(0.0, std::sqrt(power / static_cast<double>(noisy.samples().size()) / 100));
    for (float& v : noisy.samples()) v += static_cast<float>(gauss(random));
    check_found(noisy);
    Audio quiet = marked(), loud = marked();
    for (float& v : quiet.samples()) v *= 0.5f;
    for (float& v : loud.samples()) v = std::clamp(2 * v, -1.0f, 1.0f);
    check_found(quiet);
    check_found(loud);
  }

  TEST_CASE("a 10 s excerpt from anywhere is enough") {
    for (const double start : {0.0, 2.7, 5.5}) {
      CAPTURE(start);
      const auto first = static_cast<std::size_t>(start * 44100);
      const std::size_t frames = std::min<std::size_t>(10 * 44100, marked().frames() - first);
      Audio excerpt(frames, 2, 44100);
      std::copy_n(marked().samples().begin() + static_cast<std::ptrdiff_t>(2 * first), 2 * frames,
                  excerpt.samples().begin());
      const AudioDetectResult r = check_found(excerpt);
      // The period (9.216 s) starts 9.216 - start s into the excerpt, within 2 ms.
      const double expected = std::fmod(9.216 - start + 9.216, 9.216);
      CHECK(std::abs(r.offset_seconds - expected) < 0.004);
    }
  }

  TEST_CASE("it survives playing 2% faster (pitch and tempo), and says so") {
    const Audio faster = with_each_channel(marked(), 44100, [](std::vector<float> x) {
      return dsp::resample_mono(x, 44982, 44100);  // samples made for 44.982 kHz, played at 44.1 kHz
    });
    const AudioDetectResult r = check_found(faster);
    CHECK(r.time_scale == doctest::Approx(1 / 1.02).epsilon(0.003));
    CHECK(r.frequency_scale == doctest::Approx(1.02).epsilon(0.003));
  }

  TEST_CASE("unmarked audio and another key find nothing") {
    const AudioDetectResult unmarked = detect(music().view(), test_key());
    CHECK(!unmarked.found);
    CHECK(unmarked.false_alarm_probability > 1e-9);
    CHECK(!detect(marked().view(), WatermarkKey::generate()).found);
  }

  TEST_CASE("a watermarked MP3 stays an MP3 at its bit rate, with its tags") {
    AudioEncodeOptions options;
    options.format = AudioFileFormat::mp3;
    options.bit_rate = 128000;
    options.tags = {{"title", "Track 1"}};
    const std::vector<std::uint8_t> mp3 = encode_audio(music().view(), options);
    const std::vector<std::uint8_t> out = embed_audio_encoded(mp3, payload, test_key());
    const DecodedAudio decoded = decode_audio(out);
    CHECK(decoded.source.codec == "mp3");
    CHECK(decoded.source.bit_rate == 128000);
    CHECK(std::find(decoded.source.tags.begin(), decoded.source.tags.end(), AudioTag{"title", "Track 1"}) !=
          decoded.source.tags.end());
    const AudioDetectResult r = detect_audio_encoded(out, test_key());
    CHECK(r.found);
    CHECK(r.payload == payload);
  }

  TEST_CASE("bad input is a typed error") {
    Audio short_clip(44100 / 2, 1, 44100);
    CHECK(test::error_code_of([&] { embed_into(short_clip.mutable_view(), payload, test_key()); }) ==
          Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)detect(AudioView{}, test_key()); }) == Errc::invalid_argument);
    AudioDetectOptions odd;
    odd.max_seconds = std::numeric_limits<double>::infinity();
    CHECK(detect(marked().view(), test_key(), odd).found);
    odd.max_seconds = std::numeric_limits<double>::quiet_NaN();  // nothing examined: nothing found, no error
    CHECK(!detect(marked().view(), test_key(), odd).found);
    for (const double loose : {1e-6, 0.0, std::numeric_limits<double>::quiet_NaN()}) {  // lowered, never raised
      AudioDetectOptions options;
      options.max_false_alarm = loose;
      CHECK(test::error_code_of([&] { (void)detect(marked().view(), test_key(), options); }) == Errc::invalid_argument);
    }
    const std::vector<std::uint8_t> junk{'R', 'I', 'F', 'F', 1, 2, 3};
    CHECK(test::error_code_of([&] { (void)detect_audio_encoded(junk, test_key()); }) != Errc::ok);
  }
}
