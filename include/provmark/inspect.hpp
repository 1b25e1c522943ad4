// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Reading and validating C2PA manifest stores the way c2pa-rs does, with the same status codes
/// (C2PA 2.2 §15; shared/design/c2pa.md §9). Validates the active manifest (claim, hashed URIs, claim
/// signature, signer certificate chain, the c2pa.hash.data hard binding of the manifest that binds the asset)
/// and, recursively, the manifests its ingredients name (their hashed URIs and claim signatures, not their hard
/// bindings), reporting ingredient results as c2pa-rs does: as deltas against what each ingredient assertion
/// recorded. Timestamps and OCSP are not validated (OCSP is reported as skipped, as c2pa-rs does offline).

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
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
  struct SoftBinding {
    std::string alg;
    std::vector<std::uint8_t> value;
  };
  std::vector<SoftBinding> soft_bindings;
  std::vector<IngredientSummary> ingredients;  ///< in assertion store order
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

  /// Shaped like c2pa-rs's Reader JSON: "active_manifest", "manifests": {label: {..., "ingredients": [...]}},
  /// "validation_state": "Invalid"|"Valid"|"Trusted",
  /// "validation_results": {"activeManifest": {...}, "ingredientDeltas": [...] (when there are any)}.
  [[nodiscard]] std::string to_json() const;
};

/// "Invalid", "Valid" or "Trusted".
[[nodiscard]] const char* validation_state_name(ValidationState state) noexcept;

struct InspectOptions {
  std::string trust_anchors_pem;  ///< PEM bundle text; empty: nobody is trusted
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();  ///< when certificates must be valid
  Limits limits{};
};

/// Validates the manifest store embedded in JPEG or PNG bytes. No manifest is an answer (has_manifest = false),
/// not an error; a store that cannot be parsed gives an Invalid report.
/// @throws Error(unsupported_format) for other formats, Error(malformed_input) when the container cannot be
///         read (truncated, two stores), Error(limit_exceeded), Error(malformed_input) for a bad trust bundle.
[[nodiscard]] ManifestReport inspect(std::span<const std::uint8_t> asset, const InspectOptions& options = {});

/// Validates a sidecar `.c2pa` store (the store bytes themselves) for `asset` (any bytes; hashed whole).
[[nodiscard]] ManifestReport inspect_sidecar(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                                             const InspectOptions& options = {});

}  // namespace provmark
