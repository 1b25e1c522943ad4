// SPDX-License-Identifier: Apache-2.0
// Manifests from JSON definitions shaped like c2pa-rs's ManifestDefinition.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/jumbf.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/codec.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

const char* const good_definition = R"({
  "claim_generator_info": [{"name": "my-model", "version": "2.1"}],
  "title": "cat.jpg",
  "assertions": [
    {"label": "c2pa.actions.v2", "data": {"actions": [
      {"action": "c2pa.created",
       "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"},
      {"action": "c2pa.watermarked"}]}},
    {"label": "c2pa.soft-binding", "data": {"alg": "org.provmark.wm.image.1",
      "blocks": [{"scope": {}, "value": "0123456789abcdef"}]}},
    {"label": "com.example.prompt", "data": {"seed": 42, "strength": 0.75, "tags": ["cat", null, true]}}
  ]
})";

// The message ("malformed_input: ...") of the error `definition` gives; fails the test for any other outcome.
std::string error_for(const std::string& definition) {
  try {
    (void)manifest_from_json(definition);
  } catch (const Error& e) {
    CHECK(e.code() == Errc::malformed_input);
    return e.what();
  }
  FAIL("accepted: " << definition);
  return {};
}

}  // namespace

TEST_SUITE("c2pa/manifest_json") {
  TEST_CASE("a definition sets the generator, title, source type, soft binding and custom assertions") {
    const Manifest m = manifest_from_json(good_definition);
    CHECK(m.generator() == "my-model");
    CHECK(m.generator_version() == "2.1");
    CHECK(m.title() == "cat.jpg");
    CHECK(m.source_type() == DigitalSourceType::composite_with_trained_algorithmic_media);
    CHECK(m.has_watermark());
    CHECK(m.watermark_payload().to_hex() == "0123456789abcdef");
    CHECK(m.watermark_alg() == image_watermark_alg);
    REQUIRE(m.custom_assertions().size() == 1);
    CHECK(m.custom_assertions()[0].label == "com.example.prompt");
    // JSON data becomes CBOR of the same value.
    const nlohmann::json data = c2pa::cbor::from_cbor(m.custom_assertions()[0].cbor);
    CHECK(data == nlohmann::json::parse(R"({"seed": 42, "strength": 0.75, "tags": ["cat", null, true]})"));
    CHECK(data["seed"].is_number_integer());
  }

  TEST_CASE("every field is optional: an empty definition is provmark's default manifest") {
    const Manifest m = manifest_from_json("{}");
    CHECK(m.generator() == "provmark");
    CHECK(m.generator_version().empty());
    CHECK(m.title().empty());
    CHECK(m.source_type() == DigitalSourceType::trained_algorithmic_media);
    CHECK_FALSE(m.has_watermark());
    CHECK(m.custom_assertions().empty());
    // A soft binding alone implies the c2pa.watermarked action; its alg defaults to the image watermark's.
    const Manifest w = manifest_from_json(
        R"({"assertions": [{"label": "c2pa.soft-binding", "data": {"blocks": [{"value": "00000000000000ff"}]}}]})");
    CHECK(w.has_watermark());
    CHECK(w.watermark_payload().to_u64() == 0xff);
    CHECK(w.watermark_alg() == image_watermark_alg);
  }

  TEST_CASE("a manifest from a definition signs and validates, with its title in the claim") {
    const test::SignerWithRoot creds = test::make_signer_with_root();
    const Signer& signer = creds.signer;

    const Bytes file = sign(read_file(test::data_path("coffee.jpg")), manifest_from_json(good_definition), signer);
    const ManifestReport report = inspect(file, {.trust_anchors_pem = creds.root_pem});
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    REQUIRE(report.manifests.size() == 1);
    const ManifestSummary& s = report.manifests[0];
    CHECK(s.claim_generator == "my-model");
    CHECK(s.digital_source_type ==
          digital_source_type_uri(DigitalSourceType::composite_with_trained_algorithmic_media));
    CHECK(s.actions == std::vector<std::string>{"c2pa.created", "c2pa.watermarked"});
    CHECK(s.assertions ==
          std::vector<std::string>{"c2pa.actions.v2", "c2pa.soft-binding", "com.example.prompt", "c2pa.hash.data"});

    const auto store = c2pa::jpeg_read_manifest_store(file);
    REQUIRE(store.has_value());
    const c2pa::jumbf::ParsedSuperbox root_box = c2pa::jumbf::parse_superbox(*store);
    const auto* claim_box = root_box.superboxes()[0]->find_child("c2pa.claim.v2");
    REQUIRE(claim_box != nullptr);
    const nlohmann::json claim = c2pa::cbor::from_cbor(claim_box->content_boxes()[0]->data);
    CHECK(claim["dc:title"] == "cat.jpg");
    CHECK(claim["claim_generator_info"] == nlohmann::json{{"name", "my-model"}, {"version", "2.1"}});
  }

  TEST_CASE("each bad field is a malformed_input error that names it") {
    const std::string iptc = "http://cv.iptc.org/newscodes/digitalsourcetype/";
    const std::string created =
        R"({"action": "c2pa.created", "digitalSourceType": ")" + iptc + R"(trainedAlgorithmicMedia"})";
    const auto actions = [](const std::string& list) {
      return R"({"assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [)" + list + "]}}]}";
    };
    const auto soft_binding = [](const std::string& data) {
      return R"({"assertions": [{"label": "c2pa.soft-binding", "data": )" + data + "}]}";
    };
    struct Case {
      std::string definition;
      std::string message;  // the start of the message after "manifest definition: "
    };
    const std::vector<Case> cases{
        {"{\"title\": ", "top level: not JSON"},
        {"{\"title\": \"\xff\"}", "top level: not JSON"},
        {"[]", "top level: must be an object, not array"},
        {std::string(100, '[') + std::string(100, ']'), "top level: nested deeper than 64 levels"},
        {R"({"format": "image/jpeg"})", "format: not supported"},
        {R"({"ingredients": []})", "ingredients: not supported"},
        {R"({"title": 5})", "title: must be a string, not number"},
        {R"({"claim_generator_info": {"name": "x"}})", "claim_generator_info: must be an array, not object"},
        {R"({"claim_generator_info": [{"name": "a"}, {"name": "b"}]})", "claim_generator_info: must hold exactly one"},
        {R"({"claim_generator_info": [{"version": "1"}]})", "claim_generator_info[0].name: missing"},
        {R"({"claim_generator_info": [{"name": ""}]})", "claim_generator_info[0].name: must not be empty"},
        {R"({"claim_generator_info": [{"name": "a", "icon": {}}]})", "claim_generator_info[0].icon: not supported"},
        {R"({"claim_generator_info": [{"name": "a", "version": 2}]})",
         "claim_generator_info[0].version: must be a string"},
        {R"({"assertions": {}})", "assertions: must be an array, not object"},
        {R"({"assertions": ["x"]})", "assertions[0]: must be an object, not string"},
        {R"({"assertions": [{"data": {}}]})", "assertions[0].label: missing"},
        {R"({"assertions": [{"label": "org.example"}]})", "assertions[0].data: missing"},
        {R"({"assertions": [{"label": "org.example", "data": {}, "kind": "Json"}]})",
         "assertions[0].kind: not supported"},
        {R"({"assertions": [{"label": "c2pa.hash.data", "data": {}}]})", "assertions[0].label: 'c2pa.hash.data' is in"},
        {R"({"assertions": [{"label": "org/example", "data": {}}]})",
         "assertions[0].label: 'org/example' is not a JUMBF"},
        {R"({"assertions": [{"label": "", "data": {}}]})", "assertions[0].label: '' is not a JUMBF"},
        {R"({"assertions": [{"label": "a.b", "data": 1}, {"label": "a.b", "data": 2}]})",
         "assertions[1].label: 'a.b' appears twice"},
        {R"({"assertions": [{"label": "c2pa.actions.v2", "data": []}]})", "assertions[0].data: must be an object"},
        {R"({"assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [], "templates": []}}]})",
         "assertions[0].data.templates: not supported"},
        {actions(""), "assertions[0].data.actions: must start with c2pa.created"},
        {actions(R"({"action": "c2pa.opened"})"), "assertions[0].data.actions[0].action: the first action must be"},
        {actions(R"({"action": "c2pa.created"})"), "assertions[0].data.actions[0].digitalSourceType: missing"},
        {actions(R"({"action": "c2pa.created", "digitalSourceType": ")" + iptc + R"(digitalCapture"})"),
         "assertions[0].data.actions[0].digitalSourceType: '" + iptc + "digitalCapture' is not"},
        {actions(R"({"action": "c2pa.created", "digitalSourceType": 1})"),
         "assertions[0].data.actions[0].digitalSourceType: must be a string"},
        {actions(created.substr(0, created.size() - 1) + R"(, "softwareAgent": "x"})"),
         "assertions[0].data.actions[0].softwareAgent: not supported"},
        {actions(created + R"(, {"action": "c2pa.edited"})"), "assertions[0].data.actions[1].action: 'c2pa.edited'"},
        {actions(created + R"(, {"action": "c2pa.watermarked"})"),
         "assertions[0].data.actions[1].action: c2pa.watermarked needs a c2pa.soft-binding"},
        {actions(created + R"(, {"action": "c2pa.watermarked", "when": 1})"),
         "assertions[0].data.actions[1].when: not supported"},
        {soft_binding(R"({"blocks": [{"value": "0123"}]})"),
         "assertions[0].data.blocks[0].value: must be the watermark payload"},
        {soft_binding(R"({"blocks": [{"value": "0123456789abcdeg"}]})"), "assertions[0].data.blocks[0].value: "},
        {soft_binding(R"({"blocks": [{"value": 5}]})"), "assertions[0].data.blocks[0].value: must be a string"},
        {soft_binding(R"({"blocks": [{"scope": {"region": []}, "value": "0123456789abcdef"}]})"),
         "assertions[0].data.blocks[0].scope: must be {}"},
        {soft_binding(R"({"blocks": []})"), "assertions[0].data.blocks: must hold exactly one block"},
        {soft_binding(R"({})"), "assertions[0].data.blocks: missing"},
        {soft_binding(R"({"alg": "", "blocks": [{"value": "0123456789abcdef"}]})"), "assertions[0].data.alg: must not"},
        {soft_binding(R"({"pad": "", "blocks": [{"value": "0123456789abcdef"}]})"), "assertions[0].data.pad: not"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.definition);
      const std::string message = error_for(c.definition);
      CHECK_MESSAGE(message.rfind("malformed_input: manifest definition: " + c.message, 0) == 0, message);
    }
  }

  TEST_CASE("nesting deeper than the CBOR writer allows is refused before any recursion") {
    const std::string deep = R"({"assertions": [{"label": "org.deep", "data": )" + std::string(100000, '[') +
                             std::string(100000, ']') + "}]}";
    CHECK(error_for(deep) == "malformed_input: manifest definition: top level: nested deeper than 64 levels");
    // Just inside the limit: the root object, the assertions array and the assertion object hold 61 levels of data.
    const std::string ok = R"({"assertions": [{"label": "org.deep", "data": )" + std::string(61, '[') +
                           std::string(61, ']') + "}]}";
    CHECK(manifest_from_json(ok).custom_assertions().size() == 1);
  }
}
