// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Keys and certificates made on the fly for the signer, COSE and certificate tests (OpenSSL X509 API).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crypto/openssl.hpp"
#include "provmark/signer.hpp"

namespace provmark::test {

/// "P-256", "P-384", "P-521", "RSA-2048", "RSA-1024" or "Ed25519".
crypto::PkeyPtr make_key(const std::string& kind);

/// Extensions as openssl.cnf writes them: {"keyUsage", "critical,digitalSignature"}, {"1.2.3.4", "DER:05:00"}.
using Extensions = std::vector<std::pair<std::string, std::string>>;
/// A CA: basicConstraints CA:TRUE, keyCertSign + cRLSign, SKI.
Extensions ca_extensions();
/// A C2PA signer like the reference PKI's: CA:FALSE, digitalSignature, emailProtection + documentSigning, SKI, AKI.
Extensions signer_extensions();
/// signer_extensions() without `name`, then with {name, value} if value is not empty.
Extensions signer_extensions_with(const std::string& name, const std::string& value);

struct CertOptions {
  std::string common_name = "provmark test";
  Extensions extensions;
  long valid_from_days = -1;  ///< relative to now
  long valid_to_days = 365;
  bool v3 = true;
};

/// A certificate for `key`, signed by `issuer_key` under `issuer` (both null: self-signed).
crypto::X509Ptr make_cert(EVP_PKEY* key, const CertOptions& options, X509* issuer = nullptr,
                          EVP_PKEY* issuer_key = nullptr);

std::string to_pem(X509* cert);
std::string private_key_pem(EVP_PKEY* key);

/// Verifies a COSE-form signature with OpenSSL directly (ECDSA r||s converted to DER here; PSS salt 32).
bool openssl_verifies(EVP_PKEY* public_key, const std::string& alg, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature);

/// A root CA and a C2PA signer it issued (key kind as make_key), with the root as PEM for trust anchors.
struct SignerWithRoot {
  Signer signer;
  std::string root_pem;
};
SignerWithRoot make_signer_with_root(const std::string& kind = "P-256");

/// The reference tool's test PKI (shared/tools/c2pa-ref/pki beside the repository, or $PROVMARK_SHARED_DIR),
/// or an empty path when it is absent.
std::filesystem::path shared_pki_dir();
std::string read_text(const std::filesystem::path& path);

}  // namespace provmark::test
