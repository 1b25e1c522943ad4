// SPDX-License-Identifier: Apache-2.0
// verify(): what a platform learns from an upload, for files labelled, stripped, edited, relabelled or never labelled.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "codecs/jpeg.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/label.hpp"
#include "provmark/verify.hpp"
#include "support/attacks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A provider that labels with every layer, and a platform that knows its key and trusts its root.
struct Scenario {
  test::SignerWithRoot creds = test::make_signer_with_root();
  WatermarkKey key = WatermarkKey::parse(test::fixed_key_text());  // attacks below: the same answer every run
  ManifestStore store = ManifestStore::open(test::temp_dir("verify-store") / "manifests.sqlite");

  LabelResult label_photo(const std::string& name) {
    LabelOptions options;
    options.aigc.content_producer = "001191110102MAD55U9H0F10002";
    options.watermark_key = &key;
    options.signer = &creds.signer;
    options.store = &store;
    return label(read_file(test::data_path(name)), options);
  }

  [[nodiscard]] VerifyOptions platform() const {
    VerifyOptions options;
    options.inspect.trust_anchors_pem = creds.root_pem;
    options.keyring.push_back({"acme", key});
    options.store = &store;
    return options;
  }
};

bool has_contradiction(const VerifyReport& r, const std::string& code) {
  return std::any_of(r.contradictions.begin(), r.contradictions.end(), [&](const auto& c) { return c.code == code; });
}

// An editor that keeps the file's APPn segments (and so its C2PA manifest) while it crops and recompresses.
Bytes crop_keeping_metadata(const Bytes& jpeg, double fraction, int quality) {
  const codecs::JpegInfo info = codecs::parse_jpeg(jpeg);
  const Image pixels = codecs::decode_jpeg(jpeg, {});
  const int w = static_cast<int>(pixels.width() * fraction), h = static_cast<int>(pixels.height() * fraction);
  const Image cropped = test::crop(pixels, (pixels.width() - w) / 2, (pixels.height() - h) / 2, w, h);
  return codecs::encode_jpeg(cropped.view(), quality, true, info.metadata);
}

// What a re-encoding upload pipeline does: pixels only, no metadata.
Bytes strip_metadata(const Bytes& jpeg) { return encode_jpeg(decode_image(jpeg).view(), {.quality = 85}); }

}  // namespace

TEST_SUITE("pipeline/verify") {
  TEST_CASE("a labelled photo is confirmed by all three layers without contradictions") {
    Scenario s;
    const LabelResult labelled = s.label_photo("coffee.jpg");
    const VerifyReport r = verify(labelled.bytes, s.platform());
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(r.manifest.state == ValidationState::trusted);
    CHECK(r.manifest_declares_ai);
    REQUIRE(r.aigc_labels.size() == 1);
    REQUIRE(r.watermark);
    CHECK(r.watermark->provider == "acme");
    CHECK(r.watermark->payload == *labelled.watermark);
    CHECK(!r.recovered_manifest);  // the embedded manifest already names the watermark
    CHECK(r.contradictions.empty());
  }

  TEST_CASE("a stripped photo is confirmed through its watermark and its manifest is recovered from the store") {
    Scenario s;
    const LabelResult labelled = s.label_photo("coffee.jpg");
    const VerifyReport r = verify(strip_metadata(labelled.bytes), s.platform());
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(!r.manifest.has_manifest);
    CHECK(r.aigc_labels.empty());
    REQUIRE(r.watermark);
    REQUIRE(r.recovered_manifest);
    CHECK(r.recovered_manifest->active_manifest == labelled.manifest_label);
    // The recovered manifest's signature holds; only its hard binding fails, as the bytes are new.
    REQUIRE(r.recovered_manifest->failure.size() == 1);
    CHECK(r.recovered_manifest->failure[0].code == "assertion.dataHash.mismatch");
    CHECK(has_contradiction(r, "metadata_stripped"));
    CHECK(r.summary.find("recovered") != std::string::npos);
  }

  TEST_CASE("a photo cropped to half its area and recompressed at q70 is confirmed and the broken binding reported") {
    Scenario s;
    const LabelResult labelled = s.label_photo("rocket.jpg");
    const VerifyReport r = verify(crop_keeping_metadata(labelled.bytes, 0.71, 70), s.platform());
    CHECK(r.verdict == Verdict::confirmed_ai);
    REQUIRE(r.watermark);
    CHECK(r.watermark->payload == *labelled.watermark);
    CHECK(r.manifest.state == ValidationState::invalid);
    CHECK(has_contradiction(r, "pixels_changed_after_signing"));
    CHECK(!has_contradiction(r, "manifest_invalid"));
  }

  TEST_CASE("an unlabelled photo shows no evidence") {
    Scenario s;
    const VerifyReport r = verify(read_file(test::data_path("coffee.jpg")), s.platform());
    CHECK(r.verdict == Verdict::no_evidence);
    CHECK(!r.manifest.has_manifest);
    CHECK(!r.watermark);
    CHECK(r.contradictions.empty());
    CHECK(nlohmann::json::parse(r.to_json())["notice"].is_null());
  }

  TEST_CASE("an AIGC label alone confirms but is flagged as unbacked, and Label 2 or a declaration means possibly") {
    LabelOptions options;
    options.visible_label = false;
    options.aigc.content_producer = "PRODUCER";
    const Bytes labelled = label(read_file(test::data_path("coffee.jpg")), options).bytes;
    VerifyOptions platform;
    VerifyReport r = verify(labelled, platform);
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(has_contradiction(r, "label_without_manifest"));

    options.aigc.label = "2";
    r = verify(label(read_file(test::data_path("coffee.jpg")), options).bytes, platform);
    CHECK(r.verdict == Verdict::possibly_ai);

    platform.user_declared_ai = true;
    r = verify(read_file(test::data_path("coffee.jpg")), platform);
    CHECK(r.verdict == Verdict::possibly_ai);
  }

  TEST_CASE("a watermark made with a key outside the keyring is not evidence") {
    Scenario s;
    const LabelResult labelled = s.label_photo("coffee.jpg");
    VerifyOptions platform;
    platform.keyring.push_back({"someone else", WatermarkKey::generate()});
    const VerifyReport r = verify(strip_metadata(labelled.bytes), platform);
    CHECK(r.verdict == Verdict::no_evidence);
    CHECK(!r.watermark);
  }

  TEST_CASE("a manifest whose soft binding names another payload contradicts the watermark") {
    Scenario s;
    const Bytes marked = embed_encoded(read_file(test::data_path("coffee.jpg")), Payload::from_u64(1), s.key);
    Manifest manifest("test");
    manifest.created(DigitalSourceType::trained_algorithmic_media).watermarked(Payload::from_u64(2));
    const VerifyReport r = verify(sign(marked, manifest, s.creds.signer), s.platform());
    CHECK(r.verdict == Verdict::confirmed_ai);
    CHECK(has_contradiction(r, "manifest_watermark_disagree"));
  }

  TEST_CASE("the JSON report carries the verdict, the notice and every piece of evidence") {
    Scenario s;
    const VerifyReport r = verify(strip_metadata(s.label_photo("coffee.jpg").bytes), s.platform());
    const auto json = nlohmann::json::parse(r.to_json());
    CHECK(json["verdict"] == "confirmed_ai");
    CHECK(json["notice"] == "该内容属于人工智能生成合成内容");
    CHECK(json["evidence"]["manifest"].is_null());
    CHECK(json["evidence"]["watermark"]["provider"] == "acme");
    CHECK(json["evidence"]["recovered_manifest"]["validation_state"] == "Invalid");
    CHECK(json["contradictions"][0]["code"] == "metadata_stripped");
  }
}
