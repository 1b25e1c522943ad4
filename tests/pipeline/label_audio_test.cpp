// SPDX-License-Identifier: Apache-2.0
// label() and verify() for audio: a generator's PCM or an exported file gets the audible cue, the GB 45438 tag or
// chunk and (WAV, MP3, M4A) a signed manifest; a platform reads them back.
#include <doctest/doctest.h>

#include <cmath>

#include "crypto/test_pki.hpp"
#include "provmark/inspect.hpp"
#include "provmark/label.hpp"
#include "provmark/verify.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr const char* kProducer = "001191110102MAD55U9H0F10002";

// A real recording (tests/data/README.md), as a generator would hand it over: float PCM in memory. Played twice
// (16 s): the watermark's period is 9.2 s, and the payload is drawn at random on every run, so a clip shorter than
// that would leave the stripped-and-re-encoded case to chance.
const Audio& music() { return test::music_twice(); }

LabelOptions provider(const Signer* signer) {
  LabelOptions options;
  options.aigc.content_producer = kProducer;
  options.signer = signer;
  options.provider = "Example Voice Ltd";
  options.system_name = "example-tts";
  options.system_version = "2.0";
  return options;
}

VerifyOptions platform(const std::string& root_pem) {
  VerifyOptions options;
  options.inspect.trust_anchors_pem = root_pem;
  return options;
}

Bytes encoded_as(AudioFileFormat format, std::vector<AudioTag> tags = {}) {
  AudioEncodeOptions options;
  options.format = format;
  options.tags = std::move(tags);
  return encode_audio(music().view(), options);
}

bool has_contradiction(const VerifyReport& r, const std::string& code) {
  return std::any_of(r.contradictions.begin(), r.contradictions.end(), [&](const auto& c) { return c.code == code; });
}

double rms(const float* samples, std::size_t count) {
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += double{samples[i]} * samples[i];
  return count > 0 ? std::sqrt(sum / static_cast<double>(count)) : 0.0;
}

}  // namespace

TEST_SUITE("pipeline/label_audio") {
  TEST_CASE("a generator's PCM becomes a WAV with the audible cue, the AIGC chunk and a trusted manifest") {
    const auto creds = test::make_signer_with_root();
    const LabelResult result = label(music().view(), AudioFileFormat::wav, provider(&creds.signer));

    CHECK(result.media_type == "audio/wav");
    CHECK(!result.watermark);  // no key, no watermark
    REQUIRE(result.audible_label);
    CHECK(result.audible_label->sample_rate == music().sample_rate());

    const DecodedAudio out = decode_audio(result.bytes);
    CHECK(out.audio.frames() == music().frames() + result.audible_label->content_offset);
    // The cue sounds before the content, which follows unchanged (16-bit quantisation aside).
    const int channels = out.audio.channels();
    CHECK(rms(out.audio.samples().data(), result.audible_label->label_frames * channels) > 0.01);
    const float* content = out.audio.samples().data() + result.audible_label->content_offset * channels;
    double worst = 0;
    for (std::size_t i = 0; i < music().samples().size(); ++i)
      worst = std::max(worst, std::abs(double{content[i]} - std::clamp(music().samples()[i], -1.0f, 1.0f)));
    CHECK(worst < 2.0 / 32768);

    const auto labels = read_aigc_labels(result.bytes);
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].carrier == "wav-chunk");
    CHECK(labels[0].label.content_producer == kProducer);
    CHECK(labels[0].label.produce_id == result.content_id);

    InspectOptions trusting;
    trusting.trust_anchors_pem = creds.root_pem;
    const ManifestReport report = inspect(result.bytes, trusting);
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    REQUIRE(!report.manifests.empty());
    const auto& assertions = report.manifests.back().assertions;
    CHECK(std::find(assertions.begin(), assertions.end(), "org.provmark.disclosure") != assertions.end());
    CHECK(std::find(assertions.begin(), assertions.end(), "c2pa.soft-binding") == assertions.end());
    CHECK(report.manifests.back().digital_source_type.ends_with("/trainedAlgorithmicMedia"));
  }

  TEST_CASE("an MP3 export stays an MP3 at its bit rate, keeps its tags and is signed") {
    const auto creds = test::make_signer_with_root();
    const Bytes mp3 = encoded_as(AudioFileFormat::mp3, {{"title", "Track 1"}});
    const LabelResult result = label(mp3, provider(&creds.signer));
    CHECK(result.media_type == "audio/mpeg");

    const DecodedAudio before = decode_audio(mp3), after = decode_audio(result.bytes);
    CHECK(after.source.codec == "mp3");
    CHECK(after.source.bit_rate == before.source.bit_rate);
    CHECK(std::find(after.source.tags.begin(), after.source.tags.end(), AudioTag{"title", "Track 1"}) !=
          after.source.tags.end());
    const auto labels = read_aigc_labels(result.bytes);
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].carrier == "id3");

    const VerifyReport r = verify(result.bytes, platform(creds.root_pem));
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(r.format == "audio/mpeg");
    CHECK(r.manifest.state == ValidationState::trusted);
    CHECK(r.contradictions.empty());
  }

  TEST_CASE("a watermarked MP3 whose tags a platform stripped is traced through its watermark to the stored manifest") {
    const auto creds = test::make_signer_with_root();
    const WatermarkKey key = WatermarkKey::parse(test::fixed_key_text());
    ManifestStore store = ManifestStore::open(test::temp_dir("label-audio-store") / "manifests.sqlite");
    LabelOptions options = provider(&creds.signer);
    options.watermark_key = &key;
    options.store = &store;
    const LabelResult result = label(encoded_as(AudioFileFormat::mp3), options);
    REQUIRE(result.watermark);
    InspectOptions trusting;
    trusting.trust_anchors_pem = creds.root_pem;
    const ManifestReport report = inspect(result.bytes, trusting);
    REQUIRE(!report.manifests.empty());
    REQUIRE(report.manifests.back().soft_bindings.size() == 1);
    CHECK(report.manifests.back().soft_bindings[0].alg == audio_watermark_alg);

    // The platform's transcoder: decoded, encoded again at another bit rate, no tags.
    AudioEncodeOptions transcode;
    transcode.format = AudioFileFormat::mp3;
    transcode.bit_rate = 96000;
    const Bytes stripped = encode_audio(decode_audio(result.bytes).audio.view(), transcode);
    VerifyOptions options_with_key = platform(creds.root_pem);
    options_with_key.keyring.push_back({"acme", key});
    options_with_key.store = &store;
    const VerifyReport r = verify(stripped, options_with_key);
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(!r.manifest.has_manifest);
    REQUIRE(r.watermark);
    CHECK(r.watermark->payload == *result.watermark);
    REQUIRE(r.watermark->audio_detection);
    REQUIRE(r.recovered_manifest);
    CHECK(r.recovered_manifest->active_manifest == result.manifest_label);
    CHECK(has_contradiction(r, "metadata_stripped"));
  }

  TEST_CASE("an M4A is signed with a BMFF hash; a changed byte of its audio is reported as changed after signing") {
    const auto creds = test::make_signer_with_root();
    const LabelResult result = label(encoded_as(AudioFileFormat::m4a), provider(&creds.signer));
    CHECK(result.media_type == "audio/mp4");
    VerifyReport r = verify(result.bytes, platform(creds.root_pem));
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(r.contradictions.empty());

    Bytes tampered = result.bytes;
    tampered[tampered.size() - 100] ^= 0x01;  // the mdat box comes last: audio data
    r = verify(tampered, platform(creds.root_pem));
    CHECK(r.verdict == Verdict::confirmed_ai);  // the signature over the AI claim still holds
    CHECK(has_contradiction(r, "pixels_changed_after_signing"));
    CHECK(!has_contradiction(r, "manifest_invalid"));
  }

  TEST_CASE("without the audible cue the samples are untouched: only metadata is added") {
    const auto creds = test::make_signer_with_root();
    LabelOptions options = provider(&creds.signer);
    options.audible_label = false;
    const Bytes wav = encoded_as(AudioFileFormat::wav);
    const LabelResult result = label(wav, options);
    CHECK(!result.audible_label);
    CHECK(decode_audio(result.bytes).audio.samples() == decode_audio(wav).audio.samples());
  }

  TEST_CASE("FLAC and Ogg get the AIGC comment; asking for a manifest there is refused before any work") {
    LabelOptions options = provider(nullptr);
    for (const AudioFileFormat format : {AudioFileFormat::flac, AudioFileFormat::ogg_vorbis}) {
      CAPTURE(audio_file_extension(format));
      const LabelResult result = label(encoded_as(format), options);
      const auto labels = read_aigc_labels(result.bytes);
      REQUIRE(labels.size() == 1);
      CHECK(labels[0].carrier == "vorbis-comment");
      const VerifyReport r = verify(result.bytes, VerifyOptions{});
      CHECK(r.verdict == Verdict::confirmed_ai);
      CHECK(!r.manifest.has_manifest);
      CHECK(has_contradiction(r, "label_without_manifest"));
    }
    const auto creds = test::make_signer_with_root();
    options.signer = &creds.signer;
    CHECK(test::error_code_of([&] { (void)label(encoded_as(AudioFileFormat::flac), options); }) ==
          Errc::unsupported_format);
    CHECK(test::error_code_of([&] { (void)label(music().view(), AudioFileFormat::ogg_opus, options); }) ==
          Errc::unsupported_format);
  }

  TEST_CASE("signed audio is not labelled again, and a signed MP3 cannot be propagated without losing its manifest") {
    const auto creds = test::make_signer_with_root();
    const LabelResult wav = label(music().view(), AudioFileFormat::wav, provider(&creds.signer));
    CHECK(test::error_code_of([&] { (void)label(wav.bytes, provider(&creds.signer)); }) == Errc::invalid_argument);

    // WAV keeps its manifest through the AIGC rewrite, so the platform's manifest gets it as parent.
    PropagateOptions propagation;
    propagation.propagator = "PLATFORM";
    propagation.signer = &creds.signer;
    const PropagateResult propagated = propagate(wav.bytes, propagation);
    InspectOptions trusting;
    trusting.trust_anchors_pem = creds.root_pem;
    const ManifestReport report = inspect(propagated.bytes, trusting);
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.manifests.size() == 2);

    const LabelResult mp3 = label(encoded_as(AudioFileFormat::mp3), provider(&creds.signer));
    CHECK(test::error_code_of([&] { (void)propagate(mp3.bytes, propagation); }) == Errc::unsupported_format);
  }

  TEST_CASE("unlabelled audio shows no evidence, and bad input is a typed error") {
    const VerifyReport r = verify(encoded_as(AudioFileFormat::mp3), VerifyOptions{});
    CHECK(r.verdict == Verdict::no_evidence);
    CHECK(r.contradictions.empty());

    const Bytes not_audio{'n', 'o', 't', ' ', 'a', 'u', 'd', 'i', 'o'};
    CHECK(test::error_code_of([&] { (void)label(not_audio, provider(nullptr)); }) == Errc::unsupported_format);
    Bytes truncated = encoded_as(AudioFileFormat::wav);
    truncated.resize(truncated.size() / 2);
    CHECK(test::error_code_of([&] { (void)label(truncated, provider(nullptr)); }) == Errc::malformed_input);
    CHECK(test::error_code_of([&] {
            (void)label(music().view(), AudioFileFormat::same_as_source, provider(nullptr));
          }) == Errc::invalid_argument);
  }
}
