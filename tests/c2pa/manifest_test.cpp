// SPDX-License-Identifier: Apache-2.0
// Signing a picture with a C2PA manifest, read back with our own parsers: what a validator checks.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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

// Checks everything a validator would about our own output; returns the decoded claim.
nlohmann::json check_signed(const Bytes& file, const Bytes& store, const TestCredentials& creds) {
  const c2pa::jumbf::ParsedSuperbox root = c2pa::jumbf::parse_superbox(store);
  CHECK(root.label == "c2pa");
  const auto manifests = root.superboxes();
  REQUIRE(manifests.size() == 1);
  const auto& manifest = *manifests[0];
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

  TEST_CASE("a PNG is signed the same way and re-signing replaces the store") {
    const TestCredentials creds = make_signer("P-256");
    const Bytes photo = read_file(test::data_path("chelsea.png"));
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::composite_with_trained_algorithmic_media);
    const Bytes once = sign(photo, manifest, creds.signer);
    const Bytes twice = sign(once, manifest, creds.signer);
    const auto store = c2pa::png_read_manifest_store(twice);
    REQUIRE(store.has_value());
    (void)check_signed(twice, *store, creds);
    CHECK(c2pa::png_remove_manifest_store(twice) == photo);
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
