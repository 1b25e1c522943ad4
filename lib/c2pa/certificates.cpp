// SPDX-License-Identifier: Apache-2.0
#include "c2pa/certificates.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "core/fail.hpp"
#include "crypto/openssl.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"

namespace provmark {
namespace {

constexpr const char* time_stamping_eku = "1.3.6.1.5.5.7.3.8";
// c2pa-rs valid_eku_oids.cfg: emailProtection, documentSigning, timeStamping, OCSPSigning, MS C2PA signing,
// c2pa-kp-claimSigning.
constexpr std::array<const char*, 6> signing_ekus = {"1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.8",
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

// The EKUs an end-entity may carry for a purpose: a claim signer (c2pa-rs valid_eku_oids.cfg) or a time-stamp
// authority (c2pa-rs checks a TSA with the same profile and timeStamping as the only allowed EKU).
std::string eku_problem(X509* cert, std::span<const char* const> allowed, const char* purpose) {
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
    listed = listed || std::find(allowed.begin(), allowed.end(), text) != allowed.end();
    exclusive = exclusive || text == time_stamping_eku || text == "1.3.6.1.5.5.7.3.9";
  }
  EXTENDED_KEY_USAGE_free(ekus);
  if (count == 0) return "empty extended key usage";
  if (any) return "anyExtendedKeyUsage is not allowed";
  if (!listed) return std::string("no extended key usage allowed for ") + purpose;
  if (exclusive && count > 1) return "timeStamping and OCSPSigning must be the only extended key usage";
  return {};
}

// The C2PA end-entity profile (C2PA 2.2 §14.5.1; c2pa-rs certificate_profile.rs); empty when it holds.
std::string profile_problem(X509* cert, std::span<const char* const> allowed_ekus, const char* purpose) {
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
  if (flags & EXFLAG_CA) return "the end-entity is a CA certificate";
  if (flags & EXFLAG_SS) return "the end-entity certificate is self-signed";
  if (!X509_get0_authority_key_id(cert)) return "no authority key identifier";
  if (!(flags & EXFLAG_KUSAGE)) return "no key usage";
  const std::uint32_t usage = X509_get_key_usage(cert);
  if (usage & KU_KEY_CERT_SIGN) return "keyCertSign on a certificate that is not a CA";
  if (!(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) return "key usage lacks digitalSignature";
  return eku_problem(cert, allowed_ekus, purpose);
}

std::time_t to_time_t(std::chrono::system_clock::time_point at) { return std::chrono::system_clock::to_time_t(at); }

std::optional<std::time_t> to_time_t(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  const std::time_t seconds = timegm(&tm);
  return seconds == static_cast<std::time_t>(-1) ? std::nullopt : std::optional(seconds);
}

// What every validation asks of a signer's certificate, worked out once when it is decoded: the profile check
// re-decodes extensions and the key's curve, X509_cmp_time parses the validity times on each call, and the DER is
// what verified chains are keyed by (i2d_X509 would re-encode it).
struct CertificateFacts {
  std::string der;
  std::string signer_profile;  // profile_problem for C2PA claim signing: empty when it holds
  std::optional<std::time_t> not_before, not_after;
  std::string organization, common_name;  // of the subject, for the reports
};

std::string subject_text(X509* cert, int nid) {
  char text[256] = {};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, text, sizeof text);
  return n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string{};
}

std::shared_ptr<const CertificateFacts> facts_for(X509* cert, std::span<const std::uint8_t> der) {
  auto facts = std::make_shared<CertificateFacts>();
  facts->der.assign(der.begin(), der.end());
  facts->signer_profile = profile_problem(cert, signing_ekus, "C2PA signing");
  facts->not_before = to_time_t(X509_get0_notBefore(cert));
  facts->not_after = to_time_t(X509_get0_notAfter(cert));
  facts->organization = subject_text(cert, NID_organizationName);
  facts->common_name = subject_text(cert, NID_commonName);
  crypto::clear_openssl_errors();
  return facts;
}

// OpenSSL 3 decodes each certificate's public key through its provider decoders: for a two-certificate chain
// that costs more than a SHA-256 of a 1 MB file. Signers reuse their chains from file to file, so decoded
// certificates are kept, keyed by their exact DER, and shared (X509 is reference-counted and safe to share between
// threads once decoded), with their facts. Bounded: large certificates are not kept, and the cache is emptied when
// full.
class CertificateCache {
 public:
  crypto::X509Ptr decode(std::span<const std::uint8_t> der) {
    if (der.size() > max_der_size) return crypto::read_der_certificate(der, Errc::malformed_input);
    const std::string_view key(reinterpret_cast<const char*>(der.data()), der.size());
    {
      const std::lock_guard lock(mutex_);
      if (const auto it = certificates_.find(key); it != certificates_.end()) return share(it->second.get());
    }
    crypto::X509Ptr cert = crypto::read_der_certificate(der, Errc::malformed_input);
    std::shared_ptr<const CertificateFacts> facts = facts_for(cert.get(), der);
    const std::lock_guard lock(mutex_);
    if (certificates_.size() >= capacity) {
      certificates_.clear();
      facts_.clear();
    }
    if (certificates_.try_emplace(std::string(key), share(cert.get())).second) facts_[cert.get()] = std::move(facts);
    return cert;
  }

  // The facts of a certificate this cache handed out and still holds, else null. The cache keeps a reference to
  // each certificate it has facts for, so the address cannot be another certificate's meanwhile.
  std::shared_ptr<const CertificateFacts> facts(const X509* cert) {
    const std::lock_guard lock(mutex_);
    const auto it = facts_.find(cert);
    return it == facts_.end() ? nullptr : it->second;
  }

 private:
  static crypto::X509Ptr share(X509* cert) {
    X509_up_ref(cert);
    return crypto::X509Ptr(cert);
  }

  static constexpr std::size_t capacity = 64;
  static constexpr std::size_t max_der_size = 16 * 1024;
  std::mutex mutex_;
  // Looked up by the DER as given, without copying it (heterogeneous lookup).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view der) const noexcept { return std::hash<std::string_view>{}(der); }
  };
  std::unordered_map<std::string, crypto::X509Ptr, Hash, std::equal_to<>> certificates_;
  std::unordered_map<const X509*, std::shared_ptr<const CertificateFacts>> facts_;
};

CertificateCache& certificate_cache() {
  static CertificateCache cache;
  return cache;
}

std::shared_ptr<const CertificateFacts> facts_of(const X509* cert) { return certificate_cache().facts(cert); }

// The exact input of one verification: the DER of `leaf` and `intermediates`, each after its length.
std::string chain_key(X509* leaf, const std::vector<X509*>& intermediates) {
  std::string key;
  const auto append = [&](X509* cert) {
    if (const auto facts = facts_of(cert)) {
      key += std::to_string(facts->der.size()) + ':';
      key += facts->der;
      return;
    }
    unsigned char* der = nullptr;
    const int size = i2d_X509(cert, &der);
    if (size <= 0) crypto::fail_openssl(Errc::crypto, "i2d_X509");
    key += std::to_string(size) + ':';
    key.append(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
  };
  append(leaf);
  for (X509* cert : intermediates) append(cert);
  return key;
}

// The times strictly inside the validity of every certificate of a verified chain (anchor included).
std::optional<TrustAnchors::State::Window> validity_window(STACK_OF(X509)* chain) {
  TrustAnchors::State::Window window{std::numeric_limits<std::time_t>::min(), std::numeric_limits<std::time_t>::max()};
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    const auto from = to_time_t(X509_get0_notBefore(sk_X509_value(chain, i)));
    const auto to = to_time_t(X509_get0_notAfter(sk_X509_value(chain, i)));
    if (!from || !to) return std::nullopt;
    window.from = std::max(window.from, *from);
    window.to = std::min(window.to, *to);
  }
  return window;
}

// Empty when `leaf` leads, through any of `intermediates`, to one of the anchors at time `at`; otherwise
// OpenSSL's reason.
std::string trust_problem(X509* leaf, const std::vector<X509*>& intermediates, const TrustAnchors* anchors,
                          std::time_t at) {
  const TrustAnchors::State* state = anchors ? anchors->state() : nullptr;
  if (!state || state->certificates.empty()) return "no trust anchors";
  // Without revocation checks, a verification depends on the certificates, the anchors and the time only, and on
  // the time only through the validity periods: a chain verified once holds inside its window. The two ECDSA
  // checks of a leaf + intermediate chain cost a quarter of a SHA-256 of a 1 MB file, and signers repeat.
  const std::string key = chain_key(leaf, intermediates);
  {
    const std::lock_guard lock(state->verified_mutex);
    const auto it = state->verified_chains.find(key);
    if (it != state->verified_chains.end() && it->second.from < at && at < it->second.to) return {};
  }
  const crypto::StoreCtxPtr ctx(X509_STORE_CTX_new());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  bool ok = ctx && untrusted;
  for (X509* cert : intermediates) ok = ok && sk_X509_push(untrusted, cert) > 0;
  ok = ok && X509_STORE_CTX_init(ctx.get(), state->store.get(), leaf, untrusted) == 1;
  if (!ok) {
    sk_X509_free(untrusted);
    crypto::fail_openssl(Errc::crypto, "cannot set up certificate verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);
  // Trust lists may hold intermediates as anchors: a chain ending at any listed certificate is trusted.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  const bool verified = X509_verify_cert(ctx.get()) == 1;
  std::string problem = verified ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  if (verified) {
    if (const auto window = validity_window(X509_STORE_CTX_get0_chain(ctx.get()))) {
      const std::lock_guard lock(state->verified_mutex);
      if (state->verified_chains.size() >= TrustAnchors::State::max_verified_chains) state->verified_chains.clear();
      state->verified_chains.insert_or_assign(key, *window);
    }
  }
  sk_X509_free(untrusted);  // the certificates stay owned by the caller
  crypto::clear_openssl_errors();
  return problem;
}

}  // namespace

TrustAnchors TrustAnchors::from_pem(std::string_view pem_bundle) {
  auto state = std::make_shared<State>();
  state->certificates = crypto::read_pem_certificates(pem_bundle, Errc::malformed_input);
  state->store.reset(X509_STORE_new());
  if (!state->store) crypto::fail_openssl(Errc::crypto, "X509_STORE_new");
  for (const crypto::X509Ptr& cert : state->certificates) {
    // A certificate given twice is not an error (OpenSSL 3 ignores the duplicate).
    if (X509_STORE_add_cert(state->store.get(), cert.get()) != 1) {
      crypto::fail_openssl(Errc::malformed_input, "cannot add a trust anchor");
    }
  }
  TrustAnchors anchors;
  anchors.state_ = std::move(state);
  return anchors;
}

TrustAnchors TrustAnchors::from_pem_file(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  return from_pem(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::size_t TrustAnchors::size() const noexcept { return state_ ? state_->certificates.size() : 0; }

namespace c2pa {

CertificateChain decode_chain(const std::vector<std::vector<std::uint8_t>>& chain_der) {
  if (chain_der.empty()) fail(Errc::malformed_input, "no certificate");
  CertificateChain chain;
  for (const auto& der : chain_der) chain.push_back(certificate_cache().decode(der));
  return chain;
}

std::string certificate_subject(X509* cert, int nid) {
  if (const auto facts = facts_of(cert)) {
    if (nid == NID_organizationName) return facts->organization;
    if (nid == NID_commonName) return facts->common_name;
  }
  return subject_text(cert, nid);
}

bool certificate_valid_at(const X509* cert, std::chrono::system_clock::time_point at) {
  std::time_t when = to_time_t(at);
  // X509_cmp_time's meaning: notBefore <= at < notAfter.
  if (const auto facts = facts_of(cert); facts && facts->not_before && facts->not_after) {
    return *facts->not_before <= when && when < *facts->not_after;
  }
  return X509_cmp_time(X509_get0_notBefore(cert), &when) == -1 && X509_cmp_time(X509_get0_notAfter(cert), &when) == 1;
}

CertificateCheck check_certificate_chain(const CertificateChain& chain, const TrustAnchors* anchors,
                                         std::chrono::system_clock::time_point at) {
  CertificateCheck check;
  if (chain.empty()) {
    check.status_codes = {"signingCredential.invalid"};
    check.explanation = "no certificate";
    return check;
  }
  const auto facts = facts_of(chain.front().get());
  const std::string profile =
      facts ? facts->signer_profile : profile_problem(chain.front().get(), signing_ekus, "C2PA signing");
  check.profile_valid = profile.empty();
  check.inside_validity = std::all_of(chain.begin(), chain.end(),
                                      [&](const crypto::X509Ptr& c) { return certificate_valid_at(c.get(), at); });
  std::vector<X509*> intermediates;
  for (std::size_t i = 1; i < chain.size(); ++i) intermediates.push_back(chain[i].get());
  const std::string trust = trust_problem(chain.front().get(), intermediates, anchors, to_time_t(at));
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

CertificateCheck check_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                         const TrustAnchors* anchors, std::chrono::system_clock::time_point at) {
  CertificateChain chain;
  try {
    chain = decode_chain(chain_der);
  } catch (const Error& e) {
    CertificateCheck check;
    check.status_codes = {"signingCredential.invalid"};
    check.explanation = e.what();
    return check;
  }
  return check_certificate_chain(chain, anchors, at);
}

std::string time_stamp_authority_problem(X509* tsa, const std::vector<X509*>& others, const TrustAnchors* anchors,
                                         std::chrono::system_clock::time_point at) {
  static constexpr std::array<const char*, 1> time_stamping = {time_stamping_eku};
  if (std::string profile = profile_problem(tsa, time_stamping, "C2PA time-stamping"); !profile.empty()) return profile;
  return trust_problem(tsa, others, anchors, to_time_t(at));
}

}  // namespace c2pa
}  // namespace provmark
