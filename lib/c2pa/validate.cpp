// SPDX-License-Identifier: Apache-2.0
#include "c2pa/validate.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "c2pa/asset.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/cose.hpp"
#include "c2pa/jumbf.hpp"
#include "c2pa/labels.hpp"
#include "c2pa/timestamp.hpp"
#include "core/fail.hpp"
#include "crypto/openssl.hpp"
#include "provmark/error.hpp"

namespace provmark::c2pa {
namespace {

using nlohmann::json;
using Span = std::span<const std::uint8_t>;
namespace st = status;

constexpr auto ignore_tags = json::cbor_tag_handler_t::ignore;

bool is_manifest(const jumbf::ParsedSuperbox& box) {
  return box.type == uuids::manifest || box.type == uuids::legacy_manifest || box.type == uuids::update_manifest ||
         box.type == uuids::compressed_manifest;
}

bool is_hash_alg(std::string_view alg) { return alg == alg::sha256 || alg == alg::sha384 || alg == alg::sha512; }

std::optional<Span> cbor_payload(const jumbf::ParsedSuperbox& box) {
  for (const auto* content : box.content_boxes())
    if (content->type == box_type::cbor) return content->data;
  return std::nullopt;
}

std::vector<std::uint8_t> to_bytes(const json& value) {
  if (value.is_binary()) return {value.get_binary().begin(), value.get_binary().end()};
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    return {text.begin(), text.end()};
  }
  return {};
}

std::string string_or_empty(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// c2pa-rs's SigningAlg Display (e.g. "Es256").
std::string alg_name(int cose) {
  switch (cose) {
    case -7: return "Es256";
    case -35: return "Es384";
    case -36: return "Es512";
    case -37: return "Ps256";
    case -38: return "Ps384";
    case -39: return "Ps512";
    case -8: return "Ed25519";
    default: return "unknown (" + std::to_string(cose) + ")";
  }
}

std::string subject_field(X509* cert, int nid) {
  char text[256] = {};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, text, sizeof text);
  return n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string{};
}

// The manifest's claim signature, read once for the summary and the checks: OpenSSL 3 decodes certificates
// slowly, so each one is decoded once per validation.
struct Signature {
  std::optional<CoseSign1> cose;
  std::string cose_error;    // why `cose` is missing (no box, no cbor, parse failure)
  CertificateChain chain;    // the decoded x5chain, end-entity first; empty when chain_error is set
  std::string chain_error;
  TimeStampCheck time_stamp;  // checked up to timeStamp.validated (the TSA's trust needs the anchors)
};

// One manifest of the store, with the parts every check needs.
struct Manifest {
  const jumbf::ParsedSuperbox* box = nullptr;
  const jumbf::ParsedSuperbox* claim_box = nullptr;
  const jumbf::ParsedSuperbox* assertions = nullptr;
  Span claim_bytes;
  json claim;  // object when the claim was read
  int claim_boxes = 0;
  Signature signature;
  std::string self_url() const { return "self#jumbf=/c2pa/" + box->label; }
  // c2pa-rs checks the TSA's trust for claim v2 only (claim.rs verify_claim).
  bool legacy_claim() const { return claim_box && claim_box->label == box_label::claim_v1; }
};

Signature read_signature(const jumbf::ParsedSuperbox& manifest, Span claim_bytes) {
  Signature signature;
  const auto* box = manifest.find_child(box_label::signature);
  const auto bytes = box ? cbor_payload(*box) : std::nullopt;
  try {
    if (!bytes) fail(Errc::malformed_input, "no cbor box");
    signature.cose = parse_cose_sign1(*bytes);
  } catch (const Error& e) {
    signature.cose_error = e.what();
    return signature;
  }
  try {
    signature.chain = decode_chain(signature.cose->x5chain);
  } catch (const Error& e) {
    signature.chain.clear();
    signature.chain_error = e.what();
  }
  crypto::clear_openssl_errors();
  signature.time_stamp = check_signature_time_stamp(*signature.cose, claim_bytes);
  return signature;
}

Manifest read_manifest(const jumbf::ParsedSuperbox& box) {
  Manifest m;
  m.box = &box;
  for (const auto* child : box.superboxes()) {
    if (child->label == box_label::claim_v2 || child->label == box_label::claim_v1) {
      ++m.claim_boxes;
      if (!m.claim_box) m.claim_box = child;
    } else if (child->label == box_label::assertions && !m.assertions) {
      m.assertions = child;
    }
  }
  if (m.claim_box) {
    if (const auto bytes = cbor_payload(*m.claim_box)) {
      m.claim_bytes = *bytes;
      try {
        json claim = cbor::from_cbor(*bytes, ignore_tags);
        if (claim.is_object()) m.claim = std::move(claim);
      } catch (const Error&) {
      }
    }
  }
  m.signature = read_signature(box, m.claim_bytes);
  return m;
}

// The box a JUMBF URI names inside `m`: relative ("self#jumbf=c2pa.assertions/x") or absolute
// ("self#jumbf=/c2pa/<label>/c2pa.assertions/x"). `outside` is set for an absolute URI into another manifest.
const jumbf::ParsedSuperbox* resolve(const Manifest& m, std::string_view url, bool& outside) {
  outside = false;
  if (!url.starts_with(uri::self_prefix)) return nullptr;
  url.remove_prefix(uri::self_prefix.size());
  if (url.starts_with("/c2pa/")) {
    url.remove_prefix(6);
    const auto slash = url.find('/');
    if (slash == std::string_view::npos) return nullptr;
    if (url.substr(0, slash) != m.box->label) {
      outside = true;
      return nullptr;
    }
    url.remove_prefix(slash + 1);
  }
  const jumbf::ParsedSuperbox* box = m.box;
  while (box && !url.empty()) {
    const auto slash = url.find('/');
    box = box->find_child(url.substr(0, slash));
    url = slash == std::string_view::npos ? std::string_view{} : url.substr(slash + 1);
  }
  return box == m.box ? nullptr : box;
}

std::string absolute_url(const Manifest& m, const jumbf::ParsedSuperbox& assertion) {
  return m.self_url() + "/" + std::string(box_label::assertions) + "/" + assertion.label;
}

class Validator {
 public:
  Validator(ManifestReport& report, Span asset, const TrustAnchors* anchors, std::chrono::system_clock::time_point at)
      : report_(report), asset_(asset), anchors_(anchors), at_(at) {}

  void validate(const Manifest& active, const Manifest* binding) {
    const std::string url = active.self_url();
    if (active.box->type == uuids::compressed_manifest) {
      add_failure(st::manifest_compressed_invalid, url, "compressed manifests are not supported");
      return;
    }
    if (active.claim_boxes == 0) return add_failure(st::claim_missing, url, "no claim box");
    if (active.claim_boxes > 1) return add_failure(st::claim_multiple, url, "more than one claim box");
    if (!active.claim.is_object()) return add_failure(st::claim_cbor_invalid, url, "the claim is not a CBOR map");
    check_signature(active);
    check_assertions(active);
    if (binding) check_hard_binding(*binding);
  }

 private:
  void add(std::vector<ValidationStatus>& list, std::string_view code, std::string url, std::string explanation) {
    list.push_back({std::string(code), std::move(url), std::move(explanation)});
  }
  void add_success(std::string_view code, std::string url, std::string why) { add(report_.success, code, url, why); }
  void add_info(std::string_view code, std::string url, std::string why) { add(report_.informational, code, url, why); }
  void add_failure(std::string_view code, std::string url, std::string why) { add(report_.failure, code, url, why); }

  void check_signature(const Manifest& m) {
    const std::string signature_url = m.self_url() + "/" + std::string(box_label::signature);
    const std::string reference = string_or_empty(m.claim, "signature");
    bool outside = false;
    const jumbf::ParsedSuperbox* box = resolve(m, reference, outside);
    if (!box || box->label != box_label::signature) {
      return add_failure(st::claim_signature_missing, signature_url, "claim signature box not found: " + reference);
    }
    // The reference names this manifest's signature box, which read_signature parsed (c2pa-rs also checks only
    // the name and then reads the manifest's own signature).
    const Signature& signature = m.signature;
    if (!signature.cose) {
      return add_failure(st::claim_signature_mismatch, signature_url, "COSE parse failed: " + signature.cose_error);
    }
    const CoseSign1& cose = *signature.cose;
    // A time-stamp whose TSA is trusted moves the certificates' checks to its genTime (C2PA 2.2 §15.8.2).
    std::chrono::system_clock::time_point at = at_;
    const auto add_status = [&](const TimeStampStatus& s) {
      if (s.success) add_success(s.code, signature_url, s.explanation);
      else add_info(s.code, signature_url, s.explanation);
    };
    for (const TimeStampStatus& s : signature.time_stamp.statuses) add_status(s);
    if (signature.time_stamp.time) {
      const TimeStampTrust trust = trust_time_stamp(signature.time_stamp, anchors_, !m.legacy_claim());
      add_status(trust.status);
      if (trust.trusted) at = *signature.time_stamp.time;
    }
    CertificateCheck check;
    if (signature.chain_error.empty()) {
      check = check_certificate_chain(signature.chain, anchors_, at);
    } else {
      check.status_codes = {std::string(st::signing_credential_invalid)};
      check.explanation = signature.chain_error;
    }
    add_info(st::ocsp_skipped, signature_url, "OCSP checking is not done offline");
    for (const auto& code : check.status_codes) {
      if (code == st::signing_credential_trusted) add_success(code, signature_url, "signing certificate trusted");
      else add_failure(code, signature_url, check.explanation);
    }
    if (!signature.chain_error.empty()) {
      return add_failure(st::claim_signature_mismatch, signature_url, "corrupt certificate: " + signature.chain_error);
    }
    bool verified = false;
    try {
      verified = verify_cose_sign1(cose, signature.chain.front().get(), m.claim_bytes);
    } catch (const Error& e) {
      const bool unsupported = e.code() == Errc::unsupported_format;
      const auto code = unsupported ? st::algorithm_unsupported : st::claim_signature_mismatch;
      return add_failure(code, signature_url, e.what());
    }
    if (!verified) return add_failure(st::claim_signature_mismatch, signature_url, "claim signature is not valid");
    if (check.inside_validity) {
      add_success(st::claim_signature_inside_validity, signature_url, "claim signature inside certificate validity");
    } else {
      add_failure(st::claim_signature_outside_validity, signature_url, "certificate outside its validity period");
    }
    add_success(st::claim_signature_validated, signature_url, "claim signature valid");
  }

  void check_assertions(const Manifest& m) {
    const std::string claim_alg = m.claim.contains("alg") ? string_or_empty(m.claim, "alg") : std::string(alg::sha256);
    std::set<const jumbf::ParsedSuperbox*> referenced;
    for (const char* key : {"created_assertions", "gathered_assertions", "assertions"}) {
      const auto list = m.claim.find(key);
      if (list == m.claim.end()) continue;
      if (!list->is_array()) {
        add_failure(st::claim_malformed, m.self_url(), std::string(key) + " is not an array");
        continue;
      }
      for (const json& hashed_uri : *list) check_hashed_uri(m, hashed_uri, claim_alg, referenced);
    }
    if (!m.assertions) return;
    for (const auto* assertion : m.assertions->superboxes()) {
      if (!referenced.contains(assertion)) {
        add_failure(st::assertion_undeclared, absolute_url(m, *assertion), "assertion not referenced by the claim");
      }
    }
  }

  void check_hashed_uri(const Manifest& m, const json& hashed_uri, const std::string& claim_alg,
                        std::set<const jumbf::ParsedSuperbox*>& referenced) {
    const std::string url = string_or_empty(hashed_uri, "url");
    const auto hash = hashed_uri.is_object() ? hashed_uri.find("hash") : hashed_uri.end();
    if (url.empty() || hash == hashed_uri.end() || !hash->is_binary()) {
      return add_failure(st::claim_malformed, m.self_url(), "hashed URI without url or hash");
    }
    bool outside = false;
    const jumbf::ParsedSuperbox* box = resolve(m, url, outside);
    if (outside) return add_failure(st::assertion_outside_manifest, url, "assertion outside the manifest: " + url);
    if (!box) return add_failure(st::assertion_missing, url, "assertion missing: " + url);
    referenced.insert(box);
    const std::string alg = hashed_uri.contains("alg") ? string_or_empty(hashed_uri, "alg") : claim_alg;
    const std::string report_url = absolute_url(m, *box);
    if (!is_hash_alg(alg)) return add_failure(st::algorithm_unsupported, report_url, "unsupported hash: " + alg);
    const auto digest = hash_excluding(box->payload, {}, alg);
    const auto& expected = hash->get_binary();
    if (std::equal(digest.begin(), digest.end(), expected.begin(), expected.end())) {
      add_success(st::hashed_uri_match, report_url, "hashed uri matched: " + url);
    } else {
      add_failure(st::hashed_uri_mismatch, report_url, "hash does not match assertion data: " + url);
    }
    if (box->label == assertion::actions_v2) check_actions(box, report_url);
  }

  // c2pa-rs's action rule that generated media depend on: c2pa.created needs a digitalSourceType.
  void check_actions(const jumbf::ParsedSuperbox* box, const std::string& url) {
    json actions;
    try {
      const auto bytes = cbor_payload(*box);
      if (!bytes) fail(Errc::malformed_input, "no cbor box");
      actions = cbor::from_cbor(*bytes, ignore_tags);
    } catch (const Error& e) {
      return add_failure(st::assertion_cbor_invalid, url, e.what());
    }
    const auto list = actions.is_object() ? actions.find("actions") : actions.end();
    if (list == actions.end() || !list->is_array()) return add_failure(st::action_malformed, url, "no actions list");
    for (const json& action : *list) {
      const bool created = string_or_empty(action, "action") == action::created;
      if (created && string_or_empty(action, "digitalSourceType").empty()) {
        add_failure(st::action_malformed, url, "c2pa.created without a digitalSourceType");
      }
    }
  }

  void check_hard_binding(const Manifest& m) {
    std::vector<const jumbf::ParsedSuperbox*> bindings;
    if (m.assertions) {
      for (const auto* a : m.assertions->superboxes()) {
        const std::string_view base = std::string_view(a->label).substr(0, a->label.find(uri::instance_separator));
        if (base == assertion::hash_data || base == assertion::hash_boxes || base == assertion::hash_bmff_v2 ||
            base == assertion::hash_bmff_v3 || base == "c2pa.hash.bmff") {
          bindings.push_back(a);
        }
      }
    }
    if (bindings.empty()) return add_failure(st::claim_hard_bindings_missing, m.self_url(), "no hard binding");
    if (bindings.size() > 1) return add_failure(st::multiple_hard_bindings, m.self_url(), "more than one hard binding");
    const auto& box = *bindings.front();
    const std::string url = absolute_url(m, box);
    if (!box.label.starts_with(assertion::hash_data)) {
      return add_failure(st::algorithm_unsupported, url, "only c2pa.hash.data bindings are checked: " + box.label);
    }
    json value;
    std::vector<ByteRange> exclusions;
    std::string alg = m.claim.contains("alg") ? string_or_empty(m.claim, "alg") : std::string(alg::sha256);
    try {
      const auto bytes = cbor_payload(box);
      if (!bytes) fail(Errc::malformed_input, "no cbor box");
      value = cbor::from_cbor(*bytes, ignore_tags);
      if (value.contains("alg")) alg = value.at("alg").get<std::string>();
      const auto& hash = value.at("hash");
      if (!hash.is_binary()) fail(Errc::malformed_input, "hash is not a bstr");
      if (value.contains("exclusions")) {
        for (const json& ex : value.at("exclusions")) {
          exclusions.push_back({ex.at("start").get<std::size_t>(), ex.at("length").get<std::size_t>()});
        }
      }
    } catch (const std::exception& e) {  // Error or nlohmann's type/out_of_range errors
      return add_failure(st::data_hash_malformed, url, e.what());
    }
    if (!is_hash_alg(alg)) return add_failure(st::algorithm_unsupported, url, "unsupported hash: " + alg);
    std::sort(exclusions.begin(), exclusions.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.start < b.start; });
    const auto& expected = value.at("hash").get_binary();
    try {
      const auto digest = hash_excluding(asset_, exclusions, alg);
      if (std::equal(digest.begin(), digest.end(), expected.begin(), expected.end())) {
        return add_success(st::data_hash_match, url, "data hash valid");
      }
    } catch (const Error& e) {
      return add_failure(st::data_hash_mismatch, url, std::string("asset hash error: ") + e.what());
    }
    add_failure(st::data_hash_mismatch, url, "asset hash error, name: " + string_or_empty(value, "name"));
  }

  ManifestReport& report_;
  Span asset_;
  const TrustAnchors* anchors_;
  std::chrono::system_clock::time_point at_;
};

void summarize_assertion(const jumbf::ParsedSuperbox& box, ManifestSummary& summary) {
  const std::string_view base = std::string_view(box.label).substr(0, box.label.find(uri::instance_separator));
  const bool actions = base == assertion::actions_v2 || base == assertion::actions_v1;
  if (!actions && base != assertion::soft_binding) return;
  json value;
  try {
    const auto bytes = cbor_payload(box);
    if (!bytes) return;
    value = cbor::from_cbor(*bytes, ignore_tags);
  } catch (const Error&) {
    return;  // reported by the checks where c2pa-rs reports it
  }
  if (!value.is_object()) return;
  if (actions) {
    const auto list = value.find("actions");
    if (list == value.end() || !list->is_array()) return;
    for (const json& action : *list) {
      summary.actions.push_back(string_or_empty(action, "action"));
      const std::string type = string_or_empty(action, "digitalSourceType");
      if (summary.digital_source_type.empty()) summary.digital_source_type = type;
    }
    return;
  }
  const auto blocks = value.find("blocks");
  if (blocks == value.end() || !blocks->is_array()) return;
  for (const json& block : *blocks) {
    if (block.is_object() && block.contains("value")) {
      summary.soft_bindings.push_back({string_or_empty(value, "alg"), to_bytes(block.at("value"))});
    }
  }
}

ManifestSummary summarize(const Manifest& m) {
  ManifestSummary summary;
  summary.label = m.box->label;
  if (m.claim_box) summary.claim_version = m.claim_box->label == box_label::claim_v2 ? 2 : 1;
  summary.claim_generator = string_or_empty(m.claim, "claim_generator");
  if (summary.claim_generator.empty() && m.claim.contains("claim_generator_info")) {
    const json& info = m.claim.at("claim_generator_info");
    summary.claim_generator = string_or_empty(info.is_array() && !info.empty() ? info.front() : info, "name");
  }
  if (m.assertions) {
    for (const auto* a : m.assertions->superboxes()) {
      summary.assertions.push_back(a->label);
      summarize_assertion(*a, summary);
    }
  }
  if (m.signature.cose) summary.signature_alg = alg_name(m.signature.cose->alg);
  if (!m.signature.chain.empty()) {
    summary.signature_issuer = subject_field(m.signature.chain.front().get(), NID_organizationName);
    summary.signature_common_name = subject_field(m.signature.chain.front().get(), NID_commonName);
  }
  // As c2pa-rs's signature_info.time: the genTime of a token that verifies, whoever the TSA.
  if (m.signature.time_stamp.time) summary.signature_time = rfc3339(*m.signature.time_stamp.time);
  return summary;
}

ValidationState state_of(const ManifestReport& report) {
  const bool only_untrusted = std::all_of(report.failure.begin(), report.failure.end(), [](const ValidationStatus& s) {
    return s.code == st::signing_credential_untrusted;
  });
  if (!only_untrusted) return ValidationState::invalid;
  const bool trusted = std::any_of(report.success.begin(), report.success.end(), [](const ValidationStatus& s) {
    return s.code == st::signing_credential_trusted;
  });
  return report.failure.empty() && trusted ? ValidationState::trusted : ValidationState::valid;
}

}  // namespace

ManifestReport validate_store(Span store, Span asset, const TrustAnchors* anchors,
                              std::chrono::system_clock::time_point at) {
  ManifestReport report;
  report.has_manifest = true;
  jumbf::ParsedSuperbox root;
  try {
    root = jumbf::parse_superbox(store);
    if (root.type != uuids::store) fail(Errc::malformed_input, "not a C2PA manifest store");
  } catch (const Error& e) {
    report.failure.push_back({std::string(st::general_error), "self#jumbf=/c2pa", e.what()});
    return report;
  }
  std::vector<Manifest> manifests;
  for (const auto* box : root.superboxes())
    if (is_manifest(*box)) manifests.push_back(read_manifest(*box));
  if (manifests.empty()) {
    report.failure.push_back({std::string(st::claim_missing), "self#jumbf=/c2pa", "the store has no manifest"});
    return report;
  }
  for (const auto& m : manifests) report.manifests.push_back(summarize(m));
  const Manifest& active = manifests.back();
  report.active_manifest = active.box->label;
  // An update manifest has no hard binding of its own: the last standard manifest before it binds the asset.
  const Manifest* binding = nullptr;
  for (auto it = manifests.rbegin(); it != manifests.rend() && !binding; ++it)
    if (it->box->type != uuids::update_manifest) binding = &*it;
  Validator(report, asset, anchors, at).validate(active, binding);
  report.state = state_of(report);
  return report;
}

}  // namespace provmark::c2pa
