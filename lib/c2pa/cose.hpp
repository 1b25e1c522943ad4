// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// COSE_Sign1 as C2PA uses it for claim signatures (RFC 9052; C2PA 2.2 §13.2, brief §4.1-4.2):
/// tag 18, protected header {1: alg, 33: x5chain}, unprotected {"pad": zeros}, detached (null) payload,
/// signature over CBOR ["Signature1", protected, h'', claim bytes].

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "provmark/signer.hpp"

namespace provmark::c2pa {

/// COSE algorithm numbers.
inline constexpr int cose_es256 = -7;
inline constexpr int cose_es384 = -35;
inline constexpr int cose_ps256 = -37;
inline constexpr int cose_eddsa = -8;

/// The COSE algorithm number of `alg`.
int cose_alg(SigningAlg alg) noexcept;

/// Signs `claim_bytes` (the exact claim CBOR) and returns a tagged COSE_Sign1 of exactly `reserve` bytes,
/// padded with "pad" (and "pad2" when one bstr cannot hit the size).
/// @throws Error(invalid_argument) when the signature does not fit in `reserve`; Error(crypto) from the signer.
std::vector<std::uint8_t> sign_claim(std::span<const std::uint8_t> claim_bytes, const Signer& signer,
                                     std::size_t reserve);

/// Well-formed CBOR of exactly `reserve` bytes to hold the place of the signature before signing: a tagged
/// COSE_Sign1 with an empty protected header, a "pad" of zeros and an empty signature (C2PA 2.2 §10.4.2).
/// @throws Error(invalid_argument) when `reserve` is below 11 bytes.
std::vector<std::uint8_t> placeholder_signature(std::size_t reserve);

struct CoseSign1 {
  int alg = 0;                                   ///< COSE number from the protected header
  std::vector<std::uint8_t> protected_header;    ///< the serialized protected map (bstr contents)
  std::vector<std::vector<std::uint8_t>> x5chain;  ///< DER, end-entity first
  std::vector<std::uint8_t> signature;           ///< raw signature (ECDSA r||s)
};

/// Parses a tagged COSE_Sign1 with a null payload. x5chain may be int 33 or "x5chain" in the protected
/// bucket, or "x5chain" in the unprotected bucket (legacy), but not in both.
/// Indefinite-length items are rejected. @throws Error(malformed_input) for anything else.
CoseSign1 parse_cose_sign1(std::span<const std::uint8_t> bytes);

/// True when `cose.signature` is a valid signature of `claim_bytes` by the end-entity certificate's key
/// under `cose.alg`. Says nothing about the certificate itself (see certificates.hpp).
/// @throws Error(unsupported_format) for an algorithm provmark does not verify (ES512, PS384, ...),
///         Error(malformed_input) for a corrupt end-entity certificate.
bool verify_cose_sign1(const CoseSign1& cose, std::span<const std::uint8_t> claim_bytes);

}  // namespace provmark::c2pa
