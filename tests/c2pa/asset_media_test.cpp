// SPDX-License-Identifier: Apache-2.0
// C2PA stores in WAV, MP3 and BMFF: where they go, and signed files that validate, and stop validating when a
// byte of the audio changes.
#include <doctest/doctest.h>

#include <algorithm>

#include "c2pa/asset_media.hpp"
#include "c2pa/container.hpp"
#include "containers/bmff.hpp"
#include "containers/id3.hpp"
#include "containers/riff.hpp"
#include "containers/sample_media.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/error.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "support/checks.hpp"

using namespace provmark;
using namespace provmark::c2pa;
using test::Bytes;

namespace {

bool has_code(const std::vector<ValidationStatus>& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(), [&](const ValidationStatus& s) { return s.code == code; });
}

std::vector<std::string> failure_codes(const ManifestReport& report) {
  std::vector<std::string> codes;
  for (const auto& s : report.failure) codes.push_back(s.code);
  return codes;
}

Bytes slice(const Bytes& bytes, const ByteRange& range) {
  return {bytes.begin() + static_cast<std::ptrdiff_t>(range.start),
          bytes.begin() + static_cast<std::ptrdiff_t>(range.start + range.length)};
}

struct Sample {
  const char* name;
  Bytes file;
  std::size_t audio_byte;  // an offset inside the audio data
  bool store_first;        // the store goes in before the audio (the tag, the uuid box), moving it
  const char* binding;
  const char* media_type;
};

std::vector<Sample> samples() {
  const Bytes wav = test::sample_wav();
  const Bytes mp3 = test::sample_mp3(4, {test::id3_text_frame(4, "TIT2", "a title")}, 64);
  const Bytes m4a = test::sample_mp4();
  return {{"wav", wav, 200, false, "c2pa.hash.data", "audio/wav"},
          {"mp3", mp3, mp3.size() - 10, true, "c2pa.hash.data", "audio/mpeg"},
          {"m4a", m4a, m4a.size() - 10, true, "c2pa.hash.bmff.v3", "audio/mp4"}};
}

}  // namespace

TEST_SUITE("c2pa/asset_media") {
  TEST_CASE("a WAV store is a C2PA chunk at the end of the RIFF form, and replaces an old one") {
    const Bytes wav = test::sample_wav(100, {test::riff_chunk_bytes("LIST", Bytes(9, 'i'))});
    CHECK(sniff_container(wav) == Container::wav);
    CHECK_FALSE(wav_read_manifest_store(wav).has_value());
    const EmbeddedAsset first = wav_embed_manifest_store(wav, test::fake_store(40));
    const auto form = containers::parse_riff(first.bytes);
    REQUIRE(form.chunks.size() == 4);
    CHECK(form.chunks.back().is("C2PA"));
    REQUIRE(first.exclusions.size() == 1);
    CHECK(first.exclusions[0] == ByteRange{form.chunks.back().offset, 48});
    CHECK(std::equal(wav.begin() + 12, wav.end(), first.bytes.begin() + 12));  // the other chunks are unchanged
    CHECK(wav_read_manifest_store(first.bytes) == test::fake_store(40));

    const EmbeddedAsset second = wav_embed_manifest_store(first.bytes, test::fake_store(60));
    CHECK(containers::parse_riff(second.bytes).chunks.size() == 4);
    CHECK(wav_read_manifest_store(second.bytes) == test::fake_store(60));
    CHECK(wav_manifest_store_range(second.bytes) == second.exclusions[0]);

    const Bytes two = test::sample_wav(10, {test::riff_chunk_bytes("C2PA", test::fake_store()),
                                            test::riff_chunk_bytes("C2PA", test::fake_store())});
    CHECK(test::error_code_of([&] { (void)wav_read_manifest_store(two); }) == Errc::malformed_input);
  }

  TEST_CASE("an MP3 store is a GEOB frame of a rewritten ID3 tag; other frames and the audio are kept") {
    const Bytes tit2 = test::id3_text_frame(4, "TIT2", "a title");
    const Bytes mp3 = test::sample_mp3(4, {tit2}, 100);
    const auto tag = containers::parse_id3v2(mp3);
    const EmbeddedAsset out = mp3_embed_manifest_store(mp3, test::fake_store(50));
    const auto new_tag = containers::parse_id3v2(out.bytes);
    REQUIRE(new_tag.has_value());
    CHECK(new_tag->major == 4);
    REQUIRE(new_tag->frames.size() == 2);
    CHECK(containers::id3_frame_bytes(*new_tag, new_tag->frames[0]) == tit2);
    CHECK(new_tag->frames[1].is("GEOB"));
    const auto geob = containers::id3_frame_content(*new_tag, new_tag->frames[1]);
    const std::string_view fields("\x03" "application/c2pa\0c2pa\0c2pa manifest store\0", 42);
    REQUIRE(geob.has_value());
    CHECK(std::equal(fields.begin(), fields.end(), geob->begin()));
    REQUIRE(out.exclusions.size() == 1);
    CHECK(slice(out.bytes, out.exclusions[0]) == test::fake_store(50));  // only the store bytes are excluded
    CHECK(std::equal(mp3.begin() + static_cast<std::ptrdiff_t>(tag->size), mp3.end(),
                     out.bytes.begin() + static_cast<std::ptrdiff_t>(new_tag->size)));
    CHECK(mp3_read_manifest_store(out.bytes) == test::fake_store(50));

    // Replacing: still one GEOB; a v2.3 tag stays v2.3; no tag at all gets a v2.4 one.
    const EmbeddedAsset again = mp3_embed_manifest_store(out.bytes, test::fake_store(70));
    CHECK(containers::parse_id3v2(again.bytes)->frames.size() == 2);
    CHECK(mp3_read_manifest_store(again.bytes) == test::fake_store(70));
    const Bytes v23 = test::sample_mp3(3, {test::id3_text_frame(3, "TIT2", "x")});
    CHECK(containers::parse_id3v2(mp3_embed_manifest_store(v23, test::fake_store()).bytes)->major == 3);
    const Bytes bare(mp3.begin() + static_cast<std::ptrdiff_t>(tag->size), mp3.end());
    CHECK(sniff_container(bare) == Container::mp3);
    CHECK(mp3_read_manifest_store(mp3_embed_manifest_store(bare, test::fake_store()).bytes) == test::fake_store());

    // Two C2PA GEOB frames: no usable store, as c2pa-rs reads it.
    const Bytes geob_frame = containers::id3_frame(4, "GEOB", *geob);
    CHECK_FALSE(mp3_read_manifest_store(test::sample_mp3(4, {geob_frame, geob_frame})).has_value());
  }

  TEST_CASE("a BMFF store is a uuid box right after ftyp, and the chunk offsets move with the media") {
    const Bytes mp4 = test::sample_mp4();
    CHECK(sniff_container(mp4) == Container::bmff);
    CHECK(media_type(Container::bmff, mp4) == "audio/mp4");
    const EmbeddedAsset out = bmff_embed_manifest_store(mp4, test::fake_store(40));
    const auto boxes = containers::parse_bmff(out.bytes);
    CHECK(boxes[1].is("uuid"));
    CHECK(boxes[1].offset == boxes[0].end());
    CHECK(out.exclusions[0] == ByteRange{boxes[1].offset, boxes[1].size});
    CHECK(boxes[1].size == 45 + 40);
    CHECK(bmff_read_manifest_store(out.bytes) == test::fake_store(40));
    const auto before = test::sample_mp4_chunk_offsets(mp4);
    const auto after = test::sample_mp4_chunk_offsets(out.bytes);
    for (std::size_t i = 0; i < before.size(); ++i) {
      CHECK(after[i] == before[i] + boxes[1].size);
      CHECK(std::equal(mp4.begin() + before[i], mp4.begin() + before[i] + 100, out.bytes.begin() + after[i]));
    }
    // A bigger store in place of the old one moves them by the difference only.
    const EmbeddedAsset bigger = bmff_embed_manifest_store(out.bytes, test::fake_store(100));
    CHECK(test::sample_mp4_chunk_offsets(bigger.bytes)[0] == before[0] + 45 + 100);
    CHECK(containers::parse_bmff(bigger.bytes).size() == boxes.size());

    Bytes open_ended = test::bmff_box("ftyp", Bytes(8, 'a'));
    open_ended[3] = 0;  // size 0: to the end of the file
    CHECK(test::error_code_of([&] { (void)bmff_embed_manifest_store(open_ended, test::fake_store()); }) ==
          Errc::malformed_input);

    Bytes fragmented = mp4;
    const Bytes moof = test::bmff_box("moof", {});
    fragmented.insert(fragmented.end(), moof.begin(), moof.end());
    CHECK(test::error_code_of([&] { (void)bmff_embed_manifest_store(fragmented, test::fake_store()); }) ==
          Errc::unsupported_format);
  }

  TEST_CASE("the BMFF hash covers each top-level box with its offset, and not the C2PA box, ftyp or mfra") {
    const Bytes mp4 = test::sample_mp4();
    const EmbeddedAsset a = bmff_embed_manifest_store(mp4, test::fake_store(40));
    Bytes other_store = test::fake_store(40);
    other_store.back() = 1;
    const EmbeddedAsset b = bmff_embed_manifest_store(mp4, other_store);
    const auto exclusions = bmff_required_exclusions();
    CHECK(bmff_hash(a.bytes, exclusions, "sha256") == bmff_hash(b.bytes, exclusions, "sha256"));
    Bytes ftyp_changed = a.bytes;
    ftyp_changed[10] ^= 1;  // inside ftyp's brands
    CHECK(bmff_hash(ftyp_changed, exclusions, "sha256") == bmff_hash(a.bytes, exclusions, "sha256"));
    Bytes media_changed = a.bytes;
    media_changed.back() ^= 1;
    CHECK(bmff_hash(media_changed, exclusions, "sha256") != bmff_hash(a.bytes, exclusions, "sha256"));
    // The offsets are part of the v2/v3 hash, not of the 1.x one.
    CHECK(bmff_hash(a.bytes, exclusions, "sha256", false) != bmff_hash(a.bytes, exclusions, "sha256"));
  }

  TEST_CASE("signed WAV, MP3 and M4A files are Trusted; a changed audio byte gives the binding's mismatch") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const InspectOptions options{.trust_anchors_pem = creds.root_pem};
    for (const Sample& sample : samples()) {
      CAPTURE(sample.name);
      const Bytes signed_file = sign(sample.file, manifest, creds.signer);
      const ManifestReport report = inspect(signed_file, options);
      CHECK(report.state == ValidationState::trusted);
      CHECK(report.failure.empty());
      REQUIRE(report.manifests.size() == 1);
      CHECK(std::find(report.manifests[0].assertions.begin(), report.manifests[0].assertions.end(),
                      sample.binding) != report.manifests[0].assertions.end());
      const bool bmff = std::string_view(sample.binding) == "c2pa.hash.bmff.v3";
      CHECK(has_code(report.success, bmff ? "assertion.bmffHash.match" : "assertion.dataHash.match"));

      Bytes tampered = signed_file;
      tampered[sample.audio_byte + (sample.store_first ? signed_file.size() - sample.file.size() : 0)] ^= 0x10;
      const ManifestReport broken = inspect(tampered, options);
      CHECK(broken.state == ValidationState::invalid);
      CHECK(failure_codes(broken) ==
            std::vector<std::string>{bmff ? "assertion.bmffHash.mismatch" : "assertion.dataHash.mismatch"});
    }
  }

  TEST_CASE("an MP3's other ID3 frames are covered by the data hash") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    const Bytes mp3 = test::sample_mp3(4, {test::id3_text_frame(4, "TIT2", "a title")});
    Bytes signed_file = sign(mp3, Manifest("provmark tests"), creds.signer);
    const std::string_view title = "a title";
    auto at = std::search(signed_file.begin(), signed_file.end(), title.begin(), title.end());
    REQUIRE(at != signed_file.end());
    *at = 'A';
    CHECK(failure_codes(inspect(signed_file, {.trust_anchors_pem = creds.root_pem})) ==
          std::vector<std::string>{"assertion.dataHash.mismatch"});
  }

  TEST_CASE("re-signing a WAV, MP3 or M4A keeps the first manifest as the parent ingredient") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    Manifest manifest("provmark tests");
    for (const Sample& sample : samples()) {
      CAPTURE(sample.name);
      const Bytes once = sign(sample.file, manifest, creds.signer);
      const Bytes twice = sign(once, manifest, creds.signer);
      const ManifestReport report = inspect(twice, {.trust_anchors_pem = creds.root_pem});
      CHECK(report.state == ValidationState::trusted);
      CHECK(report.failure.empty());
      REQUIRE(report.manifests.size() == 2);
      REQUIRE(report.manifests[1].ingredients.size() == 1);
      CHECK(report.manifests[1].ingredients[0].relationship == "parentOf");
      CHECK(report.manifests[1].ingredients[0].format == sample.media_type);
      CHECK(report.manifests[1].ingredients[0].active_manifest == report.manifests[0].label);
    }
  }
}
