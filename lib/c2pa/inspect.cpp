// SPDX-License-Identifier: Apache-2.0
#include "provmark/inspect.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "c2pa/container.hpp"
#include "c2pa/validate.hpp"
#include "core/fail.hpp"

namespace provmark {
namespace {

using nlohmann::json;

// As c2pa-rs's Reader lists an ingredient; empty fields are left out, as it leaves out absent ones.
json ingredient_json(const IngredientSummary& i) {
  json out = {{"label", i.label}, {"relationship", i.relationship}};
  if (!i.title.empty()) out["title"] = i.title;
  if (!i.format.empty()) out["format"] = i.format;
  if (!i.active_manifest.empty()) out["active_manifest"] = i.active_manifest;
  if (!i.success.empty() || !i.informational.empty() || !i.failure.empty())
    out["validation_results"] = {{"activeManifest", c2pa::status_codes_json(i.success, i.informational, i.failure)}};
  return out;
}

// Shaped like the data c2pa-rs's Reader shows for a cawg.identity assertion: signer_payload and signature_info.
json identities_json(const std::vector<IdentitySummary>& identities) {
  json out = json::array();
  for (const IdentitySummary& i : identities) {
    json payload = {{"sig_type", i.sig_type}, {"referenced_assertions", json::array()}};
    for (const auto& url : i.referenced_assertions) payload["referenced_assertions"].push_back({{"url", url}});
    if (!i.roles.empty()) payload["role"] = i.roles;
    json entry = {{"label", i.label}, {"signer_payload", payload}};
    if (!i.signature_alg.empty()) {
      entry["signature_info"] = {
          {"alg", i.signature_alg}, {"issuer", i.signature_issuer}, {"common_name", i.signature_common_name}};
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

void check_size(std::span<const std::uint8_t> bytes, const Limits& limits) {
  if (bytes.size() > limits.max_file_bytes) fail(Errc::limit_exceeded, "input larger than Limits::max_file_bytes");
}

ManifestReport validate(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                        const InspectOptions& options, std::optional<c2pa::ByteRange> store_range = std::nullopt) {
  if (options.trust_anchors_pem.empty()) {
    return c2pa::validate_store(store, asset, &options.trust_anchors, options.at, store_range,
                                &options.identity_trust_anchors);
  }
  if (!options.trust_anchors.empty()) fail(Errc::invalid_argument, "give trust_anchors or trust_anchors_pem, not both");
  const TrustAnchors anchors = TrustAnchors::from_pem(options.trust_anchors_pem);
  return c2pa::validate_store(store, asset, &anchors, options.at, store_range, &options.identity_trust_anchors);
}

// Where the store's container lies in the asset: what placing the same store again would remove.
std::optional<c2pa::ByteRange> store_range(c2pa::Container container, std::span<const std::uint8_t> asset,
                                           std::span<const std::uint8_t> store) {
  try {
    return c2pa::manifest_store_range(container, asset, store);
  } catch (const Error&) {
    return std::nullopt;  // a store that does not start like one: validation reports it
  }
}

}  // namespace

const char* validation_state_name(ValidationState state) noexcept {
  switch (state) {
    case ValidationState::trusted: return "Trusted";
    case ValidationState::valid: return "Valid";
    case ValidationState::invalid: break;
  }
  return "Invalid";
}

std::string ManifestReport::to_json() const {
  json out = json::object();
  if (!has_manifest) {
    out["has_manifest"] = false;
    return out.dump(2);
  }
  json manifests_json = json::object();
  for (const auto& m : manifests) {
    json soft = json::array();
    for (const auto& b : m.soft_bindings) soft.push_back({{"alg", b.alg}, {"value", to_hex(b.value)}});
    json ingredients = json::array();
    for (const auto& i : m.ingredients) ingredients.push_back(ingredient_json(i));
    manifests_json[m.label] = {{"claim_version", m.claim_version},
                               {"claim_generator", m.claim_generator},
                               {"assertions", m.assertions},
                               {"actions", m.actions},
                               {"digital_source_type", m.digital_source_type},
                               {"soft_bindings", soft},
                               {"ingredients", ingredients},
                               {"signature_info",
                                {{"alg", m.signature_alg},
                                 {"issuer", m.signature_issuer},
                                 {"common_name", m.signature_common_name}}}};
    if (!m.signature_time.empty()) manifests_json[m.label]["signature_info"]["time"] = m.signature_time;
    if (!m.identities.empty()) manifests_json[m.label]["identity_assertions"] = identities_json(m.identities);
  }
  out["active_manifest"] = active_manifest;
  out["manifests"] = manifests_json;
  out["validation_state"] = validation_state_name(state);
  out["validation_results"] = c2pa::validation_results_json(*this);
  // Strings come from untrusted manifests and may not be UTF-8: replace bad bytes rather than throw.
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

ManifestReport inspect(std::span<const std::uint8_t> asset, const InspectOptions& options) {
  check_size(asset, options.limits);
  const c2pa::Container container = c2pa::sniff_container(asset);
  const std::optional<std::vector<std::uint8_t>> store = c2pa::read_manifest_store(container, asset);
  if (!store) return {};
  return validate(*store, asset, options, store_range(container, asset, *store));
}

ManifestReport inspect_sidecar(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                               const InspectOptions& options) {
  check_size(store, options.limits);
  check_size(asset, options.limits);
  return validate(store, asset, options);
}

}  // namespace provmark
