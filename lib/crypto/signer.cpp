// SPDX-License-Identifier: Apache-2.0
#include "provmark/signer.hpp"

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <climits>
#include <string>

#include "core/fail.hpp"
#include "provmark/codec.hpp"
#include "crypto/openssl.hpp"
#include "crypto/tsa.hpp"

namespace provmark {

struct Signer::State {
  SigningAlg alg;
  std::vector<std::vector<std::uint8_t>> chain;
  std::size_t signature_size;
  std::shared_ptr<EVP_PKEY> key;  // null for a callback signer
  SignFunction callback;
  TimeStampFunction tsa;  // empty: no time-stamps
};

namespace {

int no_passphrase(char*, int, int, void*) { return -1; }

// Fixed-size signatures must come back at exactly that size from a callback; PS256 at the modulus size.
void check_signature_size(const std::vector<std::uint8_t>& signature, std::size_t expected) {
  if (signature.size() != expected) {
    fail(Errc::crypto, "the signature has " + std::to_string(signature.size()) + " bytes, expected " +
                           std::to_string(expected));
  }
}

crypto::PkeyPtr public_key_of(X509* cert) {
  crypto::PkeyPtr key(X509_get_pubkey(cert));
  if (!key) crypto::fail_openssl(Errc::bad_key, "certificate without a usable public key");
  return key;
}

// The text of a key file, wiped when it goes out of scope.
struct SecretText {
  std::string text;
  ~SecretText() { OPENSSL_cleanse(text.data(), text.size()); }
};

}  // namespace

Signer Signer::from_pem(std::string_view chain_pem, std::string_view private_key_pem) {
  std::vector<crypto::X509Ptr> certs = crypto::read_pem_certificates(chain_pem, Errc::bad_key);
  // A self-signed root after the end-entity is a trust anchor: validators have it, C2PA leaves it out.
  std::vector<std::vector<std::uint8_t>> chain;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    if (i > 0 && X509_check_issued(certs[i].get(), certs[i].get()) == X509_V_OK) continue;
    chain.push_back(crypto::to_der(certs[i].get()));
  }

  if (private_key_pem.size() > static_cast<std::size_t>(INT_MAX)) fail(Errc::bad_key, "private key too large");
  const crypto::BioPtr bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  if (!bio) crypto::fail_openssl(Errc::crypto, "BIO_new_mem_buf");
  crypto::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) crypto::fail_openssl(Errc::bad_key, "cannot read the PEM private key (encrypted keys are not supported)");
  const SigningAlg alg = crypto::alg_for_key(key.get());
  if (EVP_PKEY_eq(key.get(), public_key_of(certs.front().get()).get()) != 1) {
    crypto::clear_openssl_errors();
    fail(Errc::bad_key, "the private key does not belong to the first certificate of the chain");
  }
  const std::size_t signature_size = crypto::raw_signature_size(key.get());
  std::shared_ptr<EVP_PKEY> shared(key.release(), EVP_PKEY_free);
  return Signer(std::make_shared<const State>(State{alg, std::move(chain), signature_size, std::move(shared), {}, {}}));
}

Signer Signer::from_pem_files(const std::filesystem::path& chain, const std::filesystem::path& key) {
  const std::vector<std::uint8_t> chain_bytes = read_file(chain);
  SecretText key_text;
  {
    std::vector<std::uint8_t> key_bytes = read_file(key);
    key_text.text.assign(key_bytes.begin(), key_bytes.end());
    OPENSSL_cleanse(key_bytes.data(), key_bytes.size());
  }
  return from_pem(std::string_view(reinterpret_cast<const char*>(chain_bytes.data()), chain_bytes.size()),
                  key_text.text);
}

Signer Signer::from_callback(SigningAlg alg, std::vector<std::vector<std::uint8_t>> chain_der, SignFunction sign) {
  if (chain_der.empty()) fail(Errc::invalid_argument, "a signer needs at least its end-entity certificate");
  if (!sign) fail(Errc::invalid_argument, "no signing callback");
  const crypto::X509Ptr cert = crypto::read_der_certificate(chain_der.front(), Errc::bad_key);
  const crypto::PkeyPtr key = public_key_of(cert.get());
  if (crypto::alg_for_key(key.get()) != alg) {
    fail(Errc::bad_key, "the end-entity certificate's key does not sign with the requested algorithm");
  }
  const std::size_t signature_size = crypto::raw_signature_size(key.get());
  return Signer(
      std::make_shared<const State>(State{alg, std::move(chain_der), signature_size, {}, std::move(sign), {}}));
}

Signer Signer::with_time_stamps(TimeStampFunction tsa) const {
  if (!tsa) fail(Errc::invalid_argument, "no time-stamp function");
  State state = *state_;
  state.tsa = std::move(tsa);
  return Signer(std::make_shared<const State>(std::move(state)));
}

Signer Signer::with_tsa_url(const std::string& url, std::chrono::seconds timeout) const {
  const crypto::HttpUrl parsed = crypto::parse_http_url(url);
  return with_time_stamps([parsed, timeout](std::span<const std::uint8_t> request) {
    return crypto::post_time_stamp_request(parsed, request, timeout);
  });
}

bool Signer::time_stamps() const noexcept { return static_cast<bool>(state_->tsa); }

std::vector<std::uint8_t> Signer::time_stamp(std::span<const std::uint8_t> message) const {
  if (!state_->tsa) fail(Errc::invalid_argument, "this signer has no time-stamp authority");
  const std::vector<std::uint8_t> request = crypto::time_stamp_request(message);
  std::vector<std::uint8_t> response = state_->tsa(request);
  crypto::check_time_stamp_response(request, response);
  return response;
}

SigningAlg Signer::alg() const noexcept { return state_->alg; }

const std::vector<std::vector<std::uint8_t>>& Signer::certificate_chain() const noexcept { return state_->chain; }

std::size_t Signer::reserve_size() const noexcept {
  // c2pa-rs cose_reserve_size without OCSP: signature + chain + 1024 for the COSE structure, + 10000 for a
  // time-stamp token (a TSA's token with its certificate chain is typically 3-7 kB).
  std::size_t size = state_->signature_size + 1024 + (state_->tsa ? 10000 : 0);
  for (const auto& cert : state_->chain) size += cert.size();
  return size;
}

std::vector<std::uint8_t> Signer::sign(std::span<const std::uint8_t> to_be_signed) const {
  std::vector<std::uint8_t> signature =
      state_->key ? crypto::sign_raw(state_->alg, state_->key.get(), to_be_signed) : state_->callback(to_be_signed);
  check_signature_size(signature, state_->signature_size);
  return signature;
}

}  // namespace provmark
