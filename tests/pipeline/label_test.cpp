// SPDX-License-Identifier: Apache-2.0
// label(): one call labels an export with all four layers, and each layer can be read back on its own.
#include <doctest/doctest.h>

#include "crypto/test_pki.hpp"
#include "provmark/inspect.hpp"
#include "provmark/label.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

InspectOptions trusting(const std::string& root_pem) {
  InspectOptions options;
  options.trust_anchors_pem = root_pem;
  return options;
}

const ManifestSummary& active(const ManifestReport& report) {
  REQUIRE(!report.manifests.empty());
  return report.manifests.back();
}

}  // namespace

TEST_SUITE("pipeline/label") {
  TEST_CASE("a JPEG export gets a visible label, an AIGC label, a watermark and a trusted manifest") {
    const auto creds = test::make_signer_with_root();
    const WatermarkKey key = WatermarkKey::generate();
    const auto db = test::temp_dir("label-store") / "manifests.sqlite";
    ManifestStore store = ManifestStore::open(db);

    LabelOptions options;
    options.aigc.content_producer = "001191110102MAD55U9H0F10002";
    options.watermark_key = &key;
    options.signer = &creds.signer;
    options.provider = "Example AI Ltd";
    options.system_name = "example-diffusion";
    options.system_version = "3.1";
    options.store = &store;
    const LabelResult result = label(read_file(test::data_path("coffee.jpg")), options);

    CHECK(sniff_image_format(result.bytes) == ImageFormat::jpeg);
    CHECK(result.content_id.size() == 32);
    REQUIRE(result.visible_label);
    CHECK(result.visible_label->ink_height >= 0.05 * 400);  // coffee.jpg is 600x400

    const auto labels = read_aigc_labels(result.bytes);
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].label.label == "1");
    CHECK(labels[0].label.content_producer == "001191110102MAD55U9H0F10002");
    CHECK(labels[0].label.produce_id == result.content_id);
    CHECK(labels[0].label.content_propagator == labels[0].label.content_producer);  // Annex E note 1
    CHECK(labels[0].problems.empty());

    const DetectResult detected = detect_encoded(result.bytes, key);
    REQUIRE(detected.found);
    REQUIRE(result.watermark);
    CHECK(detected.payload == *result.watermark);

    const ManifestReport report = inspect(result.bytes, trusting(creds.root_pem));
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    CHECK(report.active_manifest == result.manifest_label);
    const auto& assertions = active(report).assertions;
    CHECK(std::find(assertions.begin(), assertions.end(), "org.provmark.disclosure") != assertions.end());
    CHECK(std::find(assertions.begin(), assertions.end(), "c2pa.soft-binding") != assertions.end());
    CHECK(active(report).digital_source_type.ends_with("/trainedAlgorithmicMedia"));

    const auto stored = store.find(*result.watermark);
    REQUIRE(stored);
    CHECK(stored->active_manifest == result.manifest_label);
    CHECK(stored->media_type == "image/jpeg");
  }

  TEST_CASE("the watermark payload is the start of the content identifier") {
    const WatermarkKey key = WatermarkKey::generate();
    LabelOptions options;
    options.visible_label = false;
    options.aigc.content_producer = "PRODUCER";
    options.watermark_key = &key;
    const LabelResult result = label(read_file(test::data_path("rocket.jpg")), options);
    REQUIRE(result.watermark);
    std::string hex = result.watermark->to_hex();
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::toupper(c); });
    CHECK(result.content_id.substr(0, 16) == hex);
    CHECK(result.manifest_label.empty());  // no signer: no manifest
  }

  TEST_CASE("pixels from a generator's buffer are labelled and encoded as PNG") {
    const Image photo = test::load_photo("chelsea.png");
    const WatermarkKey key = WatermarkKey::generate();
    const auto creds = test::make_signer_with_root("Ed25519");
    LabelOptions options;
    options.aigc.content_producer = "PRODUCER";
    options.watermark_key = &key;
    options.signer = &creds.signer;
    const LabelResult result = label(photo.view(), ImageFormat::png, options);
    CHECK(sniff_image_format(result.bytes) == ImageFormat::png);
    CHECK(read_aigc_labels(result.bytes).size() == 1);
    CHECK(detect_encoded(result.bytes, key).found);
    CHECK(inspect(result.bytes, trusting(creds.root_pem)).state == ValidationState::trusted);
  }

  TEST_CASE("labelling twice leaves one AIGC label") {
    LabelOptions options;
    options.visible_label = false;
    options.aigc.content_producer = "PRODUCER";
    const LabelResult first = label(read_file(test::data_path("coffee.jpg")), options);
    const LabelResult second = label(first.bytes, options);
    const auto labels = read_aigc_labels(second.bytes);
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].label.produce_id == second.content_id);
  }

  TEST_CASE("label_file writes the output atomically and leaves nothing on failure") {
    const auto dir = test::temp_dir("label-file");
    LabelOptions options;
    options.aigc.content_producer = "bad value with spaces";  // outside Annex E j)
    CHECK(test::error_code_of([&] { (void)label_file(test::data_path("coffee.jpg"), dir / "out.jpg", options); }) ==
          Errc::invalid_argument);
    CHECK(std::filesystem::is_empty(dir));
    options.aigc.content_producer = "PRODUCER";
    label_file(test::data_path("coffee.jpg"), dir / "out.jpg", options);
    CHECK(read_aigc_labels(read_file(dir / "out.jpg")).size() == 1);
  }

  TEST_CASE("bad options are typed errors") {
    const Bytes jpeg = read_file(test::data_path("coffee.jpg"));
    LabelOptions options;
    options.aigc.content_producer = "PRODUCER";
    options.jpeg_quality = 101;
    CHECK(test::error_code_of([&] { (void)label(jpeg, options); }) == Errc::invalid_argument);
    options.jpeg_quality = 0;
    options.visible.text = "hello";  // neither an AI nor a generation element
    CHECK(test::error_code_of([&] { (void)label(jpeg, options); }) == Errc::invalid_argument);
    options.visible.text.clear();
    options.aigc.label = "4";
    CHECK(test::error_code_of([&] { (void)label(jpeg, options); }) == Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)label(Bytes{1, 2, 3}, LabelOptions{}); }) == Errc::unsupported_format);
  }
}
