// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// C2PA manifests: a typed builder and signing into JPEG and PNG (spec/manifest-profile-v1.md).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "provmark/signer.hpp"
#include "provmark/watermark.hpp"

namespace provmark {

/// IPTC digital source types provmark writes for generated media.
enum class DigitalSourceType {
  trained_algorithmic_media,               ///< made by a generative model
  composite_with_trained_algorithmic_media  ///< a composite that includes generated elements
};

/// The IPTC URI of a digital source type.
[[nodiscard]] std::string_view digital_source_type_uri(DigitalSourceType type) noexcept;

/// Soft-binding algorithm identifier of the image watermark, version 1.
inline constexpr std::string_view image_watermark_alg = "org.provmark.wm.image.1";
/// Soft-binding algorithm identifier of the audio watermark, version 2 (spec/audio-watermark-v2.md).
inline constexpr std::string_view audio_watermark_alg = "org.provmark.wm.audio.2";

/// What sign() does with a manifest store the asset already has.
enum class ExistingManifests {
  /// Keep every manifest byte for byte (their signatures stay valid) and make the previous active manifest the
  /// new manifest's `parentOf` ingredient (`c2pa.ingredient.v3`), opened by its first action (`c2pa.opened`).
  keep_as_parent,
  /// Drop the store: the output carries only the new manifest, and the earlier signatures are gone.
  replace
};

/// A manifest to sign: what the claim (v2) will assert. Thread safety: a value type.
class Manifest {
 public:
  /// `generator` names the product that made the content (claim_generator_info.name).
  explicit Manifest(std::string generator, std::string generator_version = {});

  /// `c2pa.actions.v2` starting with `c2pa.created` (`c2pa.opened` when re-signing) and this digital source type.
  Manifest& created(DigitalSourceType type);
  /// A `c2pa.watermarked` action plus a `c2pa.soft-binding` assertion carrying the watermark payload.
  Manifest& watermarked(const Payload& payload, std::string_view alg = image_watermark_alg);
  /// A custom assertion: `label` (e.g. "cn.tc260.aigc") with a CBOR value. @throws Error(invalid_argument)
  Manifest& add_cbor_assertion(std::string label, std::vector<std::uint8_t> cbor);
  /// What to do with a store the asset already has (default: keep_as_parent).
  Manifest& existing_manifests(ExistingManifests policy);
  /// dc:title of the parent ingredient, e.g. the input file's name (c2pa-rs writes the file name). Default: the
  /// previous claim's dc:title, if it has one.
  Manifest& parent_title(std::string title);
  /// The claim's `dc:title` (e.g. the asset's file name); empty: none.
  Manifest& set_title(std::string title);
  /// Replaces claim_generator_info (name and version). @throws Error(invalid_argument) for an empty name.
  Manifest& set_generator(std::string name, std::string version = {});

  [[nodiscard]] const std::string& generator() const noexcept { return generator_; }
  [[nodiscard]] const std::string& generator_version() const noexcept { return generator_version_; }
  [[nodiscard]] const std::string& title() const noexcept { return title_; }
  [[nodiscard]] DigitalSourceType source_type() const noexcept { return source_type_; }
  [[nodiscard]] bool has_watermark() const noexcept { return has_watermark_; }
  [[nodiscard]] const Payload& watermark_payload() const noexcept { return watermark_payload_; }
  [[nodiscard]] const std::string& watermark_alg() const noexcept { return watermark_alg_; }
  struct CustomAssertion {
    std::string label;
    std::vector<std::uint8_t> cbor;
  };
  [[nodiscard]] const std::vector<CustomAssertion>& custom_assertions() const noexcept { return custom_; }
  [[nodiscard]] ExistingManifests existing_manifests_policy() const noexcept { return existing_; }
  [[nodiscard]] const std::string& parent_title() const noexcept { return parent_title_; }

 private:
  std::string generator_;
  std::string generator_version_;
  std::string title_;
  DigitalSourceType source_type_ = DigitalSourceType::trained_algorithmic_media;
  bool has_watermark_ = false;
  Payload watermark_payload_{};
  std::string watermark_alg_;
  std::vector<CustomAssertion> custom_;
  ExistingManifests existing_ = ExistingManifests::keep_as_parent;
  std::string parent_title_;
};

/// Returns `asset` (JPEG or PNG bytes) with a newly signed manifest embedded. The hard binding is `c2pa.hash.data`
/// over the whole file minus the store. A store the asset already has is kept, the new manifest added after it
/// (see ExistingManifests); its `validationResults` record what inspect() (no trust anchors) says of the
/// previous active manifest now.
/// @throws Error(unsupported_format | malformed_input | crypto | invalid_argument); Error(malformed_input) when
///         an existing store must be kept but is not a readable manifest store (nothing is dropped silently).
[[nodiscard]] std::vector<std::uint8_t> sign(std::span<const std::uint8_t> asset, const Manifest& manifest,
                                             const Signer& signer);

/// A manifest from a JSON definition shaped like c2pa-rs's ManifestDefinition, in the subset provmark writes:
/// claim_generator_info, title, and assertions c2pa.actions.v2 (c2pa.created + digitalSourceType),
/// c2pa.soft-binding (the watermark payload) and custom labels whose JSON data becomes CBOR
/// (spec/manifest-profile-v1.md, "Manifest definition (JSON)"). Unknown or unsupported fields are refused,
/// not dropped.
/// @throws Error(malformed_input) whose message names the bad field, e.g. "assertions[1].label: ...".
[[nodiscard]] Manifest manifest_from_json(std::string_view definition);

/// A sidecar: the bytes of a standalone `.c2pa` manifest store (media type application/c2pa) for `asset`, in
/// any format, which is left as it is. The hard binding is `c2pa.hash.data` over every byte of `asset`.
/// @throws Error(crypto | invalid_argument)
[[nodiscard]] std::vector<std::uint8_t> sign_sidecar(std::span<const std::uint8_t> asset, const Manifest& manifest,
                                                     const Signer& signer);
/// sign_sidecar for the file at `asset`, hashed while it is read: it is never held in memory, whatever its size.
/// @throws Error(io | crypto | invalid_argument)
[[nodiscard]] std::vector<std::uint8_t> sign_sidecar_file(const std::filesystem::path& asset, const Manifest& manifest,
                                                          const Signer& signer);
/// Where a sidecar goes by convention (C2PA 2.2 §11.4): the asset's path with the extension `.c2pa`.
[[nodiscard]] std::filesystem::path sidecar_path(const std::filesystem::path& asset);

}  // namespace provmark
