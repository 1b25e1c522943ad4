// SPDX-License-Identifier: Apache-2.0
#include "provmark/signer.hpp"

#include <doctest/doctest.h>
#include <openssl/pem.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/test_pki.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

namespace {

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

struct Credentials {
  crypto::PkeyPtr key;
  crypto::X509Ptr cert;
  std::string chain_pem;  // leaf + self-signed root (which the signer drops)
};

Credentials make_credentials(const std::string& kind) {
  const crypto::PkeyPtr ca_key = test::make_key("P-256");
  const crypto::X509Ptr ca = test::make_cert(ca_key.get(), {"test root", test::ca_extensions()});
  Credentials c{test::make_key(kind), nullptr, {}};
  c.cert = test::make_cert(c.key.get(), {"test signer", test::signer_extensions()}, ca.get(), ca_key.get());
  c.chain_pem = test::to_pem(c.cert.get()) + test::to_pem(ca.get());
  return c;
}

Bytes message(std::size_t size) {
  Bytes m(size);
  for (std::size_t i = 0; i < size; ++i) m[i] = static_cast<std::uint8_t>(i * 31 + 7);
  return m;
}


struct Case {
  const char* kind;
  const char* alg_name;
  SigningAlg alg;
  std::size_t signature_size;
};
const Case cases[] = {{"P-256", "ES256", SigningAlg::es256, 64},
                      {"P-384", "ES384", SigningAlg::es384, 96},
                      {"RSA-2048", "PS256", SigningAlg::ps256, 256},
                      {"Ed25519", "Ed25519", SigningAlg::ed25519, 64}};

}  // namespace

TEST_SUITE("crypto/signer") {
  TEST_CASE("from_pem picks the algorithm from the key and signs what OpenSSL verifies") {
    for (const Case& c : cases) {
      CAPTURE(c.alg_name);
      const Credentials creds = make_credentials(c.kind);
      const Signer signer = Signer::from_pem(creds.chain_pem, test::private_key_pem(creds.key.get()));
      CHECK(signer.alg() == c.alg);
      REQUIRE(signer.certificate_chain().size() == 1);  // the self-signed root is dropped
      CHECK(signer.certificate_chain()[0] == crypto::to_der(creds.cert.get()));
      CHECK(signer.reserve_size() == c.signature_size + signer.certificate_chain()[0].size() + 1024);

      for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{5000}}) {
        const Bytes m = message(size);
        Bytes signature = signer.sign(m);
        CHECK(signature.size() == c.signature_size);
        CHECK(test::openssl_verifies(creds.key.get(), c.alg_name, m, signature));
        signature[signature.size() / 2] ^= 0x01;
        CHECK_FALSE(test::openssl_verifies(creds.key.get(), c.alg_name, m, signature));
      }
    }
  }

  TEST_CASE("ECDSA signatures are r||s padded to the field size even when r or s is short") {
    // About 1 in 128 P-256 signatures has a leading zero byte in r or s: 1500 tries miss one with p < 1e-5.
    const Credentials creds = make_credentials("P-256");
    const Signer signer = Signer::from_pem(creds.chain_pem, test::private_key_pem(creds.key.get()));
    const Bytes m = message(10);
    int short_halves = 0;
    for (int i = 0; i < 1500; ++i) {
      const Bytes signature = signer.sign(m);
      REQUIRE(signature.size() == 64);
      short_halves += signature[0] == 0 || signature[32] == 0;
      REQUIRE(test::openssl_verifies(creds.key.get(), "ES256", m, signature));
    }
    CHECK(short_halves > 0);
  }

  TEST_CASE("bad keys and chains are refused with bad_key, and the message never shows the key") {
    const Credentials creds = make_credentials("P-256");
    const Credentials other = make_credentials("P-256");
    const std::string key_pem = test::private_key_pem(creds.key.get());
    CHECK(test::error_code_of([&] { (void)Signer::from_pem(creds.chain_pem, test::private_key_pem(other.key.get())); }) ==
          Errc::bad_key);
    CHECK(test::error_code_of([&] { (void)Signer::from_pem(creds.chain_pem, "not a key"); }) == Errc::bad_key);
    CHECK(test::error_code_of([&] { (void)Signer::from_pem("", key_pem); }) == Errc::bad_key);
    CHECK(test::error_code_of([&] { (void)Signer::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                                key_pem); }) == Errc::bad_key);

    const Credentials weak = make_credentials("RSA-1024");
    CHECK(test::error_code_of([&] { (void)Signer::from_pem(weak.chain_pem, test::private_key_pem(weak.key.get())); }) ==
          Errc::bad_key);
    const Credentials p521 = make_credentials("P-521");
    CHECK(test::error_code_of([&] { (void)Signer::from_pem(p521.chain_pem, test::private_key_pem(p521.key.get())); }) ==
          Errc::bad_key);

    // An encrypted key is refused without prompting for a passphrase.
    const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio.get(), creds.key.get(), EVP_aes_128_cbc(), nullptr, 0, nullptr,
                                          const_cast<char*>("secret")) == 1);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);  // first: argument order is unspecified
    const std::string encrypted(data, static_cast<std::size_t>(length));
    try {
      (void)Signer::from_pem(creds.chain_pem, encrypted);
      FAIL("an encrypted key was accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::bad_key);
      // No line of base64 key text in the message.
      const std::string body = encrypted.substr(encrypted.find('\n') + 1, 40);
      CHECK(std::string(e.what()).find(body) == std::string::npos);
    }
  }

  TEST_CASE("a callback signer hands the bytes to the callback and checks the signature size") {
    const Credentials creds = make_credentials("P-256");
    const Signer local = Signer::from_pem(creds.chain_pem, test::private_key_pem(creds.key.get()));
    Bytes seen;
    const Signer remote = Signer::from_callback(SigningAlg::es256, local.certificate_chain(),
                                                [&](std::span<const std::uint8_t> tbs) {
                                                  seen.assign(tbs.begin(), tbs.end());
                                                  return local.sign(tbs);
                                                });
    const Bytes m = message(100);
    const Bytes signature = remote.sign(m);
    CHECK(seen == m);
    CHECK(test::openssl_verifies(creds.key.get(), "ES256", m, signature));
    CHECK(remote.reserve_size() == local.reserve_size());

    const Signer truncating = Signer::from_callback(SigningAlg::es256, local.certificate_chain(),
                                                    [](std::span<const std::uint8_t>) { return Bytes(63); });
    CHECK(test::error_code_of([&] { (void)truncating.sign(m); }) == Errc::crypto);
    const auto any = [](std::span<const std::uint8_t>) { return Bytes(64); };
    CHECK(test::error_code_of([&] { (void)Signer::from_callback(SigningAlg::ed25519, local.certificate_chain(), any); }) ==
          Errc::bad_key);
    CHECK(test::error_code_of([&] { (void)Signer::from_callback(SigningAlg::es256, {}, any); }) == Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)Signer::from_callback(SigningAlg::es256, {Bytes{1, 2, 3}}, any); }) == Errc::bad_key);
  }

  TEST_CASE("one signer signs from several threads at once") {
    const Credentials creds = make_credentials("Ed25519");
    const Signer signer = Signer::from_pem(creds.chain_pem, test::private_key_pem(creds.key.get()));
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < ok.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          const Bytes m = message(t * 100 + static_cast<std::size_t>(i));
          ok[t] += test::openssl_verifies(creds.key.get(), "Ed25519", m, signer.sign(m));
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (const int count : ok) CHECK(count == 50);
  }

  TEST_CASE("from_pem_files loads the reference PKI's ES256 and Ed25519 signers with their intermediate") {
    const auto pki = test::shared_pki_dir();
    if (pki.empty()) {
      MESSAGE("shared/tools/c2pa-ref/pki not found beside the repository: skipped");
      return;
    }
    const Signer es256 = Signer::from_pem_files(pki / "signer-es256-chain.pem", pki / "signer-es256.key");
    CHECK(es256.alg() == SigningAlg::es256);
    CHECK(es256.certificate_chain().size() == 2);
    const Signer ed25519 = Signer::from_pem_files(pki / "signer-ed25519-chain.pem", pki / "signer-ed25519.key");
    CHECK(ed25519.alg() == SigningAlg::ed25519);
    CHECK(ed25519.sign(message(3)).size() == 64);
    CHECK(test::error_code_of([&] { (void)Signer::from_pem_files(pki / "signer-es256-chain.pem", pki / "missing.key"); }) ==
          Errc::io);
  }
}
