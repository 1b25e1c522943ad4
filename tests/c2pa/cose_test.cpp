// SPDX-License-Identifier: Apache-2.0
#include "c2pa/cose.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/test_pki.hpp"
#include "support/checks.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
using nlohmann::json;

struct TestSigner {
  crypto::PkeyPtr key;
  Signer signer;
};

// A leaf under a fresh intermediate under a fresh root: the chain the signer keeps has two certificates.
TestSigner make_signer(const std::string& kind) {
  const crypto::PkeyPtr root_key = test::make_key("P-256");
  const crypto::X509Ptr root = test::make_cert(root_key.get(), {"root", test::ca_extensions()});
  const crypto::PkeyPtr mid_key = test::make_key("P-256");
  const crypto::X509Ptr mid = test::make_cert(mid_key.get(), {"intermediate", test::ca_extensions()}, root.get(),
                                              root_key.get());
  crypto::PkeyPtr key = test::make_key(kind);
  const crypto::X509Ptr leaf = test::make_cert(key.get(), {"signer", test::signer_extensions()}, mid.get(),
                                               mid_key.get());
  Signer signer = Signer::from_pem(test::to_pem(leaf.get()) + test::to_pem(mid.get()) + test::to_pem(root.get()),
                                   test::private_key_pem(key.get()));
  return {std::move(key), std::move(signer)};
}

Bytes claim_bytes() {
  // Any CBOR works as a claim here: the signature covers the bytes as they are.
  return json::to_cbor(json{{"instanceID", "xmp:iid:1234"}, {"claim_generator_info", json::array({{{"name", "t"}}})}});
}

// CBOR head (RFC 8949 §3), written out here so the tests do not reuse the code under test.
void head(Bytes& out, int major, std::size_t n) {
  const auto type = static_cast<std::uint8_t>(major << 5);
  if (n < 24) {
    out.push_back(static_cast<std::uint8_t>(type | n));
  } else if (n < 256) {
    out.insert(out.end(), {static_cast<std::uint8_t>(type | 24), static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {static_cast<std::uint8_t>(type | 25), static_cast<std::uint8_t>(n >> 8),
                           static_cast<std::uint8_t>(n)});
  }
}
void bstr(Bytes& out, const Bytes& b) {
  head(out, 2, b.size());
  out.insert(out.end(), b.begin(), b.end());
}
void tstr(Bytes& out, const std::string& s) {
  head(out, 3, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// COSE_Sign1 from pre-encoded header maps.
Bytes cose_bytes(const Bytes& protected_map, const Bytes& unprotected_map, const Bytes& signature) {
  Bytes out{0xD2, 0x84};
  bstr(out, protected_map);
  out.insert(out.end(), unprotected_map.begin(), unprotected_map.end());
  out.push_back(0xF6);
  bstr(out, signature);
  return out;
}


}  // namespace

TEST_SUITE("c2pa/cose") {
  TEST_CASE("sign_claim makes a tagged COSE_Sign1 of exactly the reserved size that verifies") {
    const struct {
      const char* kind;
      const char* name;
      int alg;
    } cases[] = {{"P-256", "ES256", -7}, {"P-384", "ES384", -35}, {"RSA-2048", "PS256", -37},
                 {"Ed25519", "Ed25519", -8}};
    const Bytes claim = claim_bytes();
    for (const auto& c : cases) {
      CAPTURE(c.name);
      const TestSigner s = make_signer(c.kind);
      const Bytes cose = c2pa::sign_claim(claim, s.signer, s.signer.reserve_size());
      CHECK(cose.size() == s.signer.reserve_size());
      CHECK(cose[0] == 0xD2);

      // The outer structure, decoded independently: [protected bstr, {"pad": zeros}, null, signature].
      const json outer = json::from_cbor(Bytes(cose.begin() + 1, cose.end()));
      REQUIRE(outer.is_array());
      REQUIRE(outer.size() == 4);
      CHECK(outer[2].is_null());
      CHECK(outer[1].contains("pad"));
      const Bytes protected_map = outer[0].get_binary();
      const Bytes signature = outer[3].get_binary();

      // The protected map {1: alg, 33: [leaf, intermediate]}, byte for byte.
      Bytes expected{0xA2, 0x01};
      head(expected, 1, static_cast<std::size_t>(-1 - c.alg));
      expected.insert(expected.end(), {0x18, 0x21, 0x82});
      for (const Bytes& cert : s.signer.certificate_chain()) bstr(expected, cert);
      CHECK(protected_map == expected);

      // Sig_structure ["Signature1", protected, h'', claim] checked with OpenSSL.
      Bytes tbs{0x84};
      tstr(tbs, "Signature1");
      bstr(tbs, protected_map);
      tbs.push_back(0x40);
      bstr(tbs, claim);
      CHECK(test::openssl_verifies(s.key.get(), c.name, tbs, signature));

      const c2pa::CoseSign1 parsed = c2pa::parse_cose_sign1(cose);
      CHECK(parsed.alg == c.alg);
      CHECK(parsed.x5chain == s.signer.certificate_chain());
      CHECK(parsed.signature == signature);
      CHECK(parsed.protected_header == protected_map);
      CHECK(c2pa::verify_cose_sign1(parsed, claim));

      Bytes tampered_claim = claim;
      tampered_claim[5] ^= 0x01;
      CHECK_FALSE(c2pa::verify_cose_sign1(parsed, tampered_claim));
      c2pa::CoseSign1 tampered = parsed;
      tampered.signature[1] ^= 0x01;
      CHECK_FALSE(c2pa::verify_cose_sign1(tampered, claim));
    }
  }

  TEST_CASE("every reserve size is hit exactly, using pad2 where one pad cannot") {
    const TestSigner s = make_signer("Ed25519");
    const Bytes claim = claim_bytes();
    // The smallest reserve that fits (a zero-length pad), searched up from signature + chain, which is too small.
    std::size_t base = s.signer.reserve_size() - 1024;
    while (test::error_code_of([&] { (void)c2pa::sign_claim(claim, s.signer, base); }) == Errc::invalid_argument) ++base;
    CHECK(test::error_code_of([&] { (void)c2pa::sign_claim(claim, s.signer, base - 1); }) == Errc::invalid_argument);
    bool used_pad2 = false;
    std::vector<std::size_t> reserves;
    for (std::size_t r = base; r < base + 300; ++r) reserves.push_back(r);
    for (std::size_t r = base + 65500; r < base + 65560; ++r) reserves.push_back(r);
    for (const std::size_t reserve : reserves) {
      CAPTURE(reserve);
      const Bytes cose = c2pa::sign_claim(claim, s.signer, reserve);
      REQUIRE(cose.size() == reserve);
      const json outer = json::from_cbor(Bytes(cose.begin() + 1, cose.end()));
      used_pad2 = used_pad2 || outer[1].contains("pad2");
      REQUIRE(c2pa::verify_cose_sign1(c2pa::parse_cose_sign1(cose), claim));
    }
    CHECK(used_pad2);
  }

  TEST_CASE("placeholder_signature is well-formed CBOR of exactly the reserved size") {
    for (std::size_t reserve = 11; reserve < 400; ++reserve) {
      const Bytes placeholder = c2pa::placeholder_signature(reserve);
      REQUIRE(placeholder.size() == reserve);
      CHECK(placeholder[0] == 0xD2);
      CHECK(json::from_cbor(Bytes(placeholder.begin() + 1, placeholder.end())).size() == 4);
    }
    CHECK(c2pa::placeholder_signature(70000).size() == 70000);
    CHECK(test::error_code_of([] { (void)c2pa::placeholder_signature(10); }) == Errc::invalid_argument);
    // It holds the place, it does not parse as a signature: it has no alg and no certificate.
    CHECK(test::error_code_of([] { (void)c2pa::parse_cose_sign1(c2pa::placeholder_signature(100)); }) == Errc::malformed_input);
  }

  TEST_CASE("parse_cose_sign1 finds x5chain under 33 or \"x5chain\", protected or unprotected, but not both") {
    const Bytes cert1{0x30, 0x01, 0x01};
    const Bytes cert2{0x30, 0x01, 0x02};
    const Bytes signature(64, 0xAB);
    Bytes alg_only{0xA1, 0x01, 0x26};  // {1: -7}

    Bytes text_label{0xA2, 0x01, 0x26};  // {1: -7, "x5chain": [cert1, cert2]}
    tstr(text_label, "x5chain");
    text_label.push_back(0x82);
    bstr(text_label, cert1);
    bstr(text_label, cert2);
    c2pa::CoseSign1 parsed = c2pa::parse_cose_sign1(cose_bytes(text_label, {0xA0}, signature));
    CHECK(parsed.x5chain == std::vector<Bytes>{cert1, cert2});
    CHECK(parsed.alg == -7);
    CHECK(parsed.signature == signature);

    Bytes unprotected{0xA2};  // {"pad": h'0000', "x5chain": cert1}
    tstr(unprotected, "pad");
    bstr(unprotected, Bytes(2, 0));
    tstr(unprotected, "x5chain");
    bstr(unprotected, cert1);
    parsed = c2pa::parse_cose_sign1(cose_bytes(alg_only, unprotected, signature));
    CHECK(parsed.x5chain == std::vector<Bytes>{cert1});

    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(text_label, unprotected, signature)); }) ==
          Errc::malformed_input);
    // 33 is the x5chain label only in the protected bucket; no chain at all is an error.
    Bytes int_unprotected{0xA1, 0x18, 0x21};
    bstr(int_unprotected, cert1);
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(alg_only, int_unprotected, signature)); }) ==
          Errc::malformed_input);
    // Unknown labels of any shape are skipped: {4: h'01', -70000: [1, {"a": 1.5}], 1: -7, 33: cert1}.
    Bytes extra{0xA4, 0x04, 0x41, 0x01, 0x3A, 0x00, 0x01, 0x11, 0x6F, 0x82, 0x01, 0xA1, 0x61, 'a',
                0xF9, 0x3E, 0x00, 0x01, 0x26, 0x18, 0x21};
    bstr(extra, cert1);
    parsed = c2pa::parse_cose_sign1(cose_bytes(extra, {0xA0}, signature));
    CHECK(parsed.alg == -7);
    CHECK(parsed.x5chain.size() == 1);
  }

  TEST_CASE("hostile COSE bytes give malformed_input") {
    const TestSigner s = make_signer("P-256");
    const Bytes good = c2pa::sign_claim(claim_bytes(), s.signer, s.signer.reserve_size());
    // Every truncation.
    for (std::size_t n = 0; n < good.size(); n += (n < 700 ? 1 : 97)) {
      CAPTURE(n);
      CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(std::span(good).first(n)); }) == Errc::malformed_input);
    }
    Bytes trailing = good;
    trailing.push_back(0x00);
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(trailing); }) == Errc::malformed_input);
    Bytes untagged(good.begin() + 1, good.end());
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(untagged); }) == Errc::malformed_input);

    const Bytes alg_and_cert{0xA2, 0x01, 0x26, 0x18, 0x21, 0x41, 0x30};
    // Deep nesting inside a skipped header value: 100000 nested arrays.
    Bytes deep{0xA1};
    tstr(deep, "x");
    deep.insert(deep.end(), 100000, 0x81);
    deep.push_back(0x00);
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(alg_and_cert, deep, {})); }) ==
          Errc::malformed_input);
    // Counts and lengths far beyond the data.
    const Bytes huge_map{0xBB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(alg_and_cert, huge_map, {})); }) ==
          Errc::malformed_input);
    const Bytes huge_bstr{0xD2, 0x84, 0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0};
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(huge_bstr); }) == Errc::malformed_input);
    // Indefinite lengths, an attached payload, an alg given as text, an empty x5chain array.
    const Bytes indefinite{0xD2, 0x9F, 0xFF};
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(indefinite); }) == Errc::malformed_input);
    Bytes attached{0xD2, 0x84};
    bstr(attached, alg_and_cert);
    attached.insert(attached.end(), {0xA0, 0x41, 0x00, 0x40});
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(attached); }) == Errc::malformed_input);
    const Bytes text_alg{0xA2, 0x01, 0x65, 'E', 'S', '2', '5', '6', 0x18, 0x21, 0x41, 0x30};
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(text_alg, {0xA0}, {})); }) == Errc::malformed_input);
    const Bytes empty_chain{0xA2, 0x01, 0x26, 0x18, 0x21, 0x80};
    CHECK(test::error_code_of([&] { (void)c2pa::parse_cose_sign1(cose_bytes(empty_chain, {0xA0}, {})); }) ==
          Errc::malformed_input);

    // A chain that is not a certificate parses, but verifying it is malformed input.
    const c2pa::CoseSign1 fake = c2pa::parse_cose_sign1(cose_bytes(alg_and_cert, {0xA0}, Bytes(64)));
    CHECK(test::error_code_of([&] { (void)c2pa::verify_cose_sign1(fake, claim_bytes()); }) == Errc::malformed_input);
  }

  TEST_CASE("verify_cose_sign1 refuses algorithms it does not implement and keys of the wrong type") {
    const TestSigner s = make_signer("P-256");
    const Bytes claim = claim_bytes();
    c2pa::CoseSign1 parsed = c2pa::parse_cose_sign1(c2pa::sign_claim(claim, s.signer, s.signer.reserve_size()));
    parsed.alg = -36;  // ES512
    CHECK(test::error_code_of([&] { (void)c2pa::verify_cose_sign1(parsed, claim); }) == Errc::unsupported_format);
    parsed.alg = c2pa::cose_eddsa;  // an EC key cannot make an EdDSA signature
    CHECK_FALSE(c2pa::verify_cose_sign1(parsed, claim));
    parsed.alg = c2pa::cose_es384;  // C2PA allows any supported curve with either ECDSA hash: the hash decides
    CHECK_FALSE(c2pa::verify_cose_sign1(parsed, claim));
  }
}
