// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// COSE_Sign1 as C2PA uses it for claim signatures (RFC 9052; C2PA 2.2 §13.2, brief §4.1-4.2):
/// tag 18, protected header {1: alg, 33: x5chain}, unprotected {"pad": zeros}, detached (null) payload,
/// signature over CBOR ["Signature1", protected, h'', claim bytes]. Reading also picks up the RFC 3161
/// time-stamp header (sigTst / sigTst2, C2PA 2.2 §10.3.2.5), which timestamp.hpp checks.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "provmark/signer.hpp"

namespace provmark::c2pa {

/// COSE algorithm numbers.
inline constexpr int cose_es256 = -7;
inline constexpr int cose_es384 = -35;
inline constexpr int cose_ps256 = -37;
inline constexpr int cose_eddsa = -8;

/// The COSE algorithm number of `alg`.
int cose_alg(SigningAlg alg) noexcept;

/// A COSE algorithm number as c2pa-rs's SigningAlg prints it ("Es256", "Ps256", "Ed25519", ...).
std::string cose_alg_name(int cose);

/// Asks a time-stamp authority for an RFC 3161 time-stamp over `message` (hash it with SHA-256 into the
/// TimeStampReq's messageImprint and set certReq): returns the DER TimeStampResp, or just its TimeStampToken.
using TimeStamper = std::function<std::vector<std::uint8_t>(std::span<const std::uint8_t> message)>;

/// Signs `claim_bytes` (the exact claim CBOR) and returns a tagged COSE_Sign1 of exactly `reserve` bytes,
/// padded with "pad" (and "pad2" when one bstr cannot hit the size). With a `time_stamper`, or else when the
/// signer time-stamps (Signer::with_time_stamps), the signature is time-stamped into a "sigTst2" header (C2PA 2.2
/// §10.3.2.5; reserve about 10000 bytes more for it, as c2pa-rs and Signer::reserve_size do).
/// @throws Error(invalid_argument) when the signature does not fit in `reserve`; Error(crypto) from the signer;
///         Error(malformed_input) when the time-stamper's answer is not a granted time-stamp, Error(crypto) when its
///         token does not verify over the signature; what the signer's time-stamp authority throws.
std::vector<std::uint8_t> sign_claim(std::span<const std::uint8_t> claim_bytes, const Signer& signer,
                                     std::size_t reserve, const TimeStamper& time_stamper = {});

/// Well-formed CBOR of exactly `reserve` bytes to hold the place of the signature before signing: a tagged
/// COSE_Sign1 with an empty protected header, a "pad" of zeros and an empty signature (C2PA 2.2 §10.4.2).
/// @throws Error(invalid_argument) when `reserve` is below 11 bytes.
std::vector<std::uint8_t> placeholder_signature(std::size_t reserve);

/// Which time-stamp header a signature carries (C2PA 2.2 §10.3.2.5).
enum class TimeStampVersion {
  v1,  ///< "sigTst" (legacy): a TimeStampResp whose imprint covers the claim bytes
  v2,  ///< "sigTst2": a TimeStampToken whose imprint covers the signature ("CTT" model)
};

/// The value of a sigTst / sigTst2 header: {"tstTokens": [{"val": bstr}, ...]}.
struct TimeStampHeader {
  TimeStampVersion version = TimeStampVersion::v2;
  /// Each token's DER as stored; nullopt when the value does not have that shape (c2pa-rs then ignores the
  /// header without a status code).
  std::optional<std::vector<std::vector<std::uint8_t>>> tokens;
};

struct CoseSign1 {
  int alg = 0;                                   ///< COSE number from the protected header
  std::vector<std::uint8_t> protected_header;    ///< the serialized protected map (bstr contents)
  std::vector<std::vector<std::uint8_t>> x5chain;  ///< DER, end-entity first
  std::vector<std::uint8_t> signature;           ///< raw signature (ECDSA r||s)
  /// The first of "sigTst2" or "sigTst" in the unprotected header, as c2pa-rs picks it.
  std::optional<TimeStampHeader> time_stamp;
};

/// Parses a tagged COSE_Sign1 with a null payload. x5chain may be int 33 or "x5chain" in the protected
/// bucket, or "x5chain" in the unprotected bucket (legacy), but not in both.
/// Indefinite-length items are rejected. @throws Error(malformed_input) for anything else (a time-stamp
/// header of the wrong shape is not an error, see TimeStampHeader).
CoseSign1 parse_cose_sign1(std::span<const std::uint8_t> bytes);

/// True when `cose.signature` is a valid signature of `claim_bytes` by the end-entity certificate's key
/// under `cose.alg`. Says nothing about the certificate itself (see certificates.hpp).
/// @throws Error(unsupported_format) for an algorithm provmark does not verify (ES512, PS384, ...),
///         Error(malformed_input) for a corrupt end-entity certificate.
bool verify_cose_sign1(const CoseSign1& cose, std::span<const std::uint8_t> claim_bytes);

/// The same with the end-entity certificate already decoded (a validation decodes each certificate once).
/// @throws Error(unsupported_format) as above, Error(malformed_input) when `signer` has no usable public key.
bool verify_cose_sign1(const CoseSign1& cose, X509* signer, std::span<const std::uint8_t> claim_bytes);

}  // namespace provmark::c2pa
