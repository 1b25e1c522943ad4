// SPDX-License-Identifier: Apache-2.0
#include "provmark/inspect.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/asset_png.hpp"
#include "c2pa/validate.hpp"
#include "core/fail.hpp"
#include "provmark/codec.hpp"

namespace provmark {
namespace {

using nlohmann::json;

json status_list(const std::vector<ValidationStatus>& list) {
  json out = json::array();
  for (const auto& s : list) out.push_back({{"code", s.code}, {"url", s.url}, {"explanation", s.explanation}});
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
                        const InspectOptions& options) {
  if (options.trust_anchors_pem.empty()) return c2pa::validate_store(store, asset, &options.trust_anchors, options.at);
  if (!options.trust_anchors.empty()) fail(Errc::invalid_argument, "give trust_anchors or trust_anchors_pem, not both");
  const TrustAnchors anchors = TrustAnchors::from_pem(options.trust_anchors_pem);
  return c2pa::validate_store(store, asset, &anchors, options.at);
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
    manifests_json[m.label] = {{"claim_version", m.claim_version},
                               {"claim_generator", m.claim_generator},
                               {"assertions", m.assertions},
                               {"actions", m.actions},
                               {"digital_source_type", m.digital_source_type},
                               {"soft_bindings", soft},
                               {"signature_info",
                                {{"alg", m.signature_alg},
                                 {"issuer", m.signature_issuer},
                                 {"common_name", m.signature_common_name}}}};
    if (!m.signature_time.empty()) manifests_json[m.label]["signature_info"]["time"] = m.signature_time;
  }
  out["active_manifest"] = active_manifest;
  out["manifests"] = manifests_json;
  out["validation_state"] = validation_state_name(state);
  out["validation_results"] = {{"activeManifest",
                                {{"success", status_list(success)},
                                 {"informational", status_list(informational)},
                                 {"failure", status_list(failure)}}}};
  // Strings come from untrusted manifests and may not be UTF-8: replace bad bytes rather than throw.
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

ManifestReport inspect(std::span<const std::uint8_t> asset, const InspectOptions& options) {
  check_size(asset, options.limits);
  const std::optional<std::vector<std::uint8_t>> store = sniff_image_format(asset) == ImageFormat::jpeg
                                                             ? c2pa::jpeg_read_manifest_store(asset)
                                                             : c2pa::png_read_manifest_store(asset);
  if (!store) return {};
  return validate(*store, asset, options);
}

ManifestReport inspect_sidecar(std::span<const std::uint8_t> store, std::span<const std::uint8_t> asset,
                               const InspectOptions& options) {
  check_size(store, options.limits);
  check_size(asset, options.limits);
  return validate(store, asset, options);
}

}  // namespace provmark
