// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "codecs/compare.hpp"
#include "provmark/aigc.hpp"
#include "provmark/audio_codec.hpp"
#include "provmark/codec.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using test::error_code_of;
using namespace std::literals;

AigcLabel sample_label(const std::string& id = "AUD20261121A0001") {
  AigcLabel label;
  label.content_producer = "001191110102MAD55U9H0F10002";
  label.produce_id = id;
  label.content_propagator = label.content_producer;
  label.propagate_id = id;
  return label;
}

// The first two seconds of the committed clip.
Audio short_clip() {
  const DecodedAudio decoded = decode_audio_file(test::data_path("drascula_track1_8s.ogg"));
  const AudioView view = decoded.audio.view();
  return Audio::copy_of(AudioView{view.samples, std::size_t{88200}, view.channels, view.sample_rate});
}

std::vector<std::uint8_t> encoded(AudioFileFormat format, std::vector<AudioTag> tags = {{"title", "Clip"}}) {
  static const Audio clip = short_clip();
  AudioEncodeOptions options;
  options.format = format;
  options.tags = std::move(tags);
  return encode_audio(clip.view(), options);
}

struct Case {
  AudioFileFormat format;
  const char* carrier;
};
constexpr Case kCases[] = {{AudioFileFormat::mp3, "id3"},
                           {AudioFileFormat::flac, "vorbis-comment"},
                           {AudioFileFormat::m4a, "mp4-metadata"},
                           {AudioFileFormat::ogg_opus, "vorbis-comment"},
                           {AudioFileFormat::ogg_vorbis, "vorbis-comment"}};

// Standard output of a command, or nullopt when it cannot run.
std::optional<std::string> run(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  return out;
}

// Every string value anywhere in a JSON document.
void strings_in(const nlohmann::json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_structured())
    for (const auto& item : value) strings_in(item, out);
}

std::vector<std::string> tool_values(const std::string& command) {
  const auto out = run(command);
  REQUIRE(out.has_value());
  std::vector<std::string> values;
  strings_in(nlohmann::json::parse(*out), values);
  return values;
}

}  // namespace

TEST_SUITE("labels/aigc_audio") {
  TEST_CASE("write_aigc_label puts one label into MP3, FLAC, M4A, Ogg Opus and Ogg Vorbis without re-encoding") {
    const AigcLabel label = sample_label();
    for (const Case c : kCases) {
      CAPTURE(std::string(audio_file_extension(c.format)));
      const std::vector<std::uint8_t> plain = encoded(c.format);
      CHECK(read_aigc_labels(plain).empty());
      const std::vector<std::uint8_t> labelled = write_aigc_label(plain, label);
      const std::vector<FoundAigcLabel> found = read_aigc_labels(labelled);
      REQUIRE(found.size() == 1);
      CHECK(found[0].label == label);
      CHECK(found[0].carrier == c.carrier);
      CHECK(found[0].problems.empty());
      // Stream copy: the same packets, so the same samples; the other tags stay.
      const DecodedAudio before = decode_audio(plain);
      const DecodedAudio after = decode_audio(labelled);
      CHECK(after.source.codec == before.source.codec);
      CHECK(after.audio.samples() == before.audio.samples());
      CHECK(std::any_of(after.source.tags.begin(), after.source.tags.end(),
                        [](const AudioTag& tag) { return tag.value == "Clip"; }));
      // Labelling again replaces the label.
      const AigcLabel second = sample_label("AUD20261121A0002");
      const std::vector<FoundAigcLabel> again = read_aigc_labels(write_aigc_label(labelled, second));
      REQUIRE(again.size() == 1);
      CHECK(again[0].label == second);
    }
  }

  TEST_CASE("read_aigc_labels reads both nestings and comment tags, write_aigc_label leaves only its own") {
    const AigcLabel label = sample_label();
    for (const Case c : kCases) {
      CAPTURE(std::string(audio_file_extension(c.format)));
      const std::vector<std::uint8_t> other_tools =
          encoded(c.format, {{"aigc", label.to_wrapped_json()}, {"comment", label.to_wrapped_json()}});
      const std::vector<FoundAigcLabel> found = read_aigc_labels(other_tools);
      REQUIRE(found.size() == 2);
      for (const FoundAigcLabel& entry : found) CHECK(entry.label == label);
      CHECK(std::count_if(found.begin(), found.end(),
                          [](const FoundAigcLabel& f) { return f.carrier == "audio-comment"; }) == 1);
      const std::vector<FoundAigcLabel> rewritten = read_aigc_labels(write_aigc_label(other_tools, label));
      REQUIRE(rewritten.size() == 1);
      CHECK(rewritten[0].carrier == c.carrier);
    }
    // A value that is not AIGC JSON is reported, not thrown.
    const std::vector<FoundAigcLabel> broken = read_aigc_labels(encoded(AudioFileFormat::flac, {{"AIGC", "yes"}}));
    REQUIRE(broken.size() == 1);
    REQUIRE(broken[0].problems.size() == 1);
    CHECK(broken[0].problems[0].rfind("unreadable value: ", 0) == 0);
  }

  TEST_CASE("ffprobe and exiftool read the audio label") {
    if (std::system("command -v exiftool >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1") != 0) {
      MESSAGE("exiftool or ffprobe missing: skipped");
      return;
    }
    const AigcLabel label = sample_label();
    const auto dir = test::temp_dir("aigc_audio_tools");
    for (const Case c : kCases) {
      const std::string ext = audio_file_extension(c.format);
      CAPTURE(ext);
      const auto path = dir / ("labelled." + ext);
      write_file_atomic(path, write_aigc_label(encoded(c.format), label));
      const auto probed =
          tool_values("ffprobe -v error -show_entries format_tags:stream_tags -of json '" + path.string() + "'");
      CHECK(std::count(probed.begin(), probed.end(), label.to_json()) == 1);
      // exiftool: MP3 [ID3v2_4] UserDefinedText "(AIGC) value", FLAC/Ogg [Vorbis] Aigc, M4A [Keys] AIGC.
      const auto read = tool_values("exiftool -j -a -G1 '" + path.string() + "'");
      const std::string expected = c.format == AudioFileFormat::mp3 ? "(AIGC) " + label.to_json() : label.to_json();
      CHECK(std::count(read.begin(), read.end(), expected) == 1);
    }
  }

  TEST_CASE("a WAV file FFmpeg wrote takes the label as its RIFF AIGC chunk") {
    const std::vector<std::uint8_t> labelled = write_aigc_label(encoded(AudioFileFormat::wav), sample_label());
    const std::vector<FoundAigcLabel> found = read_aigc_labels(labelled);
    REQUIRE(found.size() == 1);
    CHECK(found.front().carrier == "wav-chunk");
    CHECK(found.front().label == sample_label());
  }

  TEST_CASE("audio containers that cannot carry the label give typed errors") {
    for (const std::string_view bad :
         {"OggS\0\0\0\0garbage"sv, "fLaC\0\0\0\x22"sv, "ID3\x04\0\0\0\0\0\x01x"sv, "\xFF\xFB\x90"sv}) {
      const auto bytes = test::bytes_of(bad);
      const Errc read = error_code_of([&] { (void)read_aigc_labels(bytes); });
      const Errc write = error_code_of([&] { (void)write_aigc_label(bytes, sample_label()); });
      CHECK((read == Errc::malformed_input || read == Errc::unsupported_format));
      CHECK((write == Errc::malformed_input || write == Errc::unsupported_format));
    }
    // Cover pictures stay in MP3 and FLAC; an M4A one cannot (FFmpeg's mdta mode has no covr), nor can video.
    if (std::system("command -v ffmpeg >/dev/null 2>&1") == 0) {
      const auto dir = test::temp_dir("aigc_audio_cover");
      for (const std::string name : {"cover.mp3", "cover.flac", "cover.m4a", "video.mp4"}) {
        CAPTURE(name);
        const std::string input = name == "video.mp4" ? "-f lavfi -i testsrc=d=1 -c:v mpeg4"
                                                      : "-i '" + test::data_path("coffee.jpg").string() +
                                                            "' -map 0 -map 1 -c:v copy -disposition:v attached_pic";
        const auto path = dir / name;
        REQUIRE(std::system(
                    ("ffmpeg -v error -y -f lavfi -i sine=d=1 " + input + " '" + path.string() + "'").c_str()) == 0);
        const std::vector<std::uint8_t> file = read_file(path);
        if (name == "cover.m4a" || name == "video.mp4") {
          CHECK(error_code_of([&] { (void)write_aigc_label(file, sample_label()); }) == Errc::unsupported_format);
          continue;
        }
        write_file_atomic(dir / ("labelled-" + name), write_aigc_label(file, sample_label()));
        const auto streams = run("ffprobe -v error -show_entries stream_disposition=attached_pic -of csv=p=0 '" +
                                 (dir / ("labelled-" + name)).string() + "'");
        REQUIRE(streams.has_value());
        CHECK(*streams == "0\n1\n");  // the audio, then the cover
      }
    }

    const std::vector<std::uint8_t> mp3 = encoded(AudioFileFormat::mp3);
    Limits limits;
    limits.max_file_bytes = mp3.size() - 1;
    CHECK(error_code_of([&] { (void)read_aigc_labels(mp3, limits); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)write_aigc_label(mp3, sample_label(), limits); }) == Errc::limit_exceeded);
  }
}
