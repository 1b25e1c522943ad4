// SPDX-License-Identifier: Apache-2.0
// Sidecar manifests: a .c2pa store beside an asset of any format, which stays as it is.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "c2pa/asset.hpp"
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

// A root CA and a signer it issued; the root is the trust anchor.
test::SignerWithRoot make_signer() { return test::make_signer_with_root("Ed25519"); }

bool has_code(const std::vector<ValidationStatus>& list, const std::string& code) {
  return std::any_of(list.begin(), list.end(), [&](const ValidationStatus& s) { return s.code == code; });
}

Bytes text_bytes(const std::string& text) { return {text.begin(), text.end()}; }

// The decoded CBOR of one assertion of the store's only manifest.
nlohmann::json assertion_of(const Bytes& store, const std::string& label) {
  const auto root = c2pa::jumbf::parse_superbox(store);
  REQUIRE(root.superboxes().size() == 1);
  const auto* assertion = root.superboxes()[0]->find_child("c2pa.assertions")->find_child(label);
  REQUIRE(assertion != nullptr);
  const auto boxes = assertion->content_boxes();
  REQUIRE(boxes.size() == 1);
  return c2pa::cbor::from_cbor(boxes[0]->data);
}

}  // namespace

TEST_SUITE("c2pa/sidecar") {
  TEST_CASE("a sidecar binds to every byte of a JPEG, a PNG or any other file, and validates as Trusted") {
    const test::SignerWithRoot creds = make_signer();
    Manifest manifest("provmark tests", "1.0");
    manifest.watermarked(Payload::from_hex("0123456789abcdef"));
    const std::vector<std::pair<std::string, Bytes>> assets{{"coffee.jpg", read_file(test::data_path("coffee.jpg"))},
                                                            {"chelsea.png", read_file(test::data_path("chelsea.png"))},
                                                            {"text", text_bytes("a poem written by a model\n")},
                                                            {"empty", {}}};
    for (const auto& entry : assets) {
      const std::string& name = entry.first;  // not a structured binding: clang cannot capture those in CAPTURE
      const Bytes& asset = entry.second;
      CAPTURE(name);
      const Bytes store = sign_sidecar(asset, manifest, creds.signer);
      c2pa::check_manifest_store(store);  // the .c2pa file is the store itself

      // Like c2pa-rs's sidecars: no exclusions, SHA-256 of the whole asset.
      const nlohmann::json binding = assertion_of(store, "c2pa.hash.data");
      CHECK_FALSE(binding.contains("exclusions"));
      CHECK(binding["alg"] == "sha256");
      CHECK(Bytes(binding["hash"].get_binary()) == c2pa::hash_excluding(asset, {}, "sha256"));

      const ManifestReport report = inspect_sidecar(store, asset, {.trust_anchors_pem = creds.root_pem});
      CHECK(report.has_manifest);
      CHECK(report.state == ValidationState::trusted);
      CHECK(report.failure.empty());
      CHECK(has_code(report.success, "assertion.dataHash.match"));
      REQUIRE(report.manifests.size() == 1);
      CHECK(report.manifests[0].actions == std::vector<std::string>{"c2pa.created", "c2pa.watermarked"});
      CHECK(report.manifests[0].soft_bindings.size() == 1);

      // One more byte and the binding breaks.
      Bytes longer = asset;
      longer.push_back(0);
      const ManifestReport other = inspect_sidecar(store, longer, {.trust_anchors_pem = creds.root_pem});
      CHECK(other.state == ValidationState::invalid);
      CHECK(has_code(other.failure, "assertion.dataHash.mismatch"));
    }
  }

  TEST_CASE("sign_sidecar_file hashes the file as it reads it and leaves it unchanged") {
    const test::SignerWithRoot creds = make_signer();
    const auto dir = test::temp_dir("sidecar_file");
    const auto asset_path = dir / "rocket.jpg";
    std::filesystem::copy_file(test::data_path("rocket.jpg"), asset_path);
    const Bytes before = read_file(asset_path);

    const Bytes store = sign_sidecar_file(asset_path, Manifest("provmark tests"), creds.signer);
    write_file_atomic(sidecar_path(asset_path), store);
    CHECK(read_file(asset_path) == before);
    const ManifestReport report =
        inspect_sidecar(read_file(dir / "rocket.c2pa"), before, {.trust_anchors_pem = creds.root_pem});
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    // The file helper and the bytes helper bind to the same hash.
    CHECK(assertion_of(store, "c2pa.hash.data")["hash"] ==
          assertion_of(sign_sidecar(before, Manifest("provmark tests"), creds.signer), "c2pa.hash.data")["hash"]);

    CHECK(test::error_code_of([&] { (void)sign_sidecar_file(dir / "missing.jpg", Manifest("x"), creds.signer); }) ==
          Errc::io);
    CHECK(test::error_code_of([&] { (void)sign_sidecar_file(dir, Manifest("x"), creds.signer); }) == Errc::io);
  }

  TEST_CASE("the sidecar of photo.jpg is photo.c2pa") {
    CHECK(sidecar_path("shots/photo.jpg") == std::filesystem::path("shots/photo.c2pa"));
    CHECK(sidecar_path("song.tar.gz") == std::filesystem::path("song.tar.c2pa"));
    CHECK(sidecar_path("README") == std::filesystem::path("README.c2pa"));
  }
}
