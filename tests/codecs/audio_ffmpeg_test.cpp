// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "codecs/compare.hpp"
#include "codecs/ffmpeg_api.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
namespace ff = provmark::codecs::ff;
using test::error_code_of;
using namespace std::literals;

constexpr const char* kClip = "drascula_track1_8s.ogg";  // 8 s of stereo 44.1 kHz music, Ogg Vorbis

const DecodedAudio& clip() {
  static const DecodedAudio decoded = decode_audio_file(test::data_path(kClip));
  return decoded;
}

// The clip resampled (libswresample), for comparing with codecs that change the rate (Opus: 48 kHz).
Audio resampled(const AudioView& in, int rate) {
  AVChannelLayout layout{};
  ff::av_channel_layout_default(&layout, in.channels);
  SwrContext* swr = nullptr;
  REQUIRE(ff::swr_alloc_set_opts2(&swr, &layout, AV_SAMPLE_FMT_FLT, rate, &layout, AV_SAMPLE_FMT_FLT, in.sample_rate, 0,
                              nullptr) >= 0);
  REQUIRE(ff::swr_init(swr) >= 0);
  const int capacity = ff::swr_get_out_samples(swr, static_cast<int>(in.frames)) + 64;
  Audio out(static_cast<std::size_t>(capacity), in.channels, rate);
  auto* out_data = reinterpret_cast<std::uint8_t*>(out.samples().data());
  const auto* in_data = reinterpret_cast<const std::uint8_t*>(in.samples);
  int done = ff::swr_convert(swr, &out_data, capacity, &in_data, static_cast<int>(in.frames));
  REQUIRE(done >= 0);
  out_data += static_cast<std::size_t>(done) * in.channels * sizeof(float);
  const int tail = ff::swr_convert(swr, &out_data, capacity - done, nullptr, 0);
  REQUIRE(tail >= 0);
  ff::swr_free(&swr);
  out.samples().resize(static_cast<std::size_t>(done + tail) * in.channels);
  return out;
}

// Signal-to-noise ratio of `test` against `reference` (same rate and channels) in dB, after finding the delay
// (within +-3000 frames) that lines them up best, over the overlap less 0.1 s at each end.
double snr_db(const AudioView& reference, const AudioView& test) {
  const auto ch = static_cast<std::ptrdiff_t>(reference.channels);
  const auto ref_frames = static_cast<std::ptrdiff_t>(reference.frames);
  const auto test_frames = static_cast<std::ptrdiff_t>(test.frames);
  const std::ptrdiff_t window_start = reference.sample_rate, window = 8192;
  std::ptrdiff_t best_lag = 0;
  double best = -1e300;
  for (std::ptrdiff_t lag = -3000; lag <= 3000; ++lag) {
    double sum = 0;
    for (std::ptrdiff_t i = window_start; i < window_start + window; ++i)
      if (i + lag >= 0 && i + lag < test_frames)
        sum += double{reference.samples[i * ch]} * test.samples[(i + lag) * ch];
    if (sum > best) best = sum, best_lag = lag;
  }
  const std::ptrdiff_t margin = reference.sample_rate / 10;
  double signal = 0, noise = 0;
  for (std::ptrdiff_t i = margin; i < ref_frames - margin; ++i) {
    const std::ptrdiff_t j = i + best_lag;
    if (j < 0 || j >= test_frames) continue;
    for (std::ptrdiff_t c = 0; c < ch; ++c) {
      const double r = std::clamp(reference.samples[i * ch + c], -1.0f, 1.0f);
      const double d = r - test.samples[j * ch + c];
      signal += r * r;
      noise += d * d;
    }
  }
  return 10 * std::log10(signal / std::max(noise, 1e-30));
}

bool has_tag(const AudioSourceInfo& source, const std::string& key, const std::string& value) {
  return std::any_of(source.tags.begin(), source.tags.end(), [&](const AudioTag& tag) {
    return tag.value == value && std::equal(tag.key.begin(), tag.key.end(), key.begin(), key.end(),
                                            [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  });
}

}  // namespace

TEST_SUITE("codecs/audio_ffmpeg") {
  TEST_CASE("decode_audio reads a real Ogg Vorbis clip with what it was") {
    const DecodedAudio& decoded = clip();
    CHECK(decoded.audio.sample_rate() == 44100);
    CHECK(decoded.audio.channels() == 2);
    CHECK(decoded.audio.view().duration_seconds() == doctest::Approx(8.0).epsilon(0.005));
    CHECK(decoded.source.container == "ogg");
    CHECK(decoded.source.codec == "vorbis");
    CHECK(decoded.source.bit_rate == 112000);
    CHECK(decoded.source.sample_format == "fltp");
    CHECK(decoded.source.bits_per_sample == 0);
    CHECK(decoded.source.sample_rate == 44100);
    CHECK(decoded.source.channels == 2);
    CHECK(has_tag(decoded.source, "title", "Drascula track 1 (30-38 s, re-encoded)"));
    CHECK(has_tag(decoded.source, "artist", "Alcachofa Soft"));
    double energy = 0;
    for (const float s : decoded.audio.samples()) energy += double{s} * s;
    CHECK(std::sqrt(energy / static_cast<double>(decoded.audio.samples().size())) > 0.05);  // music, not silence
    CHECK(decode_audio(read_file(test::data_path(kClip))).audio.samples() == decoded.audio.samples());
  }

  TEST_CASE("encode_audio round-trips through every output format with the right rate, channels and duration") {
    const AudioView source = clip().audio.view();
    struct Case {
      AudioFileFormat format;
      AudioSampleDepth depth;
      const char* container;
      const char* codec;
      int rate;
      double min_snr_db;
    };
    // Lossless: the quantisation noise of the depth (measured 80 dB at 16 bits, 123 dB at 24); lossy: what the
    // codecs reach at their default bit rates (measured MP3 23.7, AAC 21.4, Opus 18.0, Vorbis 21.1 dB) less 5 dB.
    for (const Case c : {Case{AudioFileFormat::wav, AudioSampleDepth::s16, "wav", "pcm_s16le", 44100, 70},
                         Case{AudioFileFormat::wav, AudioSampleDepth::s24, "wav", "pcm_s24le", 44100, 115},
                         Case{AudioFileFormat::wav, AudioSampleDepth::f32, "wav", "pcm_f32le", 44100, 200},
                         Case{AudioFileFormat::flac, AudioSampleDepth::s16, "flac", "flac", 44100, 70},
                         Case{AudioFileFormat::flac, AudioSampleDepth::s24, "flac", "flac", 44100, 115},
                         Case{AudioFileFormat::mp3, AudioSampleDepth::s16, "mp3", "mp3", 44100, 18},
                         Case{AudioFileFormat::m4a, AudioSampleDepth::s16, "mov,mp4,m4a,3gp,3g2,mj2", "aac", 44100, 16},
                         Case{AudioFileFormat::ogg_opus, AudioSampleDepth::s16, "ogg", "opus", 48000, 13},
                         Case{AudioFileFormat::ogg_vorbis, AudioSampleDepth::s16, "ogg", "vorbis", 44100, 16}}) {
      CAPTURE(std::string(audio_file_extension(c.format)));
      CAPTURE(static_cast<int>(c.depth));
      AudioEncodeOptions options;
      options.format = c.format;
      options.depth = c.depth;
      const std::vector<std::uint8_t> bytes = encode_audio(source, options);
      const DecodedAudio back = decode_audio(bytes);
      CHECK(back.source.container == c.container);
      CHECK(back.source.codec == c.codec);
      CHECK(back.audio.sample_rate() == c.rate);
      CHECK(back.audio.channels() == 2);
      CHECK(back.audio.view().duration_seconds() == doctest::Approx(source.duration_seconds()).epsilon(0.01));
      const Audio reference = c.rate == source.sample_rate ? Audio::copy_of(source) : resampled(source, c.rate);
      const double snr = snr_db(reference.view(), back.audio.view());
      MESSAGE(std::string(audio_file_extension(c.format)), " depth ", static_cast<int>(c.depth), ": ", bytes.size(),
              " bytes, SNR ", snr, " dB, duration ", back.audio.view().duration_seconds(), " s");
      CHECK(snr > c.min_snr_db);
    }
  }

  TEST_CASE("encode_audio like the source keeps its container, codec, bit rate and depth") {
    AudioEncodeOptions options;
    options.format = AudioFileFormat::flac;
    options.depth = AudioSampleDepth::s24;
    const DecodedAudio flac24 = decode_audio(encode_audio(clip().audio.view(), options));
    CHECK(flac24.source.bits_per_sample == 24);
    CHECK(audio_file_format_of(flac24.source) == AudioFileFormat::flac);
    AudioEncodeOptions like;
    like.source = flac24.source;
    const DecodedAudio again = decode_audio(encode_audio(flac24.audio.view(), like));
    CHECK(again.source.codec == "flac");
    CHECK(again.source.bits_per_sample == 24);
    CHECK(again.audio.samples() == flac24.audio.samples());  // lossless, same depth: bit exact

    options.format = AudioFileFormat::mp3;
    options.bit_rate = 128'000;
    const DecodedAudio mp3 = decode_audio(encode_audio(clip().audio.view(), options));
    CHECK(mp3.source.bit_rate == 128'000);
    like.source = mp3.source;
    const DecodedAudio mp3_again = decode_audio(encode_audio(mp3.audio.view(), like));
    CHECK(mp3_again.source.container == "mp3");
    CHECK(mp3_again.source.bit_rate == 128'000);

    like.source = clip().source;  // Ogg Vorbis at 112 kb/s
    const DecodedAudio vorbis = decode_audio(encode_audio(clip().audio.view(), like));
    CHECK(vorbis.source.codec == "vorbis");
    CHECK(std::abs(vorbis.source.bit_rate - 112'000) < 20'000);
    CHECK(error_code_of([] { (void)audio_file_format_of(AudioSourceInfo{}); }) == Errc::unsupported_format);
  }

  TEST_CASE("metadata tags round-trip in every format that carries free keys") {
    const std::string json =
        R"({"Label":"1","ContentProducer":"001191110102MAD55U9H0F10002","ProduceID":"A1","ReservedCode1":"",)"
        R"("ContentPropagator":"","PropagateID":"","ReservedCode2":""})";
    AudioEncodeOptions options;
    options.tags = {{"AIGC", json}, {"title", "标题 title"}};
    for (const AudioFileFormat format : {AudioFileFormat::flac, AudioFileFormat::mp3, AudioFileFormat::m4a,
                                         AudioFileFormat::ogg_opus, AudioFileFormat::ogg_vorbis}) {
      CAPTURE(std::string(audio_file_extension(format)));
      options.format = format;
      const DecodedAudio back = decode_audio(encode_audio(clip().audio.view(), options));
      CHECK(has_tag(back.source, "AIGC", json));
      CHECK(has_tag(back.source, "title", "标题 title"));
    }
    // WAV's LIST/INFO chunk has fixed keys only (title is INAM); the AIGC chunk is written by the RIFF code.
    options.format = AudioFileFormat::wav;
    const DecodedAudio wav = decode_audio(encode_audio(clip().audio.view(), options));
    CHECK(has_tag(wav.source, "title", "标题 title"));
  }

  TEST_CASE("encode_audio_file writes the file atomically") {
    const auto dir = test::temp_dir("audio_encode_file");
    AudioEncodeOptions options;
    options.format = AudioFileFormat::flac;
    encode_audio_file(dir / "out.flac", clip().audio.view(), options);
    CHECK(decode_audio_file(dir / "out.flac").audio.samples().size() == clip().audio.samples().size());
    CHECK(error_code_of([&] { encode_audio_file(dir / "missing" / "out.flac", clip().audio.view(), options); }) ==
          Errc::io);
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
  }

  TEST_CASE("encode_audio refuses bad views, options and channel counts") {
    AudioEncodeOptions options;
    options.format = AudioFileFormat::wav;
    CHECK(error_code_of([&] { (void)encode_audio(AudioView{}, options); }) == Errc::invalid_argument);
    const AudioView source = clip().audio.view();
    options.format = AudioFileFormat::flac;
    options.depth = AudioSampleDepth::f32;
    CHECK(error_code_of([&] { (void)encode_audio(source, options); }) == Errc::invalid_argument);
    options.depth = AudioSampleDepth::s16;
    options.tags = {{"A=B", "x"}};
    CHECK(error_code_of([&] { (void)encode_audio(source, options); }) == Errc::invalid_argument);
    options.tags = {{"", "x"}};
    CHECK(error_code_of([&] { (void)encode_audio(source, options); }) == Errc::invalid_argument);
    options.tags.clear();
    options.bit_rate = -1;
    CHECK(error_code_of([&] { (void)encode_audio(source, options); }) == Errc::invalid_argument);
    options.bit_rate = 0;
    options.format = AudioFileFormat::same_as_source;  // with no source described
    CHECK(error_code_of([&] { (void)encode_audio(source, options); }) == Errc::unsupported_format);
    // MP3 has at most two channels.
    Audio three(4800, 3, 48000);
    options.format = AudioFileFormat::mp3;
    CHECK(error_code_of([&] { (void)encode_audio(three.view(), options); }) == Errc::unsupported_format);
    options.format = AudioFileFormat::flac;
    CHECK(decode_audio(encode_audio(three.view(), options)).audio.channels() == 3);
  }

  TEST_CASE("out-of-range samples are clipped, NaN becomes silence") {
    Audio loud(4800, 1, 48000);
    for (std::size_t i = 0; i < loud.samples().size(); ++i) loud.samples()[i] = (i % 2 != 0 ? 3.0f : -3.0f);
    loud.samples()[10] = std::nanf("");
    AudioEncodeOptions options;
    options.format = AudioFileFormat::wav;
    options.depth = AudioSampleDepth::f32;
    const Audio back = decode_audio(encode_audio(loud.view(), options)).audio;
    CHECK(back.samples()[1] == 1.0f);
    CHECK(back.samples()[2] == -1.0f);
    CHECK(back.samples()[10] == 0.0f);
  }

  TEST_CASE("garbage, empty and truncated input give typed errors") {
    const auto is_input_error = [](Errc code) {
      return code == Errc::malformed_input || code == Errc::unsupported_format;
    };
    CHECK(error_code_of([] { (void)decode_audio({}); }) == Errc::malformed_input);
    std::mt19937 random(7);
    std::vector<std::uint8_t> garbage(64 * 1024);
    for (auto& byte : garbage) byte = static_cast<std::uint8_t>(random());
    CHECK(is_input_error(error_code_of([&] { (void)decode_audio(garbage); })));
    CHECK(is_input_error(error_code_of([] { (void)decode_audio(test::bytes_of("RIFF\x10\0\0\0WAVEfmt "sv)); })));
    CHECK(is_input_error(error_code_of([] { (void)decode_audio(test::bytes_of("fLaC\0\0\0\x22"sv)); })));

    const std::vector<std::uint8_t> ogg = read_file(test::data_path(kClip));
    for (const std::size_t size : {std::size_t{4}, std::size_t{60}, std::size_t{200}, std::size_t{3000}}) {
      CAPTURE(size);
      CHECK(is_input_error(error_code_of([&] { (void)decode_audio(std::span(ogg).first(size)); })));
    }
    AudioEncodeOptions options;
    for (const AudioFileFormat format : {AudioFileFormat::wav, AudioFileFormat::flac, AudioFileFormat::mp3,
                                         AudioFileFormat::m4a, AudioFileFormat::ogg_opus}) {
      CAPTURE(std::string(audio_file_extension(format)));
      options.format = format;
      const std::vector<std::uint8_t> bytes = encode_audio(clip().audio.view(), options);
      // Cut inside the header: nothing to decode.
      CHECK(is_input_error(error_code_of([&] { (void)decode_audio(std::span(bytes).first(30)); })));
      // Cut in the middle: either a typed error or (like ffmpeg) the samples up to the cut; never more.
      try {
        const DecodedAudio half = decode_audio(std::span(bytes).first(bytes.size() / 2));
        CHECK(half.audio.view().duration_seconds() < 6.0);
      } catch (const Error& error) {
        CHECK(is_input_error(error.code()));
      }
      // A flipped byte in the middle of the data.
      std::vector<std::uint8_t> corrupt = bytes;
      for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) corrupt[i] ^= 0x5A;
      try {
        (void)decode_audio(corrupt);
      } catch (const Error& error) {
        CHECK(is_input_error(error.code()));
      }
    }
  }

  TEST_CASE("decode_audio applies the file size and sample limits") {
    const std::vector<std::uint8_t> ogg = read_file(test::data_path(kClip));
    Limits limits;
    limits.max_file_bytes = ogg.size() - 1;
    CHECK(error_code_of([&] { (void)decode_audio(ogg, limits); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)decode_audio_file(test::data_path(kClip), limits); }) == Errc::limit_exceeded);
    limits = Limits{};
    limits.max_audio_samples = clip().audio.samples().size() - 1;
    CHECK(error_code_of([&] { (void)decode_audio(ogg, limits); }) == Errc::limit_exceeded);
    limits.max_audio_samples = clip().audio.samples().size();
    CHECK(error_code_of([&] { (void)decode_audio(ogg, limits); }) == Errc::ok);
  }

  TEST_CASE("FFmpeg never prints to the caller's stderr") {
    std::fflush(stderr);
    const auto path = test::temp_dir("audio_stderr") / "stderr.txt";
    const int saved = ::dup(STDERR_FILENO);
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(saved >= 0);
    REQUIRE(file >= 0);
    ::dup2(file, STDERR_FILENO);
    std::vector<std::uint8_t> bytes = read_file(test::data_path(kClip));
    for (std::size_t i = 4000; i < 8000; ++i) bytes[i] ^= 0xA5;  // the Vorbis decoder would complain
    (void)error_code_of([&] { (void)decode_audio(bytes); });
    (void)error_code_of([] { (void)decode_audio(test::bytes_of("ID3\x04\0\0\0\0\0\x10garbage garbage"sv)); });
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(file);
    CHECK(std::filesystem::file_size(path) == 0);
  }
}
