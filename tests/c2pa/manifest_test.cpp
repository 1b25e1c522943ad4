// SPDX-License-Identifier: Apache-2.0
// Signing a picture with a C2PA manifest, read back with our own parsers: what a validator checks.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

#include "c2pa/asset.hpp"
#include "c2pa/asset_jpeg.hpp"
#include "c2pa/asset_png.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/certificates.hpp"
#include "c2pa/cose.hpp"
#include "c2pa/jumbf.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/manifest.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A root CA and a signer it issued, of the given key kind.
struct TestCredentials {
  Signer signer;
  TrustAnchors anchors;
};

TestCredentials make_signer(const std::string& kind) {
  const auto root_key = test::make_key("P-256");
  const auto root = test::make_cert(root_key.get(), {.common_name = "provmark test root", .extensions = test::ca_extensions()});
  const auto key = test::make_key(kind);
  const auto cert = test::make_cert(key.get(), {.common_name = "provmark test signer", .extensions = test::signer_extensions()},
                                    root.get(), root_key.get());
  return {Signer::from_pem(test::to_pem(cert.get()), test::private_key_pem(key.get())),
          TrustAnchors::from_pem(test::to_pem(root.get()))};
}

const c2pa::jumbf::ParsedContentBox& only_content(const c2pa::jumbf::ParsedSuperbox& box) {
  const auto boxes = box.content_boxes();
  REQUIRE(boxes.size() == 1);
  return *boxes[0];
}

// Checks everything a validator would about the active (last) manifest of our own output; returns its claim.
nlohmann::json check_signed(const Bytes& file, const Bytes& store, const TestCredentials& creds) {
  const c2pa::jumbf::ParsedSuperbox root = c2pa::jumbf::parse_superbox(store);
  CHECK(root.label == "c2pa");
  const auto manifests = root.superboxes();
  REQUIRE(!manifests.empty());
  const auto& manifest = *manifests.back();
  CHECK(manifest.label.rfind("urn:c2pa:", 0) == 0);
  const auto* assertions = manifest.find_child("c2pa.assertions");
  const auto* claim_box = manifest.find_child("c2pa.claim.v2");
  const auto* signature_box = manifest.find_child("c2pa.signature");
  REQUIRE(assertions != nullptr);
  REQUIRE(claim_box != nullptr);
  REQUIRE(signature_box != nullptr);

  const auto claim_bytes = only_content(*claim_box).data;
  const nlohmann::json claim = c2pa::cbor::from_cbor(claim_bytes);
  CHECK(claim["signature"] == "self#jumbf=c2pa.signature");
  // Every hashed URI matches the assertion it names.
  for (const auto& ref : claim["created_assertions"]) {
    const std::string url = ref["url"];
    const std::string label = url.substr(std::string("self#jumbf=c2pa.assertions/").size());
    const auto* assertion = assertions->find_child(label);
    REQUIRE(assertion != nullptr);
    CHECK(Bytes(ref["hash"].get_binary()) == c2pa::hash_excluding(assertion->payload, {}, "sha256"));
  }
  // The data hash covers the file minus the store.
  const auto* data_hash = assertions->find_child("c2pa.hash.data");
  REQUIRE(data_hash != nullptr);
  const nlohmann::json binding = c2pa::cbor::from_cbor(only_content(*data_hash).data);
  std::vector<c2pa::ByteRange> exclusions;
  for (const auto& e : binding["exclusions"]) exclusions.push_back({e["start"].get<std::size_t>(), e["length"].get<std::size_t>()});
  CHECK(Bytes(binding["hash"].get_binary()) == c2pa::hash_excluding(file, exclusions, "sha256"));
  // The signature verifies over the stored claim bytes, with a chain to the anchor.
  const c2pa::CoseSign1 cose = c2pa::parse_cose_sign1(only_content(*signature_box).data);
  CHECK(only_content(*signature_box).data.size() == creds.signer.reserve_size());
  CHECK(c2pa::verify_cose_sign1(cose, claim_bytes));
  CHECK(c2pa::check_certificate_chain(cose.x5chain, &creds.anchors, std::chrono::system_clock::now()).trusted);
  return claim;
}

}  // namespace

TEST_SUITE("c2pa/manifest") {
  TEST_CASE("a JPEG signed with each algorithm carries a manifest that verifies") {
    const Bytes photo = read_file(test::data_path("coffee.jpg"));
    for (const char* kind : {"P-256", "P-384", "RSA-2048", "Ed25519"}) {
      CAPTURE(kind);
      const TestCredentials creds = make_signer(kind);
      Manifest manifest("provmark tests", "1.0");
      manifest.created(DigitalSourceType::trained_algorithmic_media).watermarked(Payload::from_hex("0123456789abcdef"));
      const Bytes signed_file = sign(photo, manifest, creds.signer);
      const auto store = c2pa::jpeg_read_manifest_store(signed_file);
      REQUIRE(store.has_value());
      const nlohmann::json claim = check_signed(signed_file, *store, creds);
      CHECK(claim["claim_generator_info"]["name"] == "provmark tests");
      CHECK(claim["created_assertions"].size() == 3);  // actions, soft binding, data hash
      // Without the store the pixels and metadata are the original file.
      CHECK(c2pa::jpeg_remove_manifest_store(signed_file) == photo);
    }
  }

  TEST_CASE("a PNG is signed the same way, and re-signing with ExistingManifests::replace drops the old store") {
    const TestCredentials creds = make_signer("P-256");
    const Bytes photo = read_file(test::data_path("chelsea.png"));
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::composite_with_trained_algorithmic_media)
        .existing_manifests(ExistingManifests::replace);
    const Bytes once = sign(photo, manifest, creds.signer);
    const Bytes twice = sign(once, manifest, creds.signer);
    const auto store = c2pa::png_read_manifest_store(twice);
    REQUIRE(store.has_value());
    CHECK(c2pa::jumbf::parse_superbox(*store).superboxes().size() == 1);
    (void)check_signed(twice, *store, creds);
    CHECK(c2pa::png_remove_manifest_store(twice) == photo);
  }

  TEST_CASE("re-signing keeps the first manifest unchanged and names it as the parent ingredient") {
    const TestCredentials first_creds = make_signer("P-256");
    const TestCredentials second_creds = make_signer("Ed25519");
    const Bytes photo = read_file(test::data_path("coffee.jpg"));
    Manifest manifest("provmark tests");
    manifest.watermarked(Payload::from_hex("0123456789abcdef"));
    const Bytes once = sign(photo, manifest, first_creds.signer);
    const Bytes twice = sign(once, Manifest(manifest).parent_title("coffee.jpg"), second_creds.signer);
    const auto first_store = c2pa::jpeg_read_manifest_store(once);
    const auto store = c2pa::jpeg_read_manifest_store(twice);
    REQUIRE(first_store.has_value());
    REQUIRE(store.has_value());
    const nlohmann::json claim = check_signed(twice, *store, second_creds);
    CHECK(c2pa::jpeg_remove_manifest_store(twice) == photo);

    // The first manifest is carried over byte for byte, ahead of the new one.
    const auto first_root = c2pa::jumbf::parse_superbox(*first_store);
    const auto root = c2pa::jumbf::parse_superbox(*store);
    REQUIRE(root.superboxes().size() == 2);
    const auto& parent = *root.superboxes()[0];
    CHECK(Bytes(parent.box.begin(), parent.box.end()) ==
          Bytes(first_root.superboxes()[0]->box.begin(), first_root.superboxes()[0]->box.end()));

    // The new manifest's ingredient names it by hashed URIs to the manifest and its signature box.
    const auto* assertions = root.superboxes()[1]->find_child("c2pa.assertions");
    const auto* ingredient_box = assertions->find_child("c2pa.ingredient.v3");
    REQUIRE(ingredient_box != nullptr);
    const nlohmann::json ingredient = c2pa::cbor::from_cbor(only_content(*ingredient_box).data);
    CHECK(ingredient["relationship"] == "parentOf");
    CHECK(ingredient["dc:title"] == "coffee.jpg");
    CHECK(ingredient["dc:format"] == "image/jpeg");
    CHECK(ingredient["activeManifest"]["url"] == "self#jumbf=/c2pa/" + parent.label);
    CHECK(Bytes(ingredient["activeManifest"]["hash"].get_binary()) == c2pa::hash_excluding(parent.payload, {}));
    const auto* parent_signature = parent.find_child("c2pa.signature");
    CHECK(ingredient["claimSignature"]["url"] == "self#jumbf=/c2pa/" + parent.label + "/c2pa.signature");
    CHECK(Bytes(ingredient["claimSignature"]["hash"].get_binary()) ==
          c2pa::hash_excluding(parent_signature->payload, {}));
    // What our validator said of the first manifest when the second was signed: valid, signer not trusted.
    const auto& recorded = ingredient["validationResults"]["activeManifest"];
    CHECK(recorded["failure"].size() == 1);
    CHECK(recorded["failure"][0]["code"] == "signingCredential.untrusted");
    CHECK(std::any_of(recorded["success"].begin(), recorded["success"].end(),
                      [](const nlohmann::json& s) { return s["code"] == "claimSignature.validated"; }));

    // The first action opens that ingredient.
    const nlohmann::json actions =
        c2pa::cbor::from_cbor(only_content(*assertions->find_child("c2pa.actions.v2")).data)["actions"];
    CHECK(actions[0]["action"] == "c2pa.opened");
    CHECK(actions[0]["parameters"]["ingredients"][0]["url"] == "self#jumbf=c2pa.assertions/c2pa.ingredient.v3");
    CHECK(actions[1]["action"] == "c2pa.watermarked");
    CHECK(claim["created_assertions"].size() == 4);  // ingredient, actions, soft binding, data hash
  }

  TEST_CASE("re-signing a damaged store gives a valid new manifest or a typed error") {
    const TestCredentials creds = make_signer("P-256");
    Manifest manifest("provmark tests");
    const Bytes photo = read_file(test::data_path("coffee.jpg"));
    const Bytes twice = sign(sign(photo, manifest, creds.signer), manifest, creds.signer);
    const auto store = c2pa::jpeg_read_manifest_store(twice);
    REQUIRE(store.has_value());
    const auto start = static_cast<std::size_t>(
        std::search(twice.begin(), twice.end(), store->begin(), store->begin() + 64) - twice.begin());
    Bytes damaged = twice;
    int signed_count = 0;
    for (std::size_t i = start; i < start + store->size(); i += 61) {
      damaged[i] ^= 0x5A;
      try {
        const Bytes out = sign(damaged, manifest, creds.signer);
        ++signed_count;
        const auto new_store = c2pa::jpeg_read_manifest_store(out);
        REQUIRE(new_store.has_value());
        (void)check_signed(out, *new_store, creds);  // our manifest is sound whatever its parent says
      } catch (const Error&) {
      }
      damaged[i] ^= 0x5A;
    }
    CHECK(signed_count > 0);
  }

  TEST_CASE("a store that cannot be kept is an error, not silently dropped") {
    const TestCredentials creds = make_signer("P-256");
    Manifest manifest("provmark tests");
    Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    // Clear the manifest superbox's jumd toggles: the container still holds a store, its JUMBF no longer parses.
    const auto store = c2pa::jpeg_read_manifest_store(signed_file);
    REQUIRE(store.has_value());
    const auto root = c2pa::jumbf::parse_superbox(*store);
    const auto manifest_box = root.superboxes()[0]->box;
    const auto at =
        std::search(signed_file.begin(), signed_file.end(), manifest_box.begin(), manifest_box.begin() + 40);
    REQUIRE(at != signed_file.end());
    at[8 + 8 + 16] = 0x00;  // LBox, "jumb", jumd header, the UUID: then the toggles
    CHECK(test::error_code_of([&] { (void)sign(signed_file, manifest, creds.signer); }) == Errc::malformed_input);
    manifest.existing_manifests(ExistingManifests::replace);
    const Bytes replaced = sign(signed_file, manifest, creds.signer);
    const auto new_store = c2pa::jpeg_read_manifest_store(replaced);
    REQUIRE(new_store.has_value());
    (void)check_signed(replaced, *new_store, creds);
  }

  TEST_CASE("changing a byte of the picture breaks the data hash") {
    const TestCredentials creds = make_signer("P-256");
    Manifest manifest("provmark tests");
    Bytes signed_file = sign(read_file(test::data_path("rocket.jpg")), manifest, creds.signer);
    const auto store = c2pa::jpeg_read_manifest_store(signed_file);
    REQUIRE(store.has_value());
    signed_file[signed_file.size() - 100] ^= 0x01;  // in the entropy-coded data, outside the store
    const auto root = c2pa::jumbf::parse_superbox(*store);
    const auto* data_hash = root.superboxes()[0]->find_child("c2pa.assertions")->find_child("c2pa.hash.data");
    const nlohmann::json binding = c2pa::cbor::from_cbor(only_content(*data_hash).data);
    const auto& e = binding["exclusions"][0];
    CHECK(Bytes(binding["hash"].get_binary()) !=
          c2pa::hash_excluding(signed_file, {{e["start"].get<std::size_t>(), e["length"].get<std::size_t>()}}, "sha256"));
  }

  TEST_CASE("custom assertions are checked and bad inputs are typed errors") {
    Manifest manifest("provmark tests");
    const Bytes cbor = c2pa::cbor::to_cbor(nlohmann::json{{"Label", "1"}});
    manifest.add_cbor_assertion("cn.tc260.aigc", cbor);
    CHECK(manifest.custom_assertions().size() == 1);
    CHECK(test::error_code_of([&] { manifest.add_cbor_assertion("c2pa.hash.data", cbor); }) == Errc::invalid_argument);
    CHECK(test::error_code_of([&] { manifest.add_cbor_assertion("org.example", Bytes{0xff, 0x00}); }) ==
          Errc::malformed_input);
    CHECK(test::error_code_of([] { Manifest bad(""); }) == Errc::invalid_argument);
    const TestCredentials creds = make_signer("P-256");
    CHECK(test::error_code_of([&] { (void)sign(Bytes{'G', 'I', 'F', '8'}, manifest, creds.signer); }) ==
          Errc::unsupported_format);
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const auto store = c2pa::jpeg_read_manifest_store(signed_file);
    REQUIRE(store.has_value());
    const auto root = c2pa::jumbf::parse_superbox(*store);
    CHECK(root.superboxes()[0]->find_child("c2pa.assertions")->find_child("cn.tc260.aigc") != nullptr);
  }
}
