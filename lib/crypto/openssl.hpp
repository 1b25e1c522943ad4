// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Small RAII and error helpers around OpenSSL 3 (EVP API only), shared by the signer, COSE and
/// certificate code.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/error.hpp"
#include "provmark/signer.hpp"

namespace provmark::crypto {

struct OpenSslFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(X509_STORE* p) const noexcept { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const noexcept { X509_STORE_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree>;

/// Throws Error(code, what + ": " + the drained OpenSSL error queue). The queue is left empty.
[[noreturn]] void fail_openssl(Errc code, const std::string& what);
/// Empties this thread's OpenSSL error queue (after an expected failure).
void clear_openssl_errors() noexcept;

/// Certificates from PEM text, in order. @throws Error(code) when there is none or one is corrupt.
std::vector<X509Ptr> read_pem_certificates(std::string_view pem, Errc code);
/// One DER certificate (the whole span). @throws Error(code) when it is not exactly one certificate.
X509Ptr read_der_certificate(std::span<const std::uint8_t> der, Errc code);
std::vector<std::uint8_t> to_der(X509* cert);

/// The algorithm a public or private key signs with. @throws Error(bad_key) for other keys.
SigningAlg alg_for_key(const EVP_PKEY* key);
/// Size of the raw COSE-form signature `key` makes: ECDSA 2 x field size, RSA modulus size, Ed25519 64.
std::size_t raw_signature_size(const EVP_PKEY* key);

/// Raw COSE-form signature (ECDSA r||s) with a private key. @throws Error(crypto).
std::vector<std::uint8_t> sign_raw(SigningAlg alg, EVP_PKEY* key, std::span<const std::uint8_t> message);
/// Checks a raw COSE-form signature with a public key. ECDSA takes any supported curve with either
/// hash (C2PA allows it); false for a key of the wrong type or a signature of the wrong size.
bool verify_raw(SigningAlg alg, EVP_PKEY* key, std::span<const std::uint8_t> message,
                std::span<const std::uint8_t> signature);

}  // namespace provmark::crypto
