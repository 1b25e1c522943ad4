// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Signer certificate checks for C2PA claim signatures (C2PA 2.2 §14.5.1; brief §5.1-5.2): the certificate
/// profile of the end-entity, its validity at a given time and its chain to a set of trust anchors. Also the
/// same checks for a time-stamp authority (profile with the timeStamping EKU, chain to the anchors).
///
/// Certificates come in decoded: OpenSSL 3 decodes a certificate slowly (provider key decoders), so a
/// validation decodes each one once (decode_chain) and every check reuses it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/openssl.hpp"
#include "provmark/inspect.hpp"

namespace provmark {

/// What a TrustAnchors holds: the certificates, decoded once, and a ready X509_STORE of them.
struct TrustAnchors::State {
  std::vector<crypto::X509Ptr> certificates;
  crypto::StorePtr store;  ///< read-only after construction, so concurrent verifications may share it

  /// Times strictly inside the validity of every certificate of a chain.
  struct Window {
    std::time_t from;
    std::time_t to;
  };
  /// Chains (the exact DER given to the verification) found to lead to these anchors, and when that holds; see
  /// trust_problem in certificates.cpp. Bounded: emptied when full.
  static constexpr std::size_t max_verified_chains = 256;
  mutable std::mutex verified_mutex;
  mutable std::unordered_map<std::string, Window> verified_chains;
};

}  // namespace provmark

namespace provmark::c2pa {

/// The certificates of a COSE x5chain (end-entity first), or of a time-stamp token.
using CertificateChain = std::vector<crypto::X509Ptr>;

/// Decodes DER certificates, reusing those decoded before (a signer's chain repeats from file to file).
/// @throws Error(malformed_input) for an empty list or a corrupt certificate.
CertificateChain decode_chain(const std::vector<std::vector<std::uint8_t>>& chain_der);

/// The outcome, field by field, and the C2PA status codes that follow from it.
struct CertificateCheck {
  bool profile_valid = false;    ///< the end-entity meets the C2PA certificate profile
  bool inside_validity = false;  ///< every certificate of the chain is valid at the given time
  bool trusted = false;          ///< the chain leads to one of the anchors (checked at the given time)
  /// As c2pa-rs reports them: "signingCredential.invalid" (profile), else "signingCredential.expired",
  /// else "signingCredential.trusted" or "signingCredential.untrusted". Exactly one code.
  std::vector<std::string> status_codes;
  std::string explanation;  ///< the first rule broken or the chain error, empty when trusted
};

/// Checks `chain` (end-entity first, then intermediates; from the COSE x5chain) at time `at` (now, or the
/// genTime of a trusted time-stamp). `anchors` may be null or empty: then the signer is untrusted at best.
CertificateCheck check_certificate_chain(const CertificateChain& chain, const TrustAnchors* anchors,
                                         std::chrono::system_clock::time_point at);

/// check_certificate_chain on DER certificates; one that does not parse makes the credential invalid.
/// For tests and one-off checks: a validation decodes once and calls the overload above.
CertificateCheck check_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                         const TrustAnchors* anchors, std::chrono::system_clock::time_point at);

/// Empty when the time-stamp authority `tsa` is trusted at `at`: it meets the C2PA end-entity profile with
/// timeStamping as its only EKU (c2pa-rs checks TSAs with that profile) and chains, through any of `others`
/// (the token's other certificates), to one of `anchors`. Otherwise the first problem found.
std::string time_stamp_authority_problem(X509* tsa, const std::vector<X509*>& others, const TrustAnchors* anchors,
                                         std::chrono::system_clock::time_point at);

/// The text of a subject attribute of `cert` (NID_organizationName, NID_commonName, ...), or empty.
std::string certificate_subject(X509* cert, int nid);

/// True when `cert` is valid at `at` (notBefore <= at < notAfter).
bool certificate_valid_at(const X509* cert, std::chrono::system_clock::time_point at);

}  // namespace provmark::c2pa
