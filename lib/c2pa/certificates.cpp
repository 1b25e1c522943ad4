// SPDX-License-Identifier: Apache-2.0
#include "c2pa/certificates.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>

#include "core/fail.hpp"
#include "crypto/openssl.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"

namespace provmark::c2pa {
namespace {

using crypto::X509Ptr;

// c2pa-rs valid_eku_oids.cfg: emailProtection, documentSigning, timeStamping, OCSPSigning, MS C2PA signing,
// c2pa-kp-claimSigning.
constexpr std::array<const char*, 6> allowed_ekus = {"1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.8",
                                                     "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.311.76.59.1.9",
                                                     "1.3.6.1.4.1.62558.2.1"};

std::string oid_text(const ASN1_OBJECT* oid) {
  char text[128] = {};
  OBJ_obj2txt(text, sizeof text, oid, 1);
  return text;
}

std::string key_problem(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) return "the public key cannot be read";
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      EVP_PKEY_get_group_name(key, group, sizeof group, &length);
      for (const char* allowed : {"prime256v1", "secp384r1", "secp521r1"}) {
        if (std::strcmp(group, allowed) == 0) return {};
      }
      return "EC keys must be on P-256, P-384 or P-521";
    }
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return EVP_PKEY_get_bits(key) >= 2048 ? "" : "RSA keys need at least 2048 bits";
    case EVP_PKEY_ED25519: return {};
    default: return "unsupported public key type";
  }
}

std::string signature_algorithm_problem(const X509* cert) {
  int digest = NID_undef;
  int key_type = NID_undef;
  if (X509_get_signature_info(const_cast<X509*>(cert), &digest, &key_type, nullptr, nullptr) != 1) {
    return "unknown signature algorithm";
  }
  if (key_type == NID_ED25519) return {};
  const bool digest_ok = digest == NID_sha256 || digest == NID_sha384 || digest == NID_sha512;
  const bool type_ok = key_type == NID_X9_62_id_ecPublicKey || key_type == NID_rsaEncryption ||
                       key_type == NID_rsassaPss;
  return digest_ok && type_ok ? "" : "signature algorithm not allowed (ECDSA, RSA, RSA-PSS with SHA-2, or Ed25519)";
}

std::string eku_problem(X509* cert) {
  int critical = 0;
  auto* ekus = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, &critical, nullptr));
  if (!ekus) return critical == -2 ? "extended key usage given twice" : "no extended key usage";
  const int count = sk_ASN1_OBJECT_num(ekus);
  bool any = false;
  bool listed = false;
  bool exclusive = false;  // timeStamping or OCSPSigning: only allowed alone
  for (int i = 0; i < count; ++i) {
    const ASN1_OBJECT* oid = sk_ASN1_OBJECT_value(ekus, i);
    any = any || OBJ_obj2nid(oid) == NID_anyExtendedKeyUsage;
    const std::string text = oid_text(oid);
    listed = listed || std::find(allowed_ekus.begin(), allowed_ekus.end(), text) != allowed_ekus.end();
    exclusive = exclusive || text == "1.3.6.1.5.5.7.3.8" || text == "1.3.6.1.5.5.7.3.9";
  }
  EXTENDED_KEY_USAGE_free(ekus);
  if (count == 0) return "empty extended key usage";
  if (any) return "anyExtendedKeyUsage is not allowed";
  if (!listed) return "no extended key usage allowed for C2PA signing";
  if (exclusive && count > 1) return "timeStamping and OCSPSigning must be the only extended key usage";
  return {};
}

// The C2PA end-entity profile (C2PA 2.2 §14.5.1; c2pa-rs certificate_profile.rs); empty when it holds.
std::string profile_problem(X509* cert) {
  if (X509_get_version(cert) != X509_VERSION_3) return "not an X.509 v3 certificate";
  const std::uint32_t flags = X509_get_extension_flags(cert);  // also parses and caches the extensions
  if (flags & EXFLAG_INVALID) return "corrupt or duplicate extensions";
  if (flags & EXFLAG_CRITICAL) return "unknown critical extension";
  if (std::string problem = signature_algorithm_problem(cert); !problem.empty()) return problem;
  if (std::string problem = key_problem(cert); !problem.empty()) return problem;
  const ASN1_BIT_STRING* issuer_uid = nullptr;
  const ASN1_BIT_STRING* subject_uid = nullptr;
  X509_get0_uids(cert, &issuer_uid, &subject_uid);
  if (issuer_uid || subject_uid) return "issuerUniqueID or subjectUniqueID present";
  if (flags & EXFLAG_CA) return "the signer is a CA certificate";
  if (flags & EXFLAG_SS) return "the signer certificate is self-signed";
  if (!X509_get0_authority_key_id(cert)) return "no authority key identifier";
  if (!(flags & EXFLAG_KUSAGE)) return "no key usage";
  const std::uint32_t usage = X509_get_key_usage(cert);
  if (usage & KU_KEY_CERT_SIGN) return "keyCertSign on a certificate that is not a CA";
  if (!(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) return "key usage lacks digitalSignature";
  return eku_problem(cert);
}

bool valid_at(const X509* cert, std::time_t at) {
  return X509_cmp_time(X509_get0_notBefore(cert), &at) == -1 && X509_cmp_time(X509_get0_notAfter(cert), &at) == 1;
}

// Empty when `chain` leads to one of the anchors at time `at`; otherwise OpenSSL's reason.
std::string trust_problem(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& anchors, std::time_t at) {
  const crypto::StorePtr store(X509_STORE_new());
  const crypto::StoreCtxPtr ctx(X509_STORE_CTX_new());
  STACK_OF(X509)* intermediates = sk_X509_new_null();
  bool ok = store && ctx && intermediates;
  for (const X509Ptr& anchor : anchors) ok = ok && X509_STORE_add_cert(store.get(), anchor.get()) == 1;
  for (std::size_t i = 1; i < chain.size(); ++i) ok = ok && sk_X509_push(intermediates, chain[i].get()) > 0;
  ok = ok && X509_STORE_CTX_init(ctx.get(), store.get(), chain.front().get(), intermediates) == 1;
  if (!ok) {
    sk_X509_free(intermediates);
    crypto::fail_openssl(Errc::crypto, "cannot set up certificate verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  // Trust lists may hold intermediates as anchors: a chain ending at any listed certificate is trusted.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  const bool verified = X509_verify_cert(ctx.get()) == 1;
  std::string problem = verified ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  sk_X509_free(intermediates);  // the certificates stay owned by `chain`
  crypto::clear_openssl_errors();
  return problem;
}

}  // namespace

TrustAnchors TrustAnchors::from_pem(std::string_view pem_bundle) {
  TrustAnchors anchors;
  for (const X509Ptr& cert : crypto::read_pem_certificates(pem_bundle, Errc::malformed_input)) {
    anchors.certificates_der.push_back(crypto::to_der(cert.get()));
  }
  return anchors;
}

TrustAnchors TrustAnchors::from_pem_file(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  return from_pem(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

CertificateCheck check_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                         const TrustAnchors* anchors, std::chrono::system_clock::time_point at) {
  CertificateCheck check;
  std::vector<X509Ptr> chain;
  try {
    if (chain_der.empty()) fail(Errc::malformed_input, "no certificate");
    for (const auto& der : chain_der) chain.push_back(crypto::read_der_certificate(der, Errc::malformed_input));
  } catch (const Error& e) {
    check.status_codes = {"signingCredential.invalid"};
    check.explanation = e.what();
    return check;
  }
  const std::time_t when = std::chrono::system_clock::to_time_t(at);

  const std::string profile = profile_problem(chain.front().get());
  check.profile_valid = profile.empty();
  check.inside_validity =
      std::all_of(chain.begin(), chain.end(), [&](const X509Ptr& c) { return valid_at(c.get(), when); });
  std::string trust = "no trust anchors";
  if (anchors && !anchors->certificates_der.empty()) {
    std::vector<X509Ptr> anchor_certs;
    for (const auto& der : anchors->certificates_der) {
      anchor_certs.push_back(crypto::read_der_certificate(der, Errc::malformed_input));
    }
    trust = trust_problem(chain, anchor_certs, when);
  }
  check.trusted = trust.empty();

  if (!check.profile_valid) {
    check.status_codes = {"signingCredential.invalid"};
    check.explanation = profile;
  } else if (!check.inside_validity) {
    check.status_codes = {"signingCredential.expired"};
    check.explanation = "a certificate of the chain is not valid at the signing time";
  } else if (check.trusted) {
    check.status_codes = {"signingCredential.trusted"};
  } else {
    check.status_codes = {"signingCredential.untrusted"};
    check.explanation = trust;
  }
  return check;
}

}  // namespace provmark::c2pa
