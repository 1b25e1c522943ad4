// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Reading and validating C2PA manifest stores the way c2pa-rs does, with the same status codes
/// (C2PA 2.2 §15; shared/design/c2pa.md §9). Validates the active manifest (claim, hashed URIs, claim
/// signature with its RFC 3161 time-stamp, signer certificate chain, the c2pa.hash.data hard binding of the
/// manifest that binds the asset) and, recursively, the manifests its ingredients name (their hashed URIs and
/// claim signatures with their own time-stamps, not their hard bindings), reporting ingredient results as c2pa-rs
/// does: as deltas against what each ingredient assertion recorded. CAWG identity assertions of the active manifest
/// signed with X.509 credentials are checked too, with c2pa-rs's `cawg.*` codes; their failures concern the identity
/// only, so the manifest stays Valid (but not Trusted). OCSP is not checked (reported as skipped, as c2pa-rs does
/// offline).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/limits.hpp"

namespace provmark {

enum class ValidationState { invalid, valid, trusted };

/// One status entry: a C2PA code, the JUMBF URI of the box concerned, and why.
struct ValidationStatus {
  std::string code;
  std::string url;
  std::string explanation;
};

/// One ingredient assertion of a manifest (`c2pa.ingredient`, `.v2`, `.v3`), as c2pa-rs's Reader lists it.
struct IngredientSummary {
  std::string label;            ///< the assertion's label, e.g. "c2pa.ingredient.v3"
  std::string title;            ///< dc:title
  std::string format;           ///< dc:format
  std::string relationship;     ///< "parentOf", "componentOf" or "inputTo"
  std::string active_manifest;  ///< label of the ingredient's manifest (activeManifest / c2pa_manifest); empty
                                ///< for an ingredient without provenance
  /// The validation results the ingredient assertion recorded when it was made (validationResults.activeManifest,
  /// or the legacy validationStatus list sorted by kind). What this validator finds now is in ingredient_deltas.
  std::vector<ValidationStatus> success, informational, failure;
};

/// A CAWG identity assertion (`cawg.identity`) of the active manifest: who vouches for which assertions.
/// Its checks are reported with the manifest's statuses (`cawg.identity.*`, `cawg.x509.*`, as c2pa-rs names them).
struct IdentitySummary {
  std::string label;                               ///< e.g. "cawg.identity"
  std::string sig_type;                            ///< "cawg.x509.cose" (the one provmark checks), or another
  std::vector<std::string> roles;                  ///< signer_payload.role
  std::vector<std::string> referenced_assertions;  ///< the hashed URIs' urls
  std::string signature_alg;                       ///< of the X.509 credential's COSE signature, e.g. "Ed25519"
  std::string signature_issuer;                    ///< O= of the credential's subject
  std::string signature_common_name;               ///< CN= of the credential's subject
};

/// What one manifest of the store says.
struct ManifestSummary {
  std::string label;
  int claim_version = 0;
  std::string claim_generator;
  std::vector<std::string> assertions;  ///< assertion labels in the assertion store, in order
  std::string digital_source_type;      ///< of the first action that has one
  std::vector<std::string> actions;     ///< action names, in order
  std::string signature_alg;            ///< as c2pa-rs prints it: "Es256", "Ps256", "Ed25519", ...
  std::string signature_issuer;         ///< O= of the signer certificate's subject
  std::string signature_common_name;    ///< CN= of the signer certificate's subject
  /// When the claim signature's RFC 3161 time-stamp verifies (whichever TSA made it): its genTime as c2pa-rs
  /// prints signature_info.time, e.g. "2024-08-06T21:53:37+00:00". Empty otherwise.
  std::string signature_time;
  struct SoftBinding {
    std::string alg;
    std::vector<std::uint8_t> value;
  };
  std::vector<SoftBinding> soft_bindings;
  std::vector<IngredientSummary> ingredients;  ///< in assertion store order
  std::vector<IdentitySummary> identities;     ///< CAWG identity assertions (active manifest only), in order
};

/// Results for one ingredient assertion that differ from what it recorded (C2PA 2.2 §15.11, c2pa-rs
/// `ingredientDeltas`): e.g. "ingredient.manifest.validated", or "signingCredential.trusted" for an ingredient
/// signed by a signer that was not trusted when the ingredient was added.
struct IngredientDelta {
  std::string ingredient_assertion_uri;  ///< self#jumbf=/c2pa/<manifest>/c2pa.assertions/<ingredient label>
  std::vector<ValidationStatus> success, informational, failure;
};

struct ManifestReport {
  bool has_manifest = false;
  ValidationState state = ValidationState::invalid;
  std::string active_manifest;
  std::vector<ManifestSummary> manifests;  ///< in store order; the active one is last
  std::vector<ValidationStatus> success, informational, failure;  ///< of the active manifest
  std::vector<IngredientDelta> ingredient_deltas;  ///< a failure here (other than an untrusted signer) is Invalid

  /// Shaped like c2pa-rs's Reader JSON: "active_manifest", "manifests": {label: {..., "ingredients": [...],
  /// "identity_assertions": [{label, signer_payload: {sig_type, referenced_assertions: [{url}], ?role},
  /// ?signature_info: {alg, issuer, common_name}}] (when there are any)}},
  /// "validation_state": "Invalid"|"Valid"|"Trusted",
  /// "validation_results": {"activeManifest": {...}, "ingredientDeltas": [...] (when there are any)}.
  [[nodiscard]] std::string to_json() const;
};

/// "Invalid", "Valid" or "Trusted".
[[nodiscard]] const char* validation_state_name(ValidationState state) noexcept;

/// Certificates that signers and time-stamp authorities must chain to: the C2PA trust list, or your own bundle.
/// Parse them once and reuse the object for every inspect call: it also remembers the chains it found trusted,
/// which makes later calls cheaper. Copies share the same anchors; safe to use from several threads at once.
class TrustAnchors {
 public:
  TrustAnchors() = default;  ///< no anchors: nobody is trusted
  /// All certificates of a PEM bundle (text outside PEM blocks is ignored).
  /// @throws Error(malformed_input) for no certificate or a corrupt one.
  static TrustAnchors from_pem(std::string_view pem_bundle);
  /// from_pem on a file's contents. @throws Error(io) when it cannot be read.
  static TrustAnchors from_pem_file(const std::filesystem::path& path);

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  struct State;  ///< the decoded certificates (OpenSSL); for the library's own use
  [[nodiscard]] const State* state() const noexcept { return state_.get(); }

 private:
  std::shared_ptr<const State> state_;
};

struct InspectOptions {
  TrustAnchors trust_anchors{};     ///< parsed once by the caller: the fast way to give anchors
  std::string trust_anchors_pem{};  ///< or PEM bundle text, parsed on every call; both empty: nobody is trusted
  /// Anchors for CAWG identity credentials (X.509), kept apart from the claim signers' anchors as c2pa-rs's
  /// cawg_trust settings are; empty: every identity is cawg.x509.credential.untrusted.
  TrustAnchors identity_trust_anchors{};
  /// When certificates must be valid, unless the signature has a trusted time-stamp: then at its genTime (for
  /// each claim signature on its own, the active manifest's and each ingredient manifest's).
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
  Limits limits{};
};

/// Validates the manifest store embedded in JPEG or PNG bytes. No manifest is an answer (has_manifest = false),
/// not an error; a store that cannot be parsed gives an Invalid report.
/// @throws Error(unsupported_format) for other formats, Error(malformed_input) when the container cannot be
///         read (truncated, two stores), Error(limit_exceeded), Error(malformed_input) for a bad trust bundle,
///         Error(invalid_argument) when both trust_anchors and trust_anchors_pem are given.
[[nodiscard]] ManifestReport inspect(std::span<const std::uint8_t> asset, const InspectOptions& options = {});

/// Validates a sidecar `.c2pa` store (the store bytes themselves) for `asset` (any bytes; hashed whole).
[[nodiscard]] ManifestReport inspect_sidecar(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                                             const InspectOptions& options = {});

}  // namespace provmark
