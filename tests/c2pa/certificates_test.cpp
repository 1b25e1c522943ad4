// SPDX-License-Identifier: Apache-2.0
#include "c2pa/certificates.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "crypto/test_pki.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
using Chain = std::vector<Bytes>;
using Clock = std::chrono::system_clock;

Chain chain_from_pem(const std::string& pem) {
  Chain chain;
  for (const auto& cert : crypto::read_pem_certificates(pem, Errc::malformed_input)) {
    chain.push_back(crypto::to_der(cert.get()));
  }
  return chain;
}

// One test CA and leaves made under it with chosen extensions and key types.
struct TestCa {
  crypto::PkeyPtr key = test::make_key("P-256");
  crypto::X509Ptr cert = test::make_cert(key.get(), {"test CA", test::ca_extensions(), -100, 365});
  TrustAnchors anchors = TrustAnchors::from_pem(test::to_pem(cert.get()));

  Chain leaf(const test::CertOptions& options, const std::string& key_kind = "P-256") const {
    const crypto::PkeyPtr leaf_key = test::make_key(key_kind);
    return {crypto::to_der(test::make_cert(leaf_key.get(), options, cert.get(), key.get()).get())};
  }
  Chain leaf_with(const std::string& extension, const std::string& value) const {
    return leaf({"signer", test::signer_extensions_with(extension, value)});
  }
};

}  // namespace

TEST_SUITE("c2pa/certificates") {
  TEST_CASE("the reference PKI's signer is trusted under its root and untrusted otherwise") {
    const auto pki = test::shared_pki_dir();
    if (pki.empty()) {
      MESSAGE("shared/tools/c2pa-ref/pki not found beside the repository: skipped");
      return;
    }
    const TrustAnchors root = TrustAnchors::from_pem_file(pki / "root.pem");
    const Chain signer = chain_from_pem(test::read_text(pki / "signer-es256-chain.pem"));
    const Chain ed25519 = chain_from_pem(test::read_text(pki / "signer-ed25519-chain.pem"));
    const Chain stranger = chain_from_pem(test::read_text(pki / "untrusted" / "signer-es256-chain.pem"));

    c2pa::CertificateCheck check = c2pa::check_certificate_chain(signer, &root, Clock::now());
    CHECK(check.status_codes == std::vector<std::string>{"signingCredential.trusted"});
    CHECK(check.profile_valid);
    CHECK(check.inside_validity);
    CHECK(check.explanation.empty());
    CHECK(c2pa::check_certificate_chain(ed25519, &root, Clock::now()).trusted);

    check = c2pa::check_certificate_chain(stranger, &root, Clock::now());
    CHECK(check.status_codes == std::vector<std::string>{"signingCredential.untrusted"});
    CHECK(check.profile_valid);
    CHECK_FALSE(check.explanation.empty());
    CHECK(c2pa::check_certificate_chain(signer, nullptr, Clock::now()).status_codes ==
          std::vector<std::string>{"signingCredential.untrusted"});
    // Without its intermediate the signer does not reach the root.
    CHECK_FALSE(c2pa::check_certificate_chain({signer.front()}, &root, Clock::now()).trusted);
    // A trust list may anchor at an intermediate.
    const TrustAnchors intermediate = TrustAnchors::from_pem_file(pki / "intermediate.pem");
    CHECK(c2pa::check_certificate_chain({signer.front()}, &intermediate, Clock::now()).trusted);
    // A bundle of both roots trusts both signers.
    const TrustAnchors both = TrustAnchors::from_pem(test::read_text(pki / "root.pem") + "\n# comment\n" +
                                                                 test::read_text(pki / "untrusted" / "root.pem"));
    CHECK(both.size() == 2);
    CHECK(c2pa::check_certificate_chain(stranger, &both, Clock::now()).trusted);
  }

  TEST_CASE("a signer made to the profile is trusted for every key type") {
    const TestCa ca;
    for (const char* kind : {"P-256", "P-384", "P-521", "RSA-2048", "Ed25519"}) {
      CAPTURE(kind);
      const c2pa::CertificateCheck check =
          c2pa::check_certificate_chain(ca.leaf({"signer", test::signer_extensions()}, kind), &ca.anchors,
                                        Clock::now());
      CHECK(check.status_codes == std::vector<std::string>{"signingCredential.trusted"});
      CHECK(check.explanation.empty());
    }
  }

  TEST_CASE("each broken profile rule makes the credential invalid and is named") {
    const TestCa ca;
    const struct {
      const char* rule;
      Chain chain;
      const char* explanation;
    } cases[] = {
        {"v1 certificate", ca.leaf({"signer", {}, -1, 365, false}), "v3"},
        {"CA:TRUE", ca.leaf_with("basicConstraints", "critical,CA:TRUE"), "CA"},
        {"no key usage", ca.leaf_with("keyUsage", ""), "no key usage"},
        {"keyEncipherment only", ca.leaf_with("keyUsage", "critical,keyEncipherment"), "digitalSignature"},
        {"keyCertSign on a leaf", ca.leaf_with("keyUsage", "critical,digitalSignature,keyCertSign"), "keyCertSign"},
        {"no EKU", ca.leaf_with("extendedKeyUsage", ""), "no extended key usage"},
        {"anyExtendedKeyUsage", ca.leaf_with("extendedKeyUsage", "emailProtection,anyExtendedKeyUsage"), "any"},
        {"serverAuth only", ca.leaf_with("extendedKeyUsage", "serverAuth"), "allowed for C2PA"},
        {"timeStamping with another EKU", ca.leaf_with("extendedKeyUsage", "timeStamping,emailProtection"),
         "only extended key usage"},
        {"no AKI", ca.leaf_with("authorityKeyIdentifier", ""), "authority key identifier"},
        {"unknown critical extension", ca.leaf_with("1.2.3.4.5", "critical,DER:05:00"), "critical"},
        {"RSA-1024", ca.leaf({"signer", test::signer_extensions()}, "RSA-1024"), "2048"},
        {"not a certificate", Chain{Bytes{0x30, 0x03, 0x02, 0x01, 0x01}}, "DER"},
        {"empty chain", Chain{}, "no certificate"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.rule);
      const c2pa::CertificateCheck check = c2pa::check_certificate_chain(c.chain, &ca.anchors, Clock::now());
      CHECK(check.status_codes == std::vector<std::string>{"signingCredential.invalid"});
      CHECK_FALSE(check.profile_valid);
      CHECK(check.explanation.find(c.explanation) != std::string::npos);
    }
    // The same rules on the good profile pass: the cases above fail for their one change only.
    CHECK(c2pa::check_certificate_chain(ca.leaf_with("extendedKeyUsage", "1.3.6.1.4.1.62558.2.1"), &ca.anchors,
                                        Clock::now()).trusted);
    CHECK(c2pa::check_certificate_chain(ca.leaf_with("extendedKeyUsage", "timeStamping"), &ca.anchors, Clock::now())
              .trusted);

    // A self-signed leaf with the signer profile is not a signer either.
    const crypto::PkeyPtr key = test::make_key("P-256");
    const crypto::X509Ptr self_signed_cert = test::make_cert(key.get(), {"self", test::signer_extensions()});
    const Chain self_signed{crypto::to_der(self_signed_cert.get())};
    const TrustAnchors itself = TrustAnchors::from_pem(test::to_pem(self_signed_cert.get()));
    CHECK(c2pa::check_certificate_chain(self_signed, &itself, Clock::now()).status_codes ==
          std::vector<std::string>{"signingCredential.invalid"});
  }

  TEST_CASE("validity is checked at the given time: expired now, fine at the signing time") {
    const TestCa ca;
    const Chain old = ca.leaf({"signer", test::signer_extensions(), -30, -1});
    const c2pa::CertificateCheck now = c2pa::check_certificate_chain(old, &ca.anchors, Clock::now());
    CHECK(now.status_codes == std::vector<std::string>{"signingCredential.expired"});
    CHECK(now.profile_valid);
    CHECK_FALSE(now.inside_validity);
    const auto then = Clock::now() - std::chrono::hours(24 * 10);
    CHECK(c2pa::check_certificate_chain(old, &ca.anchors, then).status_codes ==
          std::vector<std::string>{"signingCredential.trusted"});
    const Chain future = ca.leaf({"signer", test::signer_extensions(), 2, 30});
    CHECK(c2pa::check_certificate_chain(future, &ca.anchors, Clock::now()).status_codes ==
          std::vector<std::string>{"signingCredential.expired"});
  }

  TEST_CASE("a chain found trusted once is trusted again only while all its certificates are valid") {
    const TestCa ca;
    const Chain leaf = ca.leaf({"signer", test::signer_extensions(), -1, 30});
    const auto now = Clock::now();
    const auto day = std::chrono::hours(24);
    CHECK(c2pa::check_certificate_chain(leaf, &ca.anchors, now).trusted);
    CHECK(c2pa::check_certificate_chain(leaf, &ca.anchors, now + day).trusted);
    // The anchors remember the verification, but not past the leaf's notAfter or before its notBefore.
    CHECK_FALSE(c2pa::check_certificate_chain(leaf, &ca.anchors, now + 60 * day).trusted);
    CHECK_FALSE(c2pa::check_certificate_chain(leaf, &ca.anchors, now - 2 * day).trusted);
    CHECK(c2pa::check_certificate_chain(leaf, &ca.anchors, now).trusted);
    // Nor for other anchors, nor for another leaf of the same subject and issuer.
    const TestCa other;
    CHECK_FALSE(c2pa::check_certificate_chain(leaf, &other.anchors, now).trusted);
    const TestCa lookalike_ca;
    CHECK_FALSE(c2pa::check_certificate_chain(lookalike_ca.leaf({"signer", test::signer_extensions(), -1, 30}),
                                              &ca.anchors, now)
                    .trusted);
  }

  TEST_CASE("a trust bundle without certificates is malformed input") {
    CHECK_THROWS_AS(TrustAnchors::from_pem("no PEM here"), Error);
    try {
      (void)TrustAnchors::from_pem("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
      FAIL("a corrupt bundle was accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::malformed_input);
    }
  }
}
