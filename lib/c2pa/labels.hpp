// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Every C2PA wire constant in one place: JUMBF type UUIDs, box types, box and assertion labels, and the
/// validation status codes. Section numbers refer to the C2PA Technical Specification 2.2 ("S") and to
/// shared/design/c2pa.md ("brief").

#include <array>
#include <cstdint>
#include <string_view>

namespace provmark::c2pa {

using Uuid = std::array<std::uint8_t, 16>;
using FourCC = std::array<char, 4>;

/// The C2PA UUID form `XXXXXXXX-0011-0010-8000-00AA00389B71`, XXXXXXXX = the ASCII 4CC (S §11.1.4, brief §2.2).
consteval Uuid c2pa_uuid(const char (&fourcc)[5]) {
  return {static_cast<std::uint8_t>(fourcc[0]), static_cast<std::uint8_t>(fourcc[1]),
          static_cast<std::uint8_t>(fourcc[2]), static_cast<std::uint8_t>(fourcc[3]),
          0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
}

/// A box type code from its 4 ASCII characters.
consteval FourCC fourcc(const char (&code)[5]) { return {code[0], code[1], code[2], code[3]}; }

/// JUMBF superbox type UUIDs, the first field of a `jumd` (brief §2.2).
namespace uuids {
inline constexpr Uuid store = c2pa_uuid("c2pa");                ///< manifest store (S §11.1.4.1)
inline constexpr Uuid manifest = c2pa_uuid("c2ma");             ///< standard manifest (S §11.2.2)
inline constexpr Uuid update_manifest = c2pa_uuid("c2um");      ///< update manifest (S §11.2.3)
inline constexpr Uuid compressed_manifest = c2pa_uuid("c2cm");  ///< Brotli-compressed manifest (S §11.2.4)
inline constexpr Uuid legacy_manifest = c2pa_uuid("c2md");      ///< pre-2.0 standard manifest, read only (S §11.2)
inline constexpr Uuid assertion_store = c2pa_uuid("c2as");      ///< assertion store (S §11.1.4.2)
inline constexpr Uuid claim = c2pa_uuid("c2cl");                ///< claim (S §11.1.4.3)
inline constexpr Uuid signature = c2pa_uuid("c2cs");            ///< claim signature (S §11.1.4.4)
inline constexpr Uuid databoxes = c2pa_uuid("c2db");            ///< legacy data box store (S §11.1.4.2)
inline constexpr Uuid credentials = c2pa_uuid("c2vc");          ///< legacy verifiable-credential store (S §11.1.4.2)
inline constexpr Uuid cbor = c2pa_uuid("cbor");                 ///< assertion holding one `cbor` box (S §11.1.4.5)
inline constexpr Uuid json = c2pa_uuid("json");                 ///< assertion holding one `json` box (S §11.1.4.5)
inline constexpr Uuid uuid = c2pa_uuid("uuid");                 ///< assertion holding one `uuid` box (S §11.1.4.5)
/// Embedded-file superbox (`bfdb` + `bidb`): thumbnails, icons, embedded data (S §18.12.2, brief §2.2).
inline constexpr Uuid embedded_file = {0x40, 0xCB, 0x0C, 0x32, 0xBB, 0x8A, 0x48, 0x9D,
                                       0xA7, 0x0B, 0x2A, 0xD6, 0xF4, 0x7F, 0x43, 0x69};
/// Redacted-assertion marker, the data of a zero-filled `uuid` content box (S §6.8, brief §2.2).
inline constexpr Uuid redaction = {0xCA, 0xA9, 0x8E, 0xEE, 0x9D, 0x4D, 0xF8, 0x0E,
                                   0x86, 0xAD, 0x4D, 0xFF, 0xCA, 0x26, 0x39, 0x73};
}  // namespace uuids

/// Box types (TBox) used inside a C2PA manifest store (ISO 19566-5; S §11.1.4; brief §2.1, §2.3).
namespace box_type {
inline constexpr FourCC superbox = fourcc("jumb");     ///< JUMBF superbox (ISO 19566-5 §A.2)
inline constexpr FourCC description = fourcc("jumd");  ///< JUMBF description box, first child (ISO 19566-5 §A.3)
inline constexpr FourCC cbor = fourcc("cbor");         ///< CBOR content box (S §11.1.4.5)
inline constexpr FourCC json = fourcc("json");         ///< JSON content box (S §11.1.4.5)
inline constexpr FourCC uuid = fourcc("uuid");         ///< UUID content box: 16-byte UUID then data (S §11.1.4.5)
inline constexpr FourCC embedded_description = fourcc("bfdb");  ///< embedded file description (S §18.12.2)
inline constexpr FourCC embedded_data = fourcc("bidb");         ///< embedded file bytes (S §18.12.2)
inline constexpr FourCC salt = fourcc("c2sh");                  ///< salt private box inside a `jumd` (S §8.4.2.3)
inline constexpr FourCC brotli = fourcc("brob");                ///< Brotli content of a compressed manifest (S §11.2.4)
inline constexpr FourCC padding = fourcc("free");               ///< padding box (ISO 19566-5)
}  // namespace box_type

/// `jumd` toggles (S §11.1.4.1; brief §2.1): C2PA requires requestable + label; the rest mark optional fields.
namespace toggle {
inline constexpr std::uint8_t requestable = 0x01;  ///< bit 0
inline constexpr std::uint8_t label = 0x02;        ///< bit 1: NUL-terminated label follows
inline constexpr std::uint8_t id = 0x04;           ///< bit 2: u32 ID follows
inline constexpr std::uint8_t signature = 0x08;    ///< bit 3: 32-byte SHA-256 follows
inline constexpr std::uint8_t private_box = 0x10;  ///< bit 4: private box (C2PA: the `c2sh` salt) follows
}  // namespace toggle

/// Labels of the fixed superboxes of a store (S §11.1.4; brief §2.2, §2.6).
namespace box_label {
inline constexpr std::string_view store = "c2pa";                   ///< manifest store (S §11.1.4.1)
inline constexpr std::string_view assertions = "c2pa.assertions";   ///< assertion store (S §11.1.4.2)
inline constexpr std::string_view claim_v2 = "c2pa.claim.v2";       ///< claim v2 (S §10.1)
inline constexpr std::string_view claim_v1 = "c2pa.claim";          ///< claim v1, read only (S §10.1)
inline constexpr std::string_view signature = "c2pa.signature";     ///< claim signature (S §11.1.4.4)
inline constexpr std::string_view credentials = "c2pa.credentials";  ///< legacy credential store (S §11.1.4.2)
inline constexpr std::string_view databoxes = "c2pa.databoxes";     ///< legacy data box store (S §11.1.4.2)
}  // namespace box_label

/// JUMBF URI prefixes (S §8.4.2.1; brief §2.4).
namespace uri {
inline constexpr std::string_view self_prefix = "self#jumbf=";  ///< every C2PA JUMBF URI starts with it
inline constexpr std::string_view manifest_urn_prefix = "urn:c2pa:";  ///< v2 manifest labels (S §8.1)
inline constexpr std::string_view instance_separator = "__";    ///< `label__1` for repeated labels (S §6.4)
}  // namespace uri

/// Assertion labels provmark writes or reads (S §18; brief §6).
namespace assertion {
inline constexpr std::string_view actions_v2 = "c2pa.actions.v2";       ///< actions (S §18.14)
inline constexpr std::string_view actions_v1 = "c2pa.actions";          ///< actions v1, read only (S §18.14)
inline constexpr std::string_view hash_data = "c2pa.hash.data";         ///< byte-range hard binding (S §18.5)
inline constexpr std::string_view hash_boxes = "c2pa.hash.boxes";       ///< general box hash (S §18.7)
inline constexpr std::string_view hash_collection = "c2pa.hash.collection.data";  ///< multi-asset hash (S §18.8)
inline constexpr std::string_view hash_bmff_v3 = "c2pa.hash.bmff.v3";   ///< BMFF hard binding (S §18.6)
inline constexpr std::string_view hash_bmff_v1 = "c2pa.hash.bmff";      ///< 1.x BMFF binding, no box offsets
inline constexpr std::string_view hash_bmff_v2 = "c2pa.hash.bmff.v2";   ///< deprecated, still validated (S §18.6.1)
inline constexpr std::string_view soft_binding = "c2pa.soft-binding";   ///< watermark link (S §18.10)
inline constexpr std::string_view ingredient_v3 = "c2pa.ingredient.v3";  ///< ingredient (S §18.15)
inline constexpr std::string_view thumbnail_claim = "c2pa.thumbnail.claim";  ///< claim thumbnail (S §18.13)
inline constexpr std::string_view thumbnail_ingredient = "c2pa.thumbnail.ingredient";  ///< (S §18.13)
inline constexpr std::string_view icon = "c2pa.icon";                   ///< generator icon (S §10.2.3)
inline constexpr std::string_view embedded_data = "c2pa.embedded-data";  ///< embedded data (S §18.12)
inline constexpr std::string_view metadata = "c2pa.metadata";           ///< JSON-LD, Appendix B fields (S §18.16)
inline constexpr std::string_view cawg_metadata = "cawg.metadata";      ///< CAWG JSON-LD metadata (brief §6.8)
inline constexpr std::string_view time_stamp = "c2pa.time-stamp";       ///< timestamps per manifest (S §18.17)
inline constexpr std::string_view certificate_status = "c2pa.certificate-status";  ///< OCSP (S §18.18)
inline constexpr std::string_view cloud_data = "c2pa.cloud-data";       ///< remote assertion (S §18.11)
}  // namespace assertion

/// Action names and values (S §18.14; brief §6.1).
namespace action {
inline constexpr std::string_view created = "c2pa.created";          ///< first action of a new asset
inline constexpr std::string_view opened = "c2pa.opened";            ///< first action of an edited asset
inline constexpr std::string_view watermarked = "c2pa.watermarked";  ///< needs a c2pa.soft-binding (S §18.14.5)
inline constexpr std::string_view trained_algorithmic_media =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";  ///< IPTC source type (S §18.14.4.5)
}  // namespace action

/// Hash algorithm names allowed in hashed URIs and bindings (S §13.1; brief §2.5).
namespace alg {
inline constexpr std::string_view sha256 = "sha256";
inline constexpr std::string_view sha384 = "sha384";
inline constexpr std::string_view sha512 = "sha512";
}  // namespace alg

/// Validation status codes as c2pa-rs reports them (S §15.2.2; rs:validation_results.rs; brief §9.2).
namespace status {
// Success.
inline constexpr std::string_view claim_signature_validated = "claimSignature.validated";
inline constexpr std::string_view claim_signature_inside_validity = "claimSignature.insideValidity";
inline constexpr std::string_view signing_credential_trusted = "signingCredential.trusted";
inline constexpr std::string_view ocsp_not_revoked = "signingCredential.ocsp.notRevoked";
inline constexpr std::string_view time_stamp_validated = "timeStamp.validated";
inline constexpr std::string_view time_stamp_trusted = "timeStamp.trusted";
inline constexpr std::string_view hashed_uri_match = "assertion.hashedURI.match";
inline constexpr std::string_view data_hash_match = "assertion.dataHash.match";
inline constexpr std::string_view bmff_hash_match = "assertion.bmffHash.match";
inline constexpr std::string_view boxes_hash_match = "assertion.boxesHash.match";
inline constexpr std::string_view ingredient_manifest_validated = "ingredient.manifest.validated";
inline constexpr std::string_view ingredient_claim_signature_validated = "ingredient.claimSignature.validated";
// Informational.
inline constexpr std::string_view time_stamp_untrusted = "timeStamp.untrusted";
inline constexpr std::string_view time_stamp_mismatch = "timeStamp.mismatch";
inline constexpr std::string_view time_stamp_malformed = "timeStamp.malformed";
inline constexpr std::string_view time_stamp_outside_validity = "timeStamp.outsideValidity";
inline constexpr std::string_view ocsp_skipped = "signingCredential.ocsp.skipped";
inline constexpr std::string_view ocsp_inaccessible = "signingCredential.ocsp.inaccessible";
inline constexpr std::string_view time_of_signing_inside_validity = "timeOfSigning.insideValidity";
inline constexpr std::string_view time_of_signing_outside_validity = "timeOfSigning.outsideValidity";
inline constexpr std::string_view data_hash_additional_exclusions = "assertion.dataHash.additionalExclusionsPresent";
inline constexpr std::string_view bmff_hash_additional_exclusions = "assertion.bmffHash.additionalExclusionsPresent";
inline constexpr std::string_view ingredient_unknown_provenance = "ingredient.unknownProvenance";
inline constexpr std::string_view manifest_unknown_provenance = "manifest.unknownProvenance";
inline constexpr std::string_view algorithm_deprecated = "algorithm.deprecated";
// Failure: signature and credential.
inline constexpr std::string_view claim_signature_missing = "claimSignature.missing";
inline constexpr std::string_view claim_signature_mismatch = "claimSignature.mismatch";
inline constexpr std::string_view claim_signature_outside_validity = "claimSignature.outsideValidity";
inline constexpr std::string_view signing_credential_untrusted = "signingCredential.untrusted";
inline constexpr std::string_view signing_credential_invalid = "signingCredential.invalid";
inline constexpr std::string_view signing_credential_expired = "signingCredential.expired";  ///< c2pa-rs only
inline constexpr std::string_view ocsp_revoked = "signingCredential.ocsp.revoked";
inline constexpr std::string_view ocsp_unknown = "signingCredential.ocsp.unknown";
// Failure: claim.
inline constexpr std::string_view claim_missing = "claim.missing";
inline constexpr std::string_view claim_multiple = "claim.multiple";
inline constexpr std::string_view claim_malformed = "claim.malformed";
inline constexpr std::string_view claim_cbor_invalid = "claim.cbor.invalid";
inline constexpr std::string_view claim_hard_bindings_missing = "claim.hardBindings.missing";
// Failure: assertions.
inline constexpr std::string_view assertion_missing = "assertion.missing";
inline constexpr std::string_view assertion_undeclared = "assertion.undeclared";
inline constexpr std::string_view assertion_outside_manifest = "assertion.outsideManifest";
inline constexpr std::string_view hashed_uri_mismatch = "assertion.hashedURI.mismatch";
inline constexpr std::string_view assertion_cbor_invalid = "assertion.cbor.invalid";
inline constexpr std::string_view assertion_json_invalid = "assertion.json.invalid";
inline constexpr std::string_view multiple_hard_bindings = "assertion.multipleHardBindings";
inline constexpr std::string_view assertion_not_redacted = "assertion.notRedacted";
inline constexpr std::string_view assertion_self_redacted = "assertion.selfRedacted";
inline constexpr std::string_view metadata_disallowed = "assertion.metadata.disallowed";
// Failure: actions.
inline constexpr std::string_view action_malformed = "assertion.action.malformed";
inline constexpr std::string_view action_ingredient_mismatch = "assertion.action.ingredientMismatch";
inline constexpr std::string_view action_redacted = "assertion.action.redacted";
inline constexpr std::string_view action_redaction_mismatch = "assertion.action.redactionMismatch";
inline constexpr std::string_view action_soft_binding_missing = "assertion.action.softBindingMissing";  ///< 0.91.3
// Failure: hard bindings.
inline constexpr std::string_view data_hash_malformed = "assertion.dataHash.malformed";
inline constexpr std::string_view data_hash_mismatch = "assertion.dataHash.mismatch";
inline constexpr std::string_view data_hash_redacted = "assertion.dataHash.redacted";
inline constexpr std::string_view bmff_hash_malformed = "assertion.bmffHash.malformed";
inline constexpr std::string_view bmff_hash_mismatch = "assertion.bmffHash.mismatch";
inline constexpr std::string_view boxes_hash_malformed = "assertion.boxesHash.malformed";
inline constexpr std::string_view boxes_hash_mismatch = "assertion.boxesHash.mismatch";
inline constexpr std::string_view boxes_hash_unknown_box = "assertion.boxesHash.unknownBox";
// Failure: ingredients and hashed URIs.
inline constexpr std::string_view ingredient_manifest_missing = "ingredient.manifest.missing";
inline constexpr std::string_view ingredient_malformed = "assertion.ingredient.malformed";  ///< c2pa-rs
inline constexpr std::string_view ingredient_manifest_mismatch = "ingredient.manifest.mismatch";
inline constexpr std::string_view ingredient_claim_signature_missing = "ingredient.claimSignature.missing";
inline constexpr std::string_view ingredient_claim_signature_mismatch = "ingredient.claimSignature.mismatch";
inline constexpr std::string_view hashed_uri_missing_plain = "hashedURI.missing";
inline constexpr std::string_view hashed_uri_mismatch_plain = "hashedURI.mismatch";
// Failure: manifests and general.
inline constexpr std::string_view manifest_inaccessible = "manifest.inaccessible";
inline constexpr std::string_view manifest_multiple_parents = "manifest.multipleParents";
inline constexpr std::string_view manifest_update_invalid = "manifest.update.invalid";
inline constexpr std::string_view manifest_update_wrong_parents = "manifest.update.wrongParents";
inline constexpr std::string_view manifest_compressed_invalid = "manifest.compressed.invalid";
inline constexpr std::string_view algorithm_unsupported = "algorithm.unsupported";
inline constexpr std::string_view general_error = "general.error";
}  // namespace status

}  // namespace provmark::c2pa
