// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Signer certificate checks for C2PA claim signatures (C2PA 2.2 §14.5.1; brief §5.1-5.2): the certificate
/// profile of the end-entity, its validity at a given time and its chain to a set of trust anchors.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace provmark::c2pa {

/// Certificates a signer must chain to (the C2PA trust list, or your own PEM bundle).
struct TrustAnchors {
  std::vector<std::vector<std::uint8_t>> certificates_der;

  /// All certificates of a PEM bundle (text outside PEM blocks is ignored).
  /// @throws Error(malformed_input) for no certificate or a corrupt one.
  static TrustAnchors from_pem(std::string_view pem_bundle);
  /// @throws Error(io) as well.
  static TrustAnchors from_pem_file(const std::filesystem::path& path);
};

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

/// Checks `chain_der` (end-entity first, then intermediates; from the COSE x5chain) at time `at` (now, or
/// the genTime of a trusted timestamp). `anchors` may be null: then the signer is untrusted at best.
/// A certificate that does not parse makes the credential invalid; this never throws for bad certificates.
CertificateCheck check_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                         const TrustAnchors* anchors, std::chrono::system_clock::time_point at);

}  // namespace provmark::c2pa
