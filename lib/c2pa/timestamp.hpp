// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// RFC 3161 time-stamps on C2PA claim signatures (C2PA 2.2 §10.3.2.5, §15.8; brief §4.3), checked the way
/// c2pa-rs 0.91 checks them (crypto/time_stamp/verify.rs, crypto/cose/sigtst.rs) and with its status codes:
/// - timeStamp.validated (success): the token's signature, its TSA certificate's validity at genTime and the
///   message imprint check out;
/// - timeStamp.trusted (success): also the TSA meets the certificate profile with the timeStamping EKU and
///   chains to a trust anchor (claim v2; c2pa-rs trusts any TSA for claim v1). Only then does genTime replace
///   the clock for the signer's certificate;
/// - informational, the time-stamp then being ignored: timeStamp.malformed (cannot be read, or more than one
///   token), .mismatch (imprint or signed digest differs), .outsideValidity (TSA certificate not valid at
///   genTime), .untrusted (bad TSA signature, no certificates, unknown imprint hash, or not trusted).
/// The token is read with OpenSSL's TS and PKCS7 APIs.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "c2pa/certificates.hpp"
#include "c2pa/cose.hpp"
#include "crypto/openssl.hpp"
#include "provmark/inspect.hpp"

namespace provmark::c2pa {

/// The bytes a token's message imprint is the hash of: CBOR ["CounterSignature", protected, h'', payload],
/// where payload is the claim bytes (v1) or the CBOR byte string holding the COSE signature (v2)
/// (C2PA 2.2 §10.3.2.5.2-3; c2pa-rs cose_countersign_data).
std::vector<std::uint8_t> time_stamp_message(TimeStampVersion version, std::span<const std::uint8_t> protected_header,
                                             std::span<const std::uint8_t> claim_bytes,
                                             std::span<const std::uint8_t> signature);

/// The DER TimeStampToken of a granted TimeStampResp, or `der` itself when it already is a token (what a
/// TimeStamper may return; sigTst2 stores the token only). @throws Error(malformed_input) for anything else.
std::vector<std::uint8_t> time_stamp_token(std::span<const std::uint8_t> der);

struct TimeStampStatus {
  std::string_view code;  ///< one of status::time_stamp_*
  bool success = false;   ///< success list, else informational
  std::string explanation;
};

/// What a token says before its TSA's trust is judged (that needs the anchors, see trust_time_stamp).
struct TimeStampCheck {
  /// genTime, set when the token is validated: its last status is then timeStamp.validated.
  std::optional<std::chrono::system_clock::time_point> time;
  std::vector<TimeStampStatus> statuses;  ///< in the order c2pa-rs logs them
  std::string tsa_name;                   ///< CN of the TSA certificate, once found
  crypto::X509Ptr tsa;                    ///< the TSA certificate of a validated token
  CertificateChain others;                ///< the token's other certificates (the TSA's chain, maybe)
};

/// Checks one token: a DER TimeStampToken (sigTst2), or a whole TimeStampResp (sigTst stored those; c2pa-rs
/// accepts either in both headers) whose imprint must be the hash of `message`. Never throws for hostile bytes.
TimeStampCheck check_time_stamp(std::span<const std::uint8_t> token, std::span<const std::uint8_t> message);

/// The time-stamp header of a parsed signature over `claim_bytes`: no header, or one of the wrong shape, gives an
/// empty check; more than one token gives timeStamp.malformed (C2PA 2.2 §10.3.2.5.4 allows one); otherwise
/// check_time_stamp on the token.
TimeStampCheck check_signature_time_stamp(const CoseSign1& cose, std::span<const std::uint8_t> claim_bytes);

struct TimeStampTrust {
  bool trusted = false;  ///< genTime may stand in for the clock when judging the signer's certificate
  TimeStampStatus status;
};

/// Judges the TSA of a validated token (check.time set): timeStamp.trusted when it meets the certificate profile
/// with the timeStamping EKU and chains to `anchors` (may be null) at genTime, else timeStamp.untrusted. Without
/// `check_trust` it is trusted as it is, as c2pa-rs 0.91 does for claim v1 ("legacy" time-stamps).
TimeStampTrust trust_time_stamp(const TimeStampCheck& check, const TrustAnchors* anchors, bool check_trust);

/// `at` as c2pa-rs prints times (chrono's RFC 3339): "2024-08-06T21:53:37+00:00".
std::string rfc3339(std::chrono::system_clock::time_point at);

}  // namespace provmark::c2pa
