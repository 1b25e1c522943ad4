// SPDX-License-Identifier: Apache-2.0
// Building and signing a C2PA manifest (claim v2) into a JPEG, PNG, WAV, MP3 or BMFF file
// (spec/manifest-profile-v1.md).
//
// The store's size must be final before the claim is signed, because the data hash excludes the
// store's exact byte range. So signing is two passes over same-sized stores:
//   1. assertions with a placeholder data hash, claim, placeholder signature of the signer's
//      reserve size -> store; plan where it lands (the exclusion range), without building the file;
//   2. the real data hash (same encoded size, `pad` absorbs any difference), claim, real signature
//      padded to the same reserve size -> a store of identical size, embedded at the planned place.
// Audio and video containers change bytes around the store too (the RIFF size, the ID3 tag, BMFF chunk
// offsets), so there pass 1 builds the file with the placeholder store and the hash is taken over it.
//
// Re-signing keeps the asset's store: its manifests are copied byte for byte ahead of the new one, which names the
// previous active manifest as its parentOf ingredient (C2PA 2.2 §18.15; brief §6.6).
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "c2pa/asset.hpp"
#include "c2pa/asset_jpeg.hpp"
#include "c2pa/asset_media.hpp"
#include "c2pa/asset_png.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/container.hpp"
#include "c2pa/cose.hpp"
#include "c2pa/jumbf.hpp"
#include "c2pa/labels.hpp"
#include "c2pa/validate.hpp"
#include "c2pa/signed_store.hpp"
#include "core/fail.hpp"
#include "crypto/keystream.hpp"
#include "provmark/manifest.hpp"

namespace provmark {
namespace {

using json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

json bstr(Bytes bytes) { return json::binary(std::move(bytes)); }

std::string uuid_v4() {
  crypto::ensure_sodium();
  std::uint8_t b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  char s[37];
  std::snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
                b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return s;
}

struct Assertion {
  std::string label;
  Bytes cbor;
};

// `parent`: the hashed URI of the parentOf ingredient; then the first action opens it (c2pa.opened with C2PA 2.2
// parameters.ingredients) instead of creating the asset, and carries the digital source type.
Bytes actions_assertion(const Manifest& m, const json* parent = nullptr) {
  json first = {{"action", parent ? c2pa::action::opened : c2pa::action::created},
                {"digitalSourceType", std::string(digital_source_type_uri(m.source_type()))},
                {"softwareAgent", {{"name", m.generator()}}}};
  if (parent) first["parameters"] = {{"ingredients", json::array({*parent})}};
  json actions = json::array({first});
  if (m.has_watermark()) actions.push_back({{"action", "c2pa.watermarked"}});
  return c2pa::cbor::to_cbor(json{{"actions", actions}});
}

Bytes soft_binding_assertion(const Manifest& m) {
  const auto& p = m.watermark_payload().bytes;
  return c2pa::cbor::to_cbor(json{{"alg", m.watermark_alg()},
                            {"blocks", json::array({{{"scope", json::object()}, {"value", bstr(Bytes(p.begin(), p.end()))}}})},
                            {"pad", bstr({})}});
}

// c2pa.hash.data whose encoded size is exactly `size` (the `pad` zeros absorb the difference).
Bytes data_hash_assertion(const std::vector<c2pa::ByteRange>& exclusions, const Bytes& hash, std::size_t size) {
  json ex = json::array();
  for (const auto& r : exclusions) ex.push_back({{"start", r.start}, {"length", r.length}});
  json value{{"exclusions", ex}, {"alg", "sha256"}, {"hash", bstr(hash)}, {"pad", bstr({})}};
  const std::size_t bare = c2pa::cbor::to_cbor(value).size();
  if (size == 0) size = bare + 48;  // room for the real offsets later, with a 2-byte pad header either way
  // A bstr of n zeros costs n + 1 bytes below 24, n + 2 up to 255: find n with the exact total.
  for (std::size_t n = 0; n < 64; ++n) {
    value["pad"] = bstr(Bytes(n, 0));
    const Bytes out = c2pa::cbor::to_cbor(value);
    if (out.size() == size) return out;
    if (out.size() > size) break;
  }
  fail(Errc::internal, "c2pa.hash.data cannot be padded to its reserved size");
}

// c2pa.hash.bmff.v3 with the required exclusions and a flat hash; its size does not depend on the hash value.
Bytes bmff_hash_assertion(const Bytes& hash) {
  json exclusions = json::array();
  for (const auto& ex : c2pa::bmff_required_exclusions()) {
    json entry{{"xpath", ex.xpath}};
    for (const auto& d : ex.data) entry["data"].push_back({{"offset", d.offset}, {"value", bstr(d.value)}});
    exclusions.push_back(std::move(entry));
  }
  return c2pa::cbor::to_cbor(json{{"exclusions", exclusions}, {"alg", "sha256"}, {"hash", bstr(hash)}});
}

using c2pa::jumbf::ContentBox;
using c2pa::jumbf::Superbox;

Superbox superbox(const c2pa::Uuid& type, std::string_view label) {
  Superbox box;
  box.type = type;
  box.label = std::string(label);
  return box;
}

// A superbox holding one CBOR content box: assertions, the claim, the signature.
Superbox cbor_superbox(const c2pa::Uuid& type, std::string_view label, Bytes cbor) {
  Superbox box = superbox(type, label);
  box.children.emplace_back(ContentBox{c2pa::box_type::cbor, std::move(cbor)});
  return box;
}

json hashed_uri(const std::string& url, const Superbox& box) {
  return {{"url", url}, {"hash", bstr(c2pa::hash_excluding(c2pa::jumbf::payload_of(box), {}, "sha256"))}};
}

// A hashed URI to a box of another manifest, with its alg, as c2pa-rs writes an ingredient's references.
json hashed_uri(const std::string& url, std::span<const std::uint8_t> payload) {
  return {{"url", url}, {"alg", "sha256"}, {"hash", bstr(c2pa::hash_excluding(payload, {}, "sha256"))}};
}

// The store bytes: `kept` manifest superboxes (whole boxes, copied unchanged) followed by the new manifest.
Bytes store_with(const Superbox& store, std::span<const std::span<const std::uint8_t>> kept) {
  Bytes out = c2pa::jumbf::serialize(store);
  if (kept.empty()) return out;
  // The store box is LBox, "jumb", its jumd box, then the new manifest: put the kept boxes before the manifest.
  const std::size_t jumd_end = 8 + ((std::size_t{out[8]} << 24) | (std::size_t{out[9]} << 16) |
                                    (std::size_t{out[10]} << 8) | out[11]);
  std::size_t kept_size = 0;
  for (const auto box : kept) kept_size += box.size();
  if (out.size() + kept_size > 0xFFFFFFFFu) fail(Errc::limit_exceeded, "c2pa store larger than 4 GiB");
  Bytes merged(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(jumd_end));
  merged.reserve(out.size() + kept_size);
  for (const auto box : kept) merged.insert(merged.end(), box.begin(), box.end());
  merged.insert(merged.end(), out.begin() + static_cast<std::ptrdiff_t>(jumd_end), out.end());
  const auto size = static_cast<std::uint32_t>(merged.size());
  for (int i = 0; i < 4; ++i) merged[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(size >> (24 - 8 * i));
  return merged;
}

Bytes build_store(const Manifest& m, const std::string& manifest_label, const std::string& instance_id,
                  const std::vector<Assertion>& assertions, const Signer& signer, bool placeholder,
                  std::span<const std::span<const std::uint8_t>> kept = {}) {
  Superbox assertion_store = superbox(c2pa::uuids::assertion_store, c2pa::box_label::assertions);
  json created = json::array();
  for (const Assertion& a : assertions) {
    Superbox box = cbor_superbox(c2pa::uuids::cbor, a.label, a.cbor);
    created.push_back(hashed_uri("self#jumbf=c2pa.assertions/" + a.label, box));
    assertion_store.children.emplace_back(std::move(box));
  }
  json generator{{"name", m.generator()}};
  if (!m.generator_version().empty()) generator["version"] = m.generator_version();
  json claim{{"instanceID", instance_id},
             {"claim_generator_info", generator},
             {"signature", "self#jumbf=c2pa.signature"},
             {"created_assertions", created},
             {"alg", "sha256"}};
  if (!m.title().empty()) claim["dc:title"] = m.title();
  const Bytes claim_bytes = c2pa::cbor::to_cbor(claim);
  const Bytes signature = placeholder ? c2pa::placeholder_signature(signer.reserve_size())
                                      : c2pa::sign_claim(claim_bytes, signer, signer.reserve_size());
  Superbox manifest = superbox(c2pa::uuids::manifest, manifest_label);
  manifest.children.emplace_back(std::move(assertion_store));
  manifest.children.emplace_back(cbor_superbox(c2pa::uuids::claim, c2pa::box_label::claim_v2, claim_bytes));
  manifest.children.emplace_back(cbor_superbox(c2pa::uuids::signature, c2pa::box_label::signature, signature));
  Superbox store = superbox(c2pa::uuids::store, c2pa::box_label::store);
  store.children.emplace_back(std::move(manifest));
  return store_with(store, kept);
}

// Every assertion of `m` but the hard binding, in store order.
// The assertions of a new manifest before its hard binding; with a parent, its ingredient comes first and
// the c2pa.opened action points at it.
std::vector<Assertion> content_assertions(const Manifest& m, const Bytes* parent_ingredient = nullptr) {
  std::vector<Assertion> assertions;
  if (parent_ingredient != nullptr) {
    const std::string ingredient_label(c2pa::assertion::ingredient_v3);
    const json ingredient_uri = hashed_uri("self#jumbf=c2pa.assertions/" + ingredient_label,
                                           cbor_superbox(c2pa::uuids::cbor, ingredient_label, *parent_ingredient));
    assertions.push_back({ingredient_label, *parent_ingredient});
    assertions.push_back({std::string(c2pa::assertion::actions_v2), actions_assertion(m, &ingredient_uri)});
  } else {
    assertions.push_back({std::string(c2pa::assertion::actions_v2), actions_assertion(m)});
  }
  if (m.has_watermark()) assertions.push_back({std::string(c2pa::assertion::soft_binding), soft_binding_assertion(m)});
  for (const auto& a : m.custom_assertions()) assertions.push_back({a.label, a.cbor});
  return assertions;
}

// JPEG and PNG only: where the store goes without building the file.
c2pa::StorePlacement plan(c2pa::Container container, std::span<const std::uint8_t> asset, const Bytes& store) {
  return container == c2pa::Container::jpeg ? c2pa::jpeg_plan_manifest_store(asset, store)
                                             : c2pa::png_plan_manifest_store(asset, store);
}

// The asset's existing store, kept: its manifests and the ingredient assertion naming its active manifest.
struct Parent {
  Bytes store;
  std::vector<std::span<const std::uint8_t>> manifests;  // whole superboxes, into `store`
  Bytes ingredient;                                       // c2pa.ingredient.v3 CBOR
};

// Strings read from a store (urls, titles, explanations quoting them) need not be UTF-8, but a CBOR text string
// must be: bad bytes become U+FFFD. `value` holds no binary.
json valid_utf8(const json& value) {
  return json::parse(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// A text field of a claim, or "" (the claim of a kept manifest may be anything).
std::string text_field(const json& claim, const char* key) {
  const auto it = claim.is_object() ? claim.find(key) : claim.end();
  return it != claim.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The previous active manifest as a parentOf ingredient (c2pa.ingredient.v3, the fields c2pa-rs writes), with
// validationResults as our validator reports it now (no trust anchors: as a c2pa-rs Builder without trust
// settings records it). Throws rather than drop a store it cannot keep.
Parent read_parent(c2pa::Container container, std::span<const std::uint8_t> asset, Bytes store,
                   const Manifest& m) {
  Parent parent;
  parent.store = std::move(store);
  c2pa::jumbf::ParsedSuperbox root;
  try {
    root = c2pa::jumbf::parse_superbox(parent.store);
  } catch (const Error& e) {
    fail(Errc::malformed_input, std::string("the asset's manifest store cannot be kept (") + e.what() +
                                    "); sign with ExistingManifests::replace to drop it");
  }
  const c2pa::jumbf::ParsedSuperbox* active = nullptr;
  for (const auto* box : root.superboxes()) {
    if (!c2pa::is_manifest(*box)) continue;
    parent.manifests.push_back(box->box);
    active = box;
  }
  if (root.type != c2pa::uuids::store || !active) {
    fail(Errc::malformed_input, "the asset's manifest store has no manifest to keep; sign with "
                                "ExistingManifests::replace to drop it");
  }
  const ManifestReport report = c2pa::validate_store(parent.store, asset, nullptr, std::chrono::system_clock::now(),
                                                     c2pa::manifest_store_range(container, asset, parent.store));
  const std::string manifest_url = "self#jumbf=/c2pa/" + active->label;
  json ingredient = {{"relationship", "parentOf"},
                     {"dc:format", c2pa::media_type(container, asset)},
                     {"activeManifest", hashed_uri(manifest_url, active->payload)},
                     {"validationResults", valid_utf8(c2pa::validation_results_json(report))}};
  json claim;
  for (const auto* child : active->superboxes()) {
    const auto content = child->content_boxes();
    if (content.empty()) continue;
    if (child->label == c2pa::box_label::signature) {
      ingredient["claimSignature"] = hashed_uri(manifest_url + "/" + std::string(c2pa::box_label::signature),
                                                child->payload);
    } else if (child->label == c2pa::box_label::claim_v2 || child->label == c2pa::box_label::claim_v1) {
      try {
        claim = c2pa::cbor::from_cbor(content.front()->data, json::cbor_tag_handler_t::ignore);
      } catch (const Error&) {
      }
    }
  }
  const std::string title = m.parent_title().empty() ? text_field(claim, "dc:title") : m.parent_title();
  if (!title.empty()) ingredient["dc:title"] = valid_utf8(title);
  if (const std::string instance = text_field(claim, "instanceID"); !instance.empty())
    ingredient["instanceID"] = valid_utf8(instance);
  parent.ingredient = c2pa::cbor::to_cbor(ingredient);
  return parent;
}

}  // namespace

std::string_view digital_source_type_uri(DigitalSourceType type) noexcept {
  switch (type) {
    case DigitalSourceType::trained_algorithmic_media:
      return "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    case DigitalSourceType::composite_with_trained_algorithmic_media:
      return "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
  }
  return {};
}

Manifest::Manifest(std::string generator, std::string generator_version)
    : generator_(std::move(generator)), generator_version_(std::move(generator_version)) {
  if (generator_.empty()) fail(Errc::invalid_argument, "a manifest needs a generator name");
}

Manifest& Manifest::created(DigitalSourceType type) {
  source_type_ = type;
  return *this;
}

Manifest& Manifest::watermarked(const Payload& payload, std::string_view alg) {
  has_watermark_ = true;
  watermark_payload_ = payload;
  watermark_alg_ = std::string(alg);
  return *this;
}

Manifest& Manifest::existing_manifests(ExistingManifests policy) {
  existing_ = policy;
  return *this;
}

Manifest& Manifest::parent_title(std::string title) {
  parent_title_ = std::move(title);
  return *this;
}

Manifest& Manifest::set_title(std::string title) {
  title_ = std::move(title);
  return *this;
}

Manifest& Manifest::set_generator(std::string name, std::string version) {
  if (name.empty()) fail(Errc::invalid_argument, "a manifest needs a generator name");
  generator_ = std::move(name);
  generator_version_ = std::move(version);
  return *this;
}

Manifest& Manifest::add_cbor_assertion(std::string label, std::vector<std::uint8_t> cbor) {
  if (label.empty() || label.rfind("c2pa.", 0) == 0)
    fail(Errc::invalid_argument, "custom assertion label '" + label + "' is empty or in the reserved c2pa. namespace");
  (void)c2pa::cbor::from_cbor(cbor);  // throws on invalid CBOR: validate early, not at the reader
  custom_.push_back({std::move(label), std::move(cbor)});
  return *this;
}

std::vector<std::uint8_t> sign(std::span<const std::uint8_t> asset, const Manifest& manifest, const Signer& signer) {
  const c2pa::Container container = c2pa::sniff_container(asset);
  const std::string label = "urn:c2pa:" + uuid_v4();
  const std::string instance_id = "xmp:iid:" + uuid_v4();
  std::optional<Parent> parent;
  if (manifest.existing_manifests_policy() == ExistingManifests::keep_as_parent) {
    auto store = c2pa::read_manifest_store(container, asset);
    if (store) parent = read_parent(container, asset, std::move(*store), manifest);
  }
  std::vector<Assertion> assertions = content_assertions(manifest, parent ? &parent->ingredient : nullptr);
  std::span<const std::span<const std::uint8_t>> kept;
  if (parent) kept = parent->manifests;
  const Bytes zero_hash(32, 0);
  const bool bmff = c2pa::uses_bmff_hash(container);
  Bytes placeholder_hash = bmff ? bmff_hash_assertion(zero_hash) : data_hash_assertion({{0, 0}}, zero_hash, 0);
  assertions.push_back({std::string(bmff ? c2pa::assertion::hash_bmff_v3 : c2pa::assertion::hash_data),
                        placeholder_hash});
  Bytes first = build_store(manifest, label, instance_id, assertions, signer, /*placeholder=*/true, kept);
  if (container == c2pa::Container::wav && first.size() % 2 != 0) {
    // c2pa-rs reads a WAV whose C2PA chunk has a pad byte as a data-hash mismatch: one more `pad` byte makes
    // the store even.
    placeholder_hash = data_hash_assertion({{0, 0}}, zero_hash, placeholder_hash.size() + 1);
    assertions.back().cbor = placeholder_hash;
    first = build_store(manifest, label, instance_id, assertions, signer, /*placeholder=*/true, kept);
  }

  std::vector<c2pa::ByteRange> exclusions;
  if (container == c2pa::Container::jpeg || container == c2pa::Container::png) {
    // Pass 1 learns where the store lands. The bytes the data hash covers are the input without its old store
    // (StorePlacement), so the hash is taken before the file is built.
    const c2pa::StorePlacement placement = plan(container, asset, first);
    exclusions = {placement.exclusion};
    assertions.back().cbor = data_hash_assertion(exclusions, c2pa::hash_excluding(asset, {placement.removed}, "sha256"),
                                                 placeholder_hash.size());
  } else {
    // Pass 1 builds the file around the placeholder store: the final file differs only inside the store.
    const c2pa::EmbeddedAsset draft = c2pa::embed_manifest_store(container, asset, first);
    exclusions = draft.exclusions;
    assertions.back().cbor =
        bmff ? bmff_hash_assertion(c2pa::bmff_hash(draft.bytes, c2pa::bmff_required_exclusions(), "sha256"))
             : data_hash_assertion(exclusions, c2pa::hash_excluding(draft.bytes, exclusions, "sha256"),
                                   placeholder_hash.size());
  }
  // Pass 2: the real hash, then the real signature, in a store of the same size.
  if (assertions.back().cbor.size() != placeholder_hash.size()) fail(Errc::internal, "hard binding changed size");
  const Bytes final_store = build_store(manifest, label, instance_id, assertions, signer, /*placeholder=*/false, kept);
  if (final_store.size() != first.size()) fail(Errc::internal, "c2pa store changed size between passes");
  c2pa::EmbeddedAsset out = c2pa::embed_manifest_store(container, asset, final_store);
  if (out.exclusions != exclusions) fail(Errc::internal, "c2pa store moved between passes");
  return std::move(out.bytes);
}

std::vector<std::uint8_t> c2pa::signed_store(const Manifest& manifest, std::string_view hard_binding_label,
                                             std::vector<std::uint8_t> hard_binding, const Signer& signer) {
  std::vector<Assertion> assertions = content_assertions(manifest);
  assertions.push_back({std::string(hard_binding_label), std::move(hard_binding)});
  return build_store(manifest, "urn:c2pa:" + uuid_v4(), "xmp:iid:" + uuid_v4(), assertions, signer,
                     /*placeholder=*/false);
}

}  // namespace provmark
