// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// CAWG identity assertions (`cawg.identity`, CAWG Identity Assertion 1.x) signed with an X.509 credential
/// (sig_type `cawg.x509.cose`), checked the way c2pa-rs 0.91 checks them after the C2PA validation, with its
/// status codes. The assertion is the CBOR map {signer_payload: {referenced_assertions: [hashed URIs], sig_type,
/// ?role}, signature: bstr, pad1: bstr, ?pad2: bstr}; for X.509 the signature is a COSE_Sign1 (detached payload)
/// over the signer_payload's CBOR bytes as stored.
///
/// The checks, in order: the CBOR (cawg.identity.cbor.invalid), zero padding (cawg.identity.pad.invalid), each
/// referenced assertion listed in the claim with the same hash (cawg.identity.assertion.mismatch), a hard binding
/// among them (cawg.identity.hard_binding_missing), no assertion referenced twice (cawg.identity.assertion.duplicate),
/// the sig_type (cawg.identity.sig_type.unknown), then the credential against the identity trust anchors (kept
/// apart from the claim signers' anchors, as c2pa-rs's cawg_trust settings are) and the signature, as the claim
/// signature is checked but under c2pa-rs's CAWG names: cawg.x509.credential.trusted / .untrusted / .invalid,
/// cawg.x509.signature.outside_validity, cawg.x509.algorithm.unsupported, cawg.x509.signature.mismatch or
/// cawg.x509.signature.validated; last cawg.identity.trusted (credential trusted) or cawg.identity.well-formed.
/// A failure here is the identity's, not the manifest's: the manifest stays Valid (not Trusted).

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/inspect.hpp"

namespace provmark::c2pa {

namespace cawg_status {
inline constexpr std::string_view well_formed = "cawg.identity.well-formed";
inline constexpr std::string_view trusted = "cawg.identity.trusted";
inline constexpr std::string_view cbor_invalid = "cawg.identity.cbor.invalid";
inline constexpr std::string_view pad_invalid = "cawg.identity.pad.invalid";
inline constexpr std::string_view assertion_mismatch = "cawg.identity.assertion.mismatch";
inline constexpr std::string_view hard_binding_missing = "cawg.identity.hard_binding_missing";
inline constexpr std::string_view assertion_duplicate = "cawg.identity.assertion.duplicate";
inline constexpr std::string_view sig_type_unknown = "cawg.identity.sig_type.unknown";
inline constexpr std::string_view signature_validated = "cawg.x509.signature.validated";
inline constexpr std::string_view signature_mismatch = "cawg.x509.signature.mismatch";
inline constexpr std::string_view signature_outside_validity = "cawg.x509.signature.outside_validity";
inline constexpr std::string_view credential_trusted = "cawg.x509.credential.trusted";
inline constexpr std::string_view credential_untrusted = "cawg.x509.credential.untrusted";
inline constexpr std::string_view credential_invalid = "cawg.x509.credential.invalid";
inline constexpr std::string_view algorithm_unsupported = "cawg.x509.algorithm.unsupported";
}  // namespace cawg_status

/// sig_type of an X.509 credential with a COSE signature (CAWG identity §8.2).
inline constexpr std::string_view cawg_x509_sig_type = "cawg.x509.cose";

/// True for the labels c2pa-rs reads as identity assertions (`cawg.identity`, `cawg.identity__1`, ...).
bool is_identity_assertion(std::string_view label);

/// A hashed URI of the claim (created_assertions, gathered_assertions or v1 assertions), as written there.
struct ClaimReference {
  std::string url;
  std::vector<std::uint8_t> hash;
};

struct IdentityStatus {
  enum class Kind { success, informational, failure } kind = Kind::failure;
  std::string_view code;
  std::string explanation;
};

struct IdentityCheck {
  std::vector<IdentityStatus> statuses;  ///< in the order c2pa-rs logs them
  IdentitySummary summary;               ///< what could be read (label left to the caller)
};

/// Checks one identity assertion's CBOR `bytes` against the claim's hashed URIs. `anchors` (may be null) are the
/// identity trust anchors; `at` is when the credential must be valid. Never throws for hostile bytes.
IdentityCheck check_identity_assertion(std::span<const std::uint8_t> bytes,
                                       const std::vector<ClaimReference>& claim_references, const TrustAnchors* anchors,
                                       std::chrono::system_clock::time_point at);

}  // namespace provmark::c2pa
