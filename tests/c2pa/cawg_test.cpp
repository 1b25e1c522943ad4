// SPDX-License-Identifier: Apache-2.0
// CAWG identity assertions signed with X.509 credentials: each check and its c2pa-rs status code, and the
// c2pa-rs fixture read through inspect().
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "c2pa/cawg.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/cose.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/codec.hpp"
#include "provmark/inspect.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string hash_data_url = "self#jumbf=c2pa.assertions/c2pa.hash.data";
const std::string training_url = "self#jumbf=c2pa.assertions/cawg.training-mining";
const Bytes hash_data_hash(32, 0xAA);
const Bytes training_hash(32, 0xBB);

// The claim's hashed URIs the identity may reference (the hard binding written in absolute form, as c2pa-rs 0.36 did).
const std::vector<c2pa::ClaimReference> claim_references = {
    {"self#jumbf=/c2pa/urn:c2pa:0e0e0e0e-1111-4222-8333-444444444444/c2pa.assertions/c2pa.hash.data", hash_data_hash},
    {training_url, training_hash}};

json hashed_uri(const std::string& url, const Bytes& hash) { return {{"url", url}, {"hash", json::binary(hash)}}; }

json payload_of(std::vector<json> references, std::string sig_type = "cawg.x509.cose") {
  return {{"referenced_assertions", references}, {"sig_type", sig_type}};
}

json good_payload() {
  return payload_of({hashed_uri(training_url, training_hash), hashed_uri(hash_data_url, hash_data_hash)});
}

// An identity assertion whose COSE_Sign1 signs `signed_payload`'s CBOR, holding `payload` (the same, unless a test
// changes it after signing).
Bytes identity(const Signer& signer, const json& payload, const json& signed_payload, Bytes pad1 = Bytes(4, 0)) {
  const Bytes cose = c2pa::sign_claim(c2pa::cbor::to_cbor(signed_payload), signer, signer.reserve_size());
  return c2pa::cbor::to_cbor(
      {{"signer_payload", payload}, {"signature", json::binary(cose)}, {"pad1", json::binary(std::move(pad1))}});
}
Bytes identity(const Signer& signer, const json& payload) { return identity(signer, payload, payload); }

std::vector<std::string> codes(const c2pa::IdentityCheck& check, c2pa::IdentityStatus::Kind kind) {
  std::vector<std::string> out;
  for (const auto& s : check.statuses)
    if (s.kind == kind) out.emplace_back(s.code);
  std::sort(out.begin(), out.end());
  return out;
}
std::vector<std::string> failures(const c2pa::IdentityCheck& c) {
  return codes(c, c2pa::IdentityStatus::Kind::failure);
}
std::vector<std::string> successes(const c2pa::IdentityCheck& c) {
  return codes(c, c2pa::IdentityStatus::Kind::success);
}

c2pa::IdentityCheck check(const Bytes& assertion, const TrustAnchors* anchors = nullptr,
                          std::chrono::system_clock::time_point at = std::chrono::system_clock::now()) {
  return c2pa::check_identity_assertion(assertion, claim_references, anchors, at);
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_SUITE("c2pa/cawg") {
  TEST_CASE("a well-formed X.509 identity is well-formed but untrusted without identity anchors") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    const auto result = check(identity(creds.signer, good_payload()));
    CHECK(failures(result) == Codes{"cawg.x509.credential.untrusted"});
    CHECK(successes(result) == Codes{"cawg.identity.well-formed", "cawg.x509.signature.validated"});
    CHECK(result.summary.sig_type == "cawg.x509.cose");
    CHECK(result.summary.referenced_assertions == Codes{training_url, hash_data_url});
    CHECK(result.summary.signature_alg == "Es256");
    CHECK(result.summary.signature_common_name == "provmark test signer");
  }

  TEST_CASE("an identity whose credential chains to the identity anchors is trusted") {
    const test::SignerWithRoot creds = test::make_signer_with_root("Ed25519");
    const TrustAnchors anchors = TrustAnchors::from_pem(creds.root_pem);
    const auto result = check(identity(creds.signer, good_payload()), &anchors);
    CHECK(failures(result).empty());
    CHECK(successes(result) ==
          Codes{"cawg.identity.trusted", "cawg.x509.credential.trusted", "cawg.x509.signature.validated"});
    CHECK(result.summary.signature_alg == "Ed25519");

    const auto later = std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 30);
    const auto expired = check(identity(creds.signer, good_payload()), &anchors, later);
    CHECK(failures(expired) == Codes{"cawg.x509.signature.outside_validity"});
    CHECK(successes(expired) == Codes{"cawg.x509.signature.validated"});
  }

  TEST_CASE("a changed signer payload or signature byte is a signature mismatch") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    json widened = good_payload();
    widened["role"] = json::array({"cawg.creator"});
    const auto changed = check(identity(creds.signer, widened, good_payload()));
    CHECK(failures(changed) == Codes{"cawg.x509.credential.untrusted", "cawg.x509.signature.mismatch"});
    CHECK(successes(changed).empty());
    CHECK(changed.summary.roles == Codes{"cawg.creator"});

    Bytes flipped = identity(creds.signer, good_payload());
    json value = c2pa::cbor::from_cbor(flipped);
    auto& signature = value["signature"].get_binary();
    // The raw signature is the COSE_Sign1's last bstr; the zero padding sits before it.
    signature[signature.size() - 5] ^= 0x01;
    const auto tampered = check(c2pa::cbor::to_cbor(value));
    CHECK(failures(tampered) == Codes{"cawg.x509.credential.untrusted", "cawg.x509.signature.mismatch"});

    value["signature"] = json::binary(Bytes{0x01, 0x02});
    CHECK(failures(check(c2pa::cbor::to_cbor(value))) == Codes{"cawg.x509.signature.mismatch"});
  }

  TEST_CASE("referenced assertions must be in the claim with the same hash, include a hard binding, once each") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    const json wrong_hash = payload_of({hashed_uri(hash_data_url, training_hash)});
    CHECK(failures(check(identity(creds.signer, wrong_hash))) == Codes{"cawg.identity.assertion.mismatch"});

    const json unknown = payload_of(
        {hashed_uri(hash_data_url, hash_data_hash), hashed_uri("self#jumbf=c2pa.assertions/other", training_hash)});
    CHECK(failures(check(identity(creds.signer, unknown))) ==
          Codes{"cawg.identity.assertion.mismatch", "cawg.x509.credential.untrusted"});

    const json no_binding = payload_of({hashed_uri(training_url, training_hash)});
    CHECK(failures(check(identity(creds.signer, no_binding))) ==
          Codes{"cawg.identity.hard_binding_missing", "cawg.x509.credential.untrusted"});

    const json twice =
        payload_of({hashed_uri(hash_data_url, hash_data_hash), hashed_uri(hash_data_url, hash_data_hash)});
    CHECK(failures(check(identity(creds.signer, twice))) ==
          Codes{"cawg.identity.assertion.duplicate", "cawg.x509.credential.untrusted"});
  }

  TEST_CASE("non-zero padding, an unknown sig_type and bad CBOR have their own codes") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    CHECK(failures(check(identity(creds.signer, good_payload(), good_payload(), Bytes{0, 1}))) ==
          Codes{"cawg.identity.pad.invalid", "cawg.x509.credential.untrusted"});

    const json other = payload_of({hashed_uri(hash_data_url, hash_data_hash)}, "cawg.identity_claims_aggregation");
    CHECK(failures(check(identity(creds.signer, other))) == Codes{"cawg.identity.sig_type.unknown"});

    const Bytes valid = identity(creds.signer, good_payload());
    for (const Bytes& bad :
         {Bytes{0xFF}, Bytes(valid.begin(), valid.end() - 1), c2pa::cbor::to_cbor({{"pad1", 1}}),
          c2pa::cbor::to_cbor(
              {{"signer_payload", good_payload()}, {"signature", "text"}, {"pad1", json::binary(Bytes{})}})}) {
      const auto result = check(bad);
      CHECK(failures(result) == Codes{"cawg.identity.cbor.invalid"});
      CHECK(result.summary.sig_type.empty());
    }
  }

  TEST_CASE("inspect reports the c2pa-rs CAWG fixture's identity, trusted with identity anchors") {
    const fs::path pki = test::shared_pki_dir();
    const fs::path shared = pki.empty() ? fs::path() : pki.parent_path().parent_path().parent_path();
    const fs::path dir = shared / "fixtures" / "c2pa-rs";
    if (pki.empty() || !fs::exists(dir / "media" / "C_with_CAWG_data.jpg")) {
      MESSAGE("shared/fixtures not found beside the repository: skipped");
      return;
    }
    const Bytes file = read_file(dir / "media" / "C_with_CAWG_data.jpg");
    const std::string roots = test::read_text(dir / "certs" / "trust" / "test_cert_root_bundle.pem");

    const ManifestReport plain = inspect(file, {.trust_anchors = TrustAnchors::from_pem(roots)});
    CHECK(plain.state == ValidationState::valid);
    REQUIRE(plain.manifests.back().identities.size() == 1);
    const IdentitySummary& id = plain.manifests.back().identities[0];
    CHECK(id.label == "cawg.identity");
    CHECK(id.signature_alg == "Ed25519");
    CHECK(id.signature_issuer == "C2PA Test Signing Cert");
    CHECK(id.referenced_assertions ==
          Codes{"self#jumbf=c2pa.assertions/cawg.training-mining", "self#jumbf=c2pa.assertions/c2pa.hash.data"});
    const json out = json::parse(plain.to_json());
    const json& listed = out["manifests"][plain.active_manifest]["identity_assertions"][0];
    CHECK(listed["signer_payload"]["sig_type"] == "cawg.x509.cose");
    CHECK(listed["signature_info"]["common_name"] == "C2PA Signer");
    const json& failure = out["validation_results"]["activeManifest"]["failure"];
    REQUIRE(failure.size() == 1);
    CHECK(failure[0]["code"] == "cawg.x509.credential.untrusted");
    CHECK(failure[0]["url"] == "self#jumbf=/c2pa/" + plain.active_manifest + "/c2pa.assertions/cawg.identity");

    InspectOptions both{.trust_anchors = TrustAnchors::from_pem(roots)};
    both.identity_trust_anchors = TrustAnchors::from_pem(roots);
    const ManifestReport trusted = inspect(file, both);
    CHECK(trusted.state == ValidationState::trusted);
    CHECK(trusted.failure.empty());
    CHECK(std::any_of(trusted.success.begin(), trusted.success.end(),
                      [](const ValidationStatus& s) { return s.code == "cawg.identity.trusted"; }));
  }
}
