// SPDX-License-Identifier: Apache-2.0
#include "c2pa/validate.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>

#include "c2pa/asset.hpp"
#include "c2pa/asset_media.hpp"
#include "c2pa/cawg.hpp"
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

// string_or_empty for CBOR read in place.
std::string_view text_field(const cbor::Item& map, std::string_view key) {
  const auto value = map.find(key);
  return value ? value->text() : std::string_view{};
}

std::vector<std::uint8_t> to_bytes(const cbor::Item& value) {
  if (value.is_bytes()) return {value.bytes().begin(), value.bytes().end()};
  const std::string_view text = value.text();
  return {text.begin(), text.end()};
}

// The manifest's claim signature, read once for the summary and the checks (as the active manifest or as an
// ingredient's, which c2pa-rs checks the same way, time-stamp included): OpenSSL 3 decodes certificates slowly, so
// each one is decoded once per validation.
struct Signature {
  std::optional<CoseSign1> cose;
  std::string cose_error;    // why `cose` is missing (no box, no cbor, parse failure)
  CertificateChain chain;    // the decoded x5chain, end-entity first; empty when chain_error is set
  std::string chain_error;
  TimeStampCheck time_stamp;  // checked up to timeStamp.validated (the TSA's trust needs the anchors)
};

// Which list a status goes in.
enum class Kind { success = 0, informational = 1, failure = 2 };

// A status as logged, before it is sorted into the active manifest's lists or an ingredient's deltas.
struct Logged {
  Kind kind = Kind::failure;
  ValidationStatus status;
  std::string ingredient_uri;  // the ingredient assertion whose check logged it; empty: the active manifest
};

std::vector<ValidationStatus>& list_of(Kind kind, std::vector<ValidationStatus>& success,
                                       std::vector<ValidationStatus>& informational,
                                       std::vector<ValidationStatus>& failure) {
  return kind == Kind::success ? success : kind == Kind::informational ? informational : failure;
}

// The kind of a recorded code without one (legacy validationStatus lists; c2pa-rs `log_kind`).
Kind kind_of(std::string_view code) {
  static constexpr std::string_view success[] = {
      st::claim_signature_validated, st::claim_signature_inside_validity, st::signing_credential_trusted,
      st::ocsp_not_revoked, st::time_stamp_validated, st::time_stamp_trusted, st::hashed_uri_match,
      st::data_hash_match, st::bmff_hash_match, st::boxes_hash_match, st::ingredient_manifest_validated,
      st::ingredient_claim_signature_validated};
  static constexpr std::string_view informational[] = {
      st::time_stamp_untrusted, st::time_stamp_mismatch, st::time_stamp_malformed, st::time_stamp_outside_validity,
      st::ocsp_skipped, st::ocsp_inaccessible, st::time_of_signing_inside_validity,
      st::time_of_signing_outside_validity, st::data_hash_additional_exclusions, st::bmff_hash_additional_exclusions,
      st::ingredient_unknown_provenance, st::manifest_unknown_provenance, st::algorithm_deprecated};
  if (std::find(std::begin(success), std::end(success), code) != std::end(success)) return Kind::success;
  if (std::find(std::begin(informational), std::end(informational), code) != std::end(informational))
    return Kind::informational;
  return Kind::failure;
}

// One ingredient assertion (c2pa.ingredient, .v2, .v3), read as c2pa-rs's Ingredient::from_assertion reads it.
struct Ingredient {
  const jumbf::ParsedSuperbox* box = nullptr;
  bool readable = false;  // a map, with a well-formed manifest reference if it has one
  int version = 1;
  IngredientSummary summary;
  std::string manifest_url;  // activeManifest (v3) or c2pa_manifest (v1, v2); empty: no provenance
  std::vector<std::uint8_t> manifest_hash;
  std::string manifest_alg;  // of that hashed URI; empty: the ingredient claim's alg
  bool has_validation_results = false;
  bool has_digital_source_type = false;
  std::vector<Logged> recorded;  // what it recorded, every list flattened, urls absolute (c2pa-rs `get_statuses`)
};

// One manifest of the store, with the parts every check needs.
struct Manifest {
  const jumbf::ParsedSuperbox* box = nullptr;
  const jumbf::ParsedSuperbox* claim_box = nullptr;
  const jumbf::ParsedSuperbox* assertions = nullptr;
  Span claim_bytes;
  std::optional<cbor::Document> claim;  // when the claim is a CBOR map
  int claim_boxes = 0;
  std::vector<Ingredient> ingredients;
  Signature signature;
  // Assertions decoded once for the summary and the checks (actions, soft bindings): box -> value, or the error.
  struct Decoded {
    std::optional<cbor::Document> value;  // set when error is empty
    std::string error;
  };
  mutable std::map<const jumbf::ParsedSuperbox*, Decoded> decoded;
  const Decoded& decode(const jumbf::ParsedSuperbox& assertion) const {
    const auto [it, added] = decoded.try_emplace(&assertion);
    if (!added) return it->second;
    try {
      const auto bytes = cbor_payload(assertion);
      if (!bytes) fail(Errc::malformed_input, "no cbor box");
      it->second.value.emplace(*bytes);
    } catch (const Error& e) {
      it->second.error = e.what();
    }
    return it->second;
  }
  std::string self_url() const { return "self#jumbf=/c2pa/" + box->label; }
  bool is_update() const { return box->type == uuids::update_manifest; }
  std::string claim_alg() const {
    const auto alg = claim ? claim->root().find("alg") : std::nullopt;
    return alg ? std::string(alg->text()) : std::string(alg::sha256);
  }
  // c2pa-rs checks the TSA's trust for claim v2 only (claim.rs verify_claim).
  bool legacy_claim() const { return claim_box && claim_box->label == box_label::claim_v1; }
};

std::string absolute_url(const Manifest& m, const jumbf::ParsedSuperbox& assertion) {
  return m.self_url() + "/" + std::string(box_label::assertions) + "/" + assertion.label;
}

std::string_view base_label(std::string_view label) { return label.substr(0, label.find(uri::instance_separator)); }

// 3 for c2pa.ingredient.v3, 2 for .v2, 1 for c2pa.ingredient; 0 for anything else.
int ingredient_version(std::string_view label) {
  const std::string_view base = base_label(label);
  if (base == assertion::ingredient_v3) return 3;
  if (base == "c2pa.ingredient.v2") return 2;
  return base == "c2pa.ingredient" ? 1 : 0;
}

// The manifest label in a JUMBF URI ("self#jumbf=/c2pa/<label>/..."), or the URI itself when it names none
// (c2pa-rs `manifest_label_from_path`).
std::string manifest_label_of(std::string_view url) {
  std::string_view rest = url;
  if (rest.starts_with(uri::self_prefix)) rest.remove_prefix(uri::self_prefix.size());
  if (!rest.starts_with("/c2pa/")) return std::string(url);
  rest.remove_prefix(6);
  return std::string(rest.substr(0, rest.find('/')));
}

// c2pa-rs `make_absolute`: a relative "self#jumbf=..." URL recorded by an ingredient is taken as relative to the
// ingredient's manifest.
std::string make_absolute(const std::string& url, const std::string& manifest_label) {
  if (manifest_label.empty() || !url.starts_with(uri::self_prefix) || url.size() == uri::self_prefix.size() ||
      url[uri::self_prefix.size()] == '/')
    return url;
  return "self#jumbf=/c2pa/" + manifest_label + "/" + url.substr(uri::self_prefix.size());
}

// A recorded status list ([{code, url, explanation}]) into the ingredient's pool (urls made absolute) and, when
// `own`, into its summary as recorded. `kind` null: each code's own kind.
void read_statuses(const json& list, const Kind* kind, bool own, Ingredient& ingredient) {
  if (!list.is_array()) return;
  IngredientSummary& s = ingredient.summary;
  for (const json& entry : list) {
    const std::string code = string_or_empty(entry, "code");
    if (code.empty()) continue;
    ValidationStatus status{code, string_or_empty(entry, "url"), string_or_empty(entry, "explanation")};
    const Kind k = kind ? *kind : kind_of(code);
    if (own) list_of(k, s.success, s.informational, s.failure).push_back(status);
    status.url = make_absolute(status.url, s.active_manifest);
    ingredient.recorded.push_back({k, std::move(status), {}});
  }
}

// {success, informational, failure} lists, as in validationResults.activeManifest and ingredientDeltas.
void read_status_codes(const json& codes, bool own, Ingredient& ingredient) {
  static constexpr Kind kinds[] = {Kind::success, Kind::informational, Kind::failure};
  static constexpr const char* keys[] = {"success", "informational", "failure"};
  if (!codes.is_object()) return;
  for (int i = 0; i < 3; ++i)
    if (codes.contains(keys[i])) read_statuses(codes.at(keys[i]), &kinds[i], own, ingredient);
}

void read_ingredient_fields(const json& value, Ingredient& ingredient) {
  IngredientSummary& s = ingredient.summary;
  s.title = string_or_empty(value, "dc:title");
  s.format = string_or_empty(value, "dc:format");
  s.relationship = value.contains("relationship") ? string_or_empty(value, "relationship") : "componentOf";
  ingredient.has_digital_source_type = value.contains("digitalSourceType");
  for (const char* key : {"activeManifest", "c2pa_manifest"}) {
    const auto ref = value.find(key);
    if (ref == value.end()) continue;
    const std::string url = string_or_empty(*ref, "url");
    const auto hash = ref->is_object() ? ref->find("hash") : ref->end();
    if (url.empty() || hash == ref->end() || !hash->is_binary()) return;  // unreadable hashed URI
    ingredient.manifest_url = url;
    ingredient.manifest_hash = to_bytes(*hash);
    ingredient.manifest_alg = string_or_empty(*ref, "alg");
    s.active_manifest = manifest_label_of(url);
    break;
  }
  const auto results = value.find("validationResults");
  if (results != value.end() && results->is_object()) {
    ingredient.has_validation_results = true;
    if (results->contains("activeManifest")) read_status_codes(results->at("activeManifest"), true, ingredient);
    // The deltas it recorded join the pool (c2pa-rs flattens them) but are not the ingredient's own results.
    const auto deltas = results->find("ingredientDeltas");
    if (deltas != results->end() && deltas->is_array()) {
      for (const json& delta : *deltas)
        if (delta.is_object() && delta.contains("validationDeltas"))
          read_status_codes(delta.at("validationDeltas"), false, ingredient);
    }
  } else if (value.contains("validationStatus")) {
    read_statuses(value.at("validationStatus"), nullptr, true, ingredient);
  }
  ingredient.readable = true;
}

Ingredient read_ingredient(const jumbf::ParsedSuperbox& box, int version) {
  Ingredient ingredient;
  ingredient.box = &box;
  ingredient.version = version;
  ingredient.summary.label = box.label;
  try {
    const auto boxes = box.content_boxes();
    if (boxes.empty()) return ingredient;
    json value;
    if (boxes.front()->type == box_type::cbor) {
      value = cbor::from_cbor(boxes.front()->data, ignore_tags);
    } else if (boxes.front()->type == box_type::json) {
      value = json::parse(boxes.front()->data.begin(), boxes.front()->data.end(), nullptr, false);
    }
    if (value.is_object()) read_ingredient_fields(value, ingredient);
  } catch (const Error&) {
  }
  return ingredient;
}

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
        cbor::Document claim(*bytes);
        if (claim.root().is_map()) m.claim = std::move(claim);
      } catch (const Error&) {
      }
    }
  }
  if (m.assertions) {
    for (const auto* assertion : m.assertions->superboxes())
      if (const int version = ingredient_version(assertion->label))
        m.ingredients.push_back(read_ingredient(*assertion, version));
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
  // "c2pa/..." without the leading slash is absolute too, as c2pa-rs reads it (dashinit.mp4 has such URIs).
  if (url.starts_with("/c2pa/") || url.starts_with("c2pa/")) {
    url.remove_prefix(url.find('/', 1) + 1);
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

bool is_hard_binding(std::string_view label) {
  const std::string_view base = base_label(label);
  return base == assertion::hash_data || base == assertion::hash_boxes || base == assertion::hash_bmff_v2 ||
         base == assertion::hash_bmff_v3 || base == assertion::hash_bmff_v1;
}

bool all_zero(Span bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// A c2pa.hash.data assertion.
struct DataHash {
  std::optional<std::string> alg;  // none: the claim's
  std::vector<std::uint8_t> hash;
  std::vector<ByteRange> exclusions;
  std::string name;
};

// The usual shape, read in place; nullopt for any other, which read_data_hash leaves to nlohmann's DOM.
std::optional<DataHash> plain_data_hash(const cbor::Item& value) {
  const auto alg = value.find("alg");
  const auto hash = value.find("hash");
  const auto exclusions = value.find("exclusions");
  if ((alg && !alg->is_text()) || !hash || !hash->is_bytes() || (exclusions && !exclusions->is_array()))
    return std::nullopt;
  DataHash out;
  if (alg) out.alg.emplace(alg->text());
  out.hash = to_bytes(*hash);
  if (exclusions) {
    for (const cbor::Item& ex : exclusions->elements()) {
      const auto start = ex.find("start");
      const auto length = ex.find("length");
      const auto is_size = [](const std::optional<cbor::Item>& n) {
        return n && n->type() == cbor::Item::Type::unsigned_int;
      };
      if (!is_size(start) || !is_size(length)) return std::nullopt;
      out.exclusions.push_back({start->argument(), length->argument()});
    }
  }
  out.name = text_field(value, "name");
  return out;
}

// Throws what reading it through nlohmann's DOM always threw (its type and out_of_range errors are the
// explanations of data_hash.malformed).
DataHash read_data_hash(Span bytes) {
  if (auto plain = plain_data_hash(cbor::Document(bytes).root())) return std::move(*plain);
  const json value = cbor::from_cbor(bytes, ignore_tags);
  DataHash out;
  if (value.contains("alg")) out.alg = value.at("alg").get<std::string>();
  const auto& hash = value.at("hash");
  if (!hash.is_binary()) fail(Errc::malformed_input, "hash is not a bstr");
  out.hash = to_bytes(hash);
  if (value.contains("exclusions")) {
    for (const json& ex : value.at("exclusions")) {
      out.exclusions.push_back({ex.at("start").get<std::size_t>(), ex.at("length").get<std::size_t>()});
    }
  }
  out.name = string_or_empty(value, "name");
  return out;
}

// c2pa-rs's MAX_INGREDIENT_DEPTH: a bound on the ingredient chain, so hostile stores cannot exhaust the stack.
constexpr int max_ingredient_depth = 200;
// A manifest named by many ingredients is reported once per ingredient: a bound on the statuses of one report so
// a hostile store cannot multiply them without end. Real stores log tens per manifest.
constexpr std::size_t max_statuses = 100'000;

// Runs the checks in c2pa-rs's order (brief §9.1) and logs every status with the ingredient it belongs to.
class Validator {
 public:
  Validator(const std::vector<Manifest>& manifests, Span asset, std::optional<ByteRange> store_range,
            const TrustAnchors* anchors, const TrustAnchors* identity_anchors, std::chrono::system_clock::time_point at)
      : manifests_(manifests), asset_(asset), store_range_(store_range), anchors_(anchors),
        identity_anchors_(identity_anchors), at_(at) {
    for (const Manifest& m : manifests_) by_label_[m.box->label] = &m;  // a repeated label: the last one
  }

  std::vector<Logged> run(const Manifest& active) {
    std::vector<const Manifest*> path;
    std::set<const Manifest*> seen;
    referenced_manifests(active, path, seen);
    if (!verify_claim(active)) return std::move(log_);
    std::set<const Manifest*> visited{&active};
    ingredient_checks(active, 0, visited);
    if (const Manifest* binding = binding_manifest(active, 0)) {
      check_hard_binding(*binding, active.is_update());
    } else {
      add_failure(st::claim_hard_bindings_missing, active.self_url(), "could not find manifest with hard binding");
    }
    check_identities(active);
    if (truncated_) {
      log_.push_back({Kind::failure, {std::string(st::general_error), active.self_url(),
                                      "validation stopped after " + std::to_string(max_statuses) + " statuses"}, {}});
    }
    return std::move(log_);
  }

 private:
  void add(Kind kind, std::string_view code, std::string url, std::string explanation) {
    if (log_.size() >= max_statuses) {
      truncated_ = true;
      return;
    }
    log_.push_back({kind, {std::string(code), std::move(url), std::move(explanation)},
                    ingredient_uris_.empty() ? std::string() : ingredient_uris_.back()});
  }
  void add_success(std::string_view code, std::string url, std::string why) { add(Kind::success, code, url, why); }
  void add_info(std::string_view code, std::string url, std::string why) { add(Kind::informational, code, url, why); }
  void add_failure(std::string_view code, std::string url, std::string why) { add(Kind::failure, code, url, why); }

  const Manifest* find(const std::string& label) const {
    const auto it = by_label_.find(label);
    return it == by_label_.end() ? nullptr : it->second;
  }

  // c2pa-rs `get_claim_referenced_manifests`: every manifest the ingredients name must be in the store; a
  // missing one is a failure of the active manifest itself.
  void referenced_manifests(const Manifest& m, std::vector<const Manifest*>& path, std::set<const Manifest*>& seen) {
    if (!seen.insert(&m).second || path.size() >= max_ingredient_depth) return;
    path.push_back(&m);
    for (const Ingredient& ingredient : m.ingredients) {
      if (ingredient.manifest_url.empty()) continue;
      const std::string label = manifest_label_of(ingredient.manifest_url);
      const Manifest* target = find(label);
      if (!target) {
        add_failure(st::ingredient_manifest_missing, label, "ingredient manifest missing");
      } else if (std::find(path.begin(), path.end(), target) != path.end()) {
        add_failure(st::ingredient_malformed, absolute_url(m, *ingredient.box), "ingredient cannot be cyclic");
      } else {
        referenced_manifests(*target, path, seen);
      }
    }
    path.pop_back();
  }

  // c2pa-rs `get_hash_binding_manifest`: a manifest's own hard binding, or for an update manifest its parent's.
  const Manifest* binding_manifest(const Manifest& m, int depth) const {
    if (m.assertions) {
      for (const auto* a : m.assertions->superboxes())
        if (is_hard_binding(a->label)) return &m;
    }
    if (!m.is_update() || depth >= max_ingredient_depth) return nullptr;
    for (const Ingredient& ingredient : m.ingredients) {
      if (ingredient.summary.relationship != "parentOf" || ingredient.manifest_url.empty()) continue;
      const Manifest* parent = find(manifest_label_of(ingredient.manifest_url));
      return parent && parent != &m ? binding_manifest(*parent, depth + 1) : nullptr;
    }
    return nullptr;
  }

  // The claim, its signature and its hashed URIs (c2pa-rs `verify_claim`). False when there is no usable claim.
  // An ingredient's manifest may be named by many ingredients: it is checked once and its results re-logged.
  bool verify_claim(const Manifest& m) {
    if (!ingredient_uris_.empty()) {
      if (const auto cached = claim_results_.find(&m); cached != claim_results_.end()) {
        for (const Logged& l : cached->second.log) add(l.kind, l.status.code, l.status.url, l.status.explanation);
        return cached->second.usable;
      }
    }
    const std::size_t first = log_.size();
    const bool usable = verify_claim_uncached(m);
    if (!ingredient_uris_.empty()) {
      claim_results_[&m] = {usable, {log_.begin() + static_cast<std::ptrdiff_t>(first), log_.end()}};
    }
    return usable;
  }

  bool verify_claim_uncached(const Manifest& m) {
    const std::string url = m.self_url();
    if (m.box->type == uuids::compressed_manifest) {
      add_failure(st::manifest_compressed_invalid, url, "compressed manifests are not supported");
      return false;
    }
    if (m.claim_boxes == 0) return add_failure(st::claim_missing, url, "no claim box"), false;
    if (m.claim_boxes > 1) return add_failure(st::claim_multiple, url, "more than one claim box"), false;
    if (!m.claim) return add_failure(st::claim_cbor_invalid, url, "the claim is not a CBOR map"), false;
    check_signature(m);
    check_assertions(m);
    return true;
  }

  // c2pa-rs `ingredient_checks`: each ingredient's manifest hash, then its claim, recursively. Results are
  // logged against the ingredient assertion (they become ingredient deltas).
  void ingredient_checks(const Manifest& m, int depth, std::set<const Manifest*>& visited) {
    if (depth >= max_ingredient_depth) {
      return add_failure(st::general_error, m.self_url(), "ingredient chain deeper than " +
                                                               std::to_string(max_ingredient_depth));
    }
    for (const Ingredient& ingredient : m.ingredients) {
      if (truncated_) return;
      const auto content = ingredient.box->content_boxes();
      if (!content.empty() && all_zero(content.front()->data)) continue;  // redacted
      const std::string assertion_uri = absolute_url(m, *ingredient.box);
      if (!ingredient.readable) {
        add_failure(st::ingredient_malformed, assertion_uri, "ingredient assertion could not be parsed");
        continue;
      }
      if (!ingredient.manifest_url.empty() && ingredient.has_digital_source_type) {
        add_failure(st::ingredient_malformed, assertion_uri,
                    "ingredient assertion cannot have both activeManifest and digitalSourceType");
      }
      ingredient_uris_.push_back(assertion_uri);
      if (!ingredient.manifest_url.empty()) {
        check_ingredient_manifest(ingredient, assertion_uri, depth, visited);
      } else if (ingredient.summary.relationship != "inputTo") {
        const std::string title = ingredient.summary.title.empty() ? "no title" : ingredient.summary.title;
        add_info(st::ingredient_unknown_provenance, assertion_uri, title + ": ingredient does not have provenance");
      }
      ingredient_uris_.pop_back();
    }
  }

  void check_ingredient_manifest(const Ingredient& ingredient, const std::string& assertion_uri, int depth,
                                 std::set<const Manifest*>& visited) {
    if (ingredient.version >= 3 && !ingredient.has_validation_results) {
      add_failure(st::ingredient_malformed, assertion_uri, "ingredient V3 must have validation results");
    }
    const std::string label = manifest_label_of(ingredient.manifest_url);
    const Manifest* target = find(label);
    if (!target) return add_failure(st::ingredient_manifest_missing, label, "ingredient not found");
    const std::string alg = ingredient.manifest_alg.empty() ? target->claim_alg() : ingredient.manifest_alg;
    // The manifest superbox without its header (C2PA 1.3+); before that, the claim bytes (c2pa-rs's legacy rule,
    // which logs no success for it).
    bool legacy = false, matched = false;
    if (is_hash_alg(alg)) {
      const auto& expected = ingredient.manifest_hash;
      const auto box_hash = hash_excluding(target->box->payload, {}, alg);
      matched = box_hash == expected;
      if (!matched) {
        legacy = true;
        matched = hash_excluding(target->claim_bytes, {}, alg) == expected;
      }
    }
    const std::string& url = ingredient.manifest_url;
    if (matched && !legacy) add_success(st::ingredient_manifest_validated, url, "ingredient hash matched");
    if (!matched) add_failure(st::ingredient_manifest_mismatch, url, "ingredient hash incorrect");
    if (!verify_claim(*target)) return;
    if (visited.insert(target).second) ingredient_checks(*target, depth + 1, visited);
  }

  void check_signature(const Manifest& m) {
    const std::string signature_url = m.self_url() + "/" + std::string(box_label::signature);
    const std::string reference(text_field(m.claim->root(), "signature"));
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
    const std::string claim_alg = m.claim_alg();
    std::set<const jumbf::ParsedSuperbox*> referenced;
    for (const char* key : {"created_assertions", "gathered_assertions", "assertions"}) {
      const auto list = m.claim->root().find(key);
      if (!list) continue;
      if (!list->is_array()) {
        add_failure(st::claim_malformed, m.self_url(), std::string(key) + " is not an array");
        continue;
      }
      for (const cbor::Item& hashed_uri : list->elements()) check_hashed_uri(m, hashed_uri, claim_alg, referenced);
    }
    if (!m.assertions) return;
    for (const auto* assertion : m.assertions->superboxes()) {
      if (!referenced.contains(assertion)) {
        add_failure(st::assertion_undeclared, absolute_url(m, *assertion), "assertion not referenced by the claim");
      }
    }
  }

  void check_hashed_uri(const Manifest& m, const cbor::Item& hashed_uri, const std::string& claim_alg,
                        std::set<const jumbf::ParsedSuperbox*>& referenced) {
    const std::string url(text_field(hashed_uri, "url"));
    const auto hash = hashed_uri.find("hash");
    if (url.empty() || !hash || !hash->is_bytes()) {
      return add_failure(st::claim_malformed, m.self_url(), "hashed URI without url or hash");
    }
    bool outside = false;
    const jumbf::ParsedSuperbox* box = resolve(m, url, outside);
    if (outside) return add_failure(st::assertion_outside_manifest, url, "assertion outside the manifest: " + url);
    if (!box) return add_failure(st::assertion_missing, url, "assertion missing: " + url);
    referenced.insert(box);
    const auto alg_field = hashed_uri.find("alg");
    const std::string alg = alg_field ? std::string(alg_field->text()) : claim_alg;
    const std::string report_url = absolute_url(m, *box);
    if (!is_hash_alg(alg)) return add_failure(st::algorithm_unsupported, report_url, "unsupported hash: " + alg);
    const auto digest = hash_excluding(box->payload, {}, alg);
    const auto expected = hash->bytes();
    if (std::equal(digest.begin(), digest.end(), expected.begin(), expected.end())) {
      add_success(st::hashed_uri_match, report_url, "hashed uri matched: " + url);
    } else {
      add_failure(st::hashed_uri_mismatch, report_url, "hash does not match assertion data: " + url);
    }
    if (box->label == assertion::actions_v2) check_actions(m, box, report_url);
  }

  // c2pa-rs's action rules that provmark's manifests depend on: c2pa.created needs a digitalSourceType, and
  // c2pa.opened / placed / removed name ingredient assertions of the same manifest (v2 claims).
  void check_actions(const Manifest& m, const jumbf::ParsedSuperbox* box, const std::string& url) {
    const Manifest::Decoded& decoded = m.decode(*box);
    if (!decoded.error.empty()) return add_failure(st::assertion_cbor_invalid, url, decoded.error);
    const auto list = decoded.value->root().find("actions");
    if (!list || !list->is_array()) return add_failure(st::action_malformed, url, "no actions list");
    for (const cbor::Item& action : list->elements()) {
      const std::string name(text_field(action, "action"));
      if (name == action::created && text_field(action, "digitalSourceType").empty()) {
        add_failure(st::action_malformed, url, "c2pa.created without a digitalSourceType");
      }
      const bool needs_ingredient = name == action::opened || name == "c2pa.placed" || name == "c2pa.removed";
      if (needs_ingredient && m.claim_box->label == box_label::claim_v2 && !names_ingredients(m, action)) {
        add_failure(st::action_ingredient_mismatch, url, name + " does not name an ingredient of this manifest");
      }
    }
  }

  static bool names_ingredients(const Manifest& m, const cbor::Item& action) {
    const auto parameters = action.find("parameters");
    if (!parameters || !parameters->is_map()) return false;
    const auto list = parameters->find("ingredients");
    if (!list || !list->is_array() || list->argument() == 0) return false;
    const std::vector<cbor::Item> ingredients = list->elements();
    return std::all_of(ingredients.begin(), ingredients.end(), [&](const cbor::Item& hashed_uri) {
      bool outside = false;
      const jumbf::ParsedSuperbox* box = resolve(m, text_field(hashed_uri, "url"), outside);
      return box && ingredient_version(box->label) != 0;
    });
  }

  // `update`: the active manifest is an update manifest, so the store grew after `m`'s data hash was made; the
  // exclusion that starts where the store's container starts covers all of it.
  void check_hard_binding(const Manifest& m, bool update) {
    std::vector<const jumbf::ParsedSuperbox*> bindings;
    if (m.assertions) {
      for (const auto* a : m.assertions->superboxes())
        if (is_hard_binding(a->label)) bindings.push_back(a);
    }
    if (bindings.empty()) return add_failure(st::claim_hard_bindings_missing, m.self_url(), "no hard binding");
    if (bindings.size() > 1) return add_failure(st::multiple_hard_bindings, m.self_url(), "more than one hard binding");
    const auto& box = *bindings.front();
    const std::string url = absolute_url(m, box);
    const std::string_view base = base_label(box.label);
    if (base == assertion::hash_bmff_v2 || base == assertion::hash_bmff_v3 || base == assertion::hash_bmff_v1)
      return check_bmff_hash(m, box, url, base != assertion::hash_bmff_v1);
    if (base != assertion::hash_data) {
      return add_failure(st::algorithm_unsupported, url, "only data and BMFF v2/v3 bindings are checked: " + box.label);
    }
    DataHash data_hash;
    try {
      const auto bytes = cbor_payload(box);
      if (!bytes) fail(Errc::malformed_input, "no cbor box");
      data_hash = read_data_hash(*bytes);
    } catch (const std::exception& e) {  // Error or nlohmann's type/out_of_range errors
      return add_failure(st::data_hash_malformed, url, e.what());
    }
    const std::string alg = data_hash.alg ? *data_hash.alg : m.claim_alg();
    std::vector<ByteRange>& exclusions = data_hash.exclusions;
    if (!is_hash_alg(alg)) return add_failure(st::algorithm_unsupported, url, "unsupported hash: " + alg);
    if (update && store_range_) {
      for (ByteRange& ex : exclusions)
        if (ex.start == store_range_->start) ex.length = std::max(ex.length, store_range_->length);
    }
    std::sort(exclusions.begin(), exclusions.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.start < b.start; });
    const auto& expected = data_hash.hash;
    try {
      const auto digest = hash_excluding(asset_, exclusions, alg);
      if (std::equal(digest.begin(), digest.end(), expected.begin(), expected.end())) {
        return add_success(st::data_hash_match, url, "data hash valid");
      }
    } catch (const Error& e) {
      return add_failure(st::data_hash_mismatch, url, std::string("asset hash error: ") + e.what());
    }
    add_failure(st::data_hash_mismatch, url, "asset hash error, name: " + data_hash.name);
  }

  // c2pa.hash.bmff(.v2/.v3) with a flat hash (c2pa-rs BmffHash::verify_stream_hash without Merkle trees); v1
  // hashes no box offsets.
  void check_bmff_hash(const Manifest& m, const jumbf::ParsedSuperbox& box, const std::string& url, bool offsets) {
    std::vector<BmffExclusion> exclusions;
    std::string alg = m.claim_alg();
    json value;
    try {
      const auto bytes = cbor_payload(box);
      if (!bytes) fail(Errc::malformed_input, "no cbor box");
      value = cbor::from_cbor(*bytes, ignore_tags);
      if (value.contains("alg")) alg = value.at("alg").get<std::string>();
      if (!value.contains("merkle") && !value.at("hash").is_binary()) fail(Errc::malformed_input, "hash is not a bstr");
      for (const json& ex : value.at("exclusions")) exclusions.push_back(bmff_exclusion(ex));
    } catch (const std::exception& e) {  // Error or nlohmann's type/out_of_range errors
      return add_failure(st::bmff_hash_malformed, url, e.what());
    }
    if (!is_hash_alg(alg)) return add_failure(st::algorithm_unsupported, url, "unsupported hash: " + alg);
    const bool additional = std::any_of(exclusions.begin(), exclusions.end(), [](const BmffExclusion& ex) {
      return ex.xpath != "/uuid" && ex.xpath != "/ftyp" && ex.xpath != "/mfra";
    });
    if (additional) add_info(st::bmff_hash_additional_exclusions, url, "exclusions beyond /uuid, /ftyp and /mfra");
    if (value.contains("merkle")) {
      return add_failure(st::bmff_hash_mismatch, url, "Merkle-tree BMFF hashes (fragmented media) are not checked");
    }
    const auto& expected = value.at("hash").get_binary();
    try {
      const auto digest = bmff_hash(asset_, exclusions, alg, offsets);
      if (std::equal(digest.begin(), digest.end(), expected.begin(), expected.end())) {
        return add_success(st::bmff_hash_match, url, "BMFF hash valid");
      }
    } catch (const Error& e) {
      return add_failure(st::bmff_hash_mismatch, url, std::string("asset hash error: ") + e.what());
    }
    add_failure(st::bmff_hash_mismatch, url, "BMFF hash does not match the asset");
  }

  static BmffExclusion bmff_exclusion(const json& ex) {
    BmffExclusion out;
    out.xpath = ex.at("xpath").get<std::string>();
    if (ex.contains("length") && !ex.at("length").is_null()) out.length = ex.at("length").get<std::uint32_t>();
    if (ex.contains("version") && !ex.at("version").is_null()) out.version = ex.at("version").get<std::uint8_t>();
    if (ex.contains("exact") && !ex.at("exact").is_null()) out.exact = ex.at("exact").get<bool>();
    if (ex.contains("flags") && !ex.at("flags").is_null()) out.flags = to_bytes(ex.at("flags"));
    if (ex.contains("data") && !ex.at("data").is_null()) {
      for (const json& d : ex.at("data"))
        out.data.push_back({d.at("offset").get<std::uint32_t>(), to_bytes(d.at("value"))});
    }
    if (ex.contains("subset") && !ex.at("subset").is_null()) {
      for (const json& d : ex.at("subset"))
        out.subset.push_back({d.at("offset").get<std::uint32_t>(), d.at("length").get<std::uint32_t>()});
    }
    return out;
  }

  // CAWG identity assertions of the active manifest, after the C2PA checks (c2pa-rs runs them as a post-validation
  // step, on the active manifest).
  void check_identities(const Manifest& m) {
    if (!m.assertions) return;
    std::vector<ClaimReference> references;
    for (const char* key : {"created_assertions", "gathered_assertions", "assertions"}) {
      const auto list = m.claim ? m.claim->root().find(key) : std::nullopt;
      if (!list || !list->is_array()) continue;
      for (const cbor::Item& hashed_uri : list->elements()) {
        const auto hash = hashed_uri.find("hash");
        if (hash && hash->is_bytes())
          references.push_back({std::string(text_field(hashed_uri, "url")), to_bytes(*hash)});
      }
    }
    for (const auto* box : m.assertions->superboxes()) {
      if (!is_identity_assertion(box->label)) continue;
      const std::string url = absolute_url(m, *box);
      const auto bytes = cbor_payload(*box);
      if (!bytes) {
        add_failure(cawg_status::cbor_invalid, url, "identity assertion without a cbor box");
        continue;
      }
      IdentityCheck check = check_identity_assertion(*bytes, references, identity_anchors_, at_);
      for (const IdentityStatus& s : check.statuses) {
        const Kind kind = s.kind == IdentityStatus::Kind::success         ? Kind::success
                          : s.kind == IdentityStatus::Kind::informational ? Kind::informational
                                                                          : Kind::failure;
        add(kind, s.code, url, s.explanation);
      }
      check.summary.label = box->label;
      identities_.push_back(std::move(check.summary));
    }
  }

 public:
  std::vector<IdentitySummary> identities() { return std::move(identities_); }

 private:
  const std::vector<Manifest>& manifests_;
  std::map<std::string, const Manifest*> by_label_;
  Span asset_;
  std::optional<ByteRange> store_range_;
  const TrustAnchors* anchors_;
  const TrustAnchors* identity_anchors_;
  std::chrono::system_clock::time_point at_;
  std::vector<Logged> log_;
  std::vector<IdentitySummary> identities_;
  bool truncated_ = false;  // max_statuses reached
  std::vector<std::string> ingredient_uris_;  // the ingredient assertion being checked, innermost last
  struct ClaimResults {
    bool usable = false;
    std::vector<Logged> log;
  };
  std::map<const Manifest*, ClaimResults> claim_results_;
};

void summarize_assertion(const Manifest& m, const jumbf::ParsedSuperbox& box, ManifestSummary& summary) {
  const std::string_view base = base_label(box.label);
  const bool actions = base == assertion::actions_v2 || base == assertion::actions_v1;
  if (!actions && base != assertion::soft_binding) return;
  // A value that cannot be read is reported by the checks, where c2pa-rs reports it.
  const Manifest::Decoded& decoded = m.decode(box);
  if (!decoded.value || !decoded.value->root().is_map()) return;
  const cbor::Item& value = decoded.value->root();
  if (actions) {
    const auto list = value.find("actions");
    if (!list || !list->is_array()) return;
    for (const cbor::Item& action : list->elements()) {
      summary.actions.emplace_back(text_field(action, "action"));
      if (summary.digital_source_type.empty()) summary.digital_source_type = text_field(action, "digitalSourceType");
    }
    return;
  }
  const auto blocks = value.find("blocks");
  if (!blocks || !blocks->is_array()) return;
  for (const cbor::Item& block : blocks->elements()) {
    if (const auto block_value = block.find("value")) {
      summary.soft_bindings.push_back({std::string(text_field(value, "alg")), to_bytes(*block_value)});
    }
  }
}

ManifestSummary summarize(const Manifest& m) {
  ManifestSummary summary;
  summary.label = m.box->label;
  if (m.claim_box) summary.claim_version = m.claim_box->label == box_label::claim_v2 ? 2 : 1;
  if (m.claim) {
    const cbor::Item& claim = m.claim->root();
    summary.claim_generator = text_field(claim, "claim_generator");
    const auto info = summary.claim_generator.empty() ? claim.find("claim_generator_info") : std::nullopt;
    if (info) {
      const auto first = info->is_array() && info->argument() > 0 ? info->elements().front() : *info;
      summary.claim_generator = text_field(first, "name");
    }
  }
  if (m.assertions) {
    for (const auto* a : m.assertions->superboxes()) {
      summary.assertions.push_back(a->label);
      summarize_assertion(m, *a, summary);
    }
  }
  for (const Ingredient& ingredient : m.ingredients)
    if (ingredient.readable) summary.ingredients.push_back(ingredient.summary);
  if (m.signature.cose) summary.signature_alg = cose_alg_name(m.signature.cose->alg);
  if (!m.signature.chain.empty()) {
    summary.signature_issuer = certificate_subject(m.signature.chain.front().get(), NID_organizationName);
    summary.signature_common_name = certificate_subject(m.signature.chain.front().get(), NID_commonName);
  }
  // As c2pa-rs's signature_info.time: the genTime of a token that verifies, whoever the TSA.
  if (m.signature.time_stamp.time) summary.signature_time = rfc3339(*m.signature.time_stamp.time);
  return summary;
}

// c2pa-rs `ValidationResults::from_store`: statuses of the active manifest go in its lists; those logged for an
// ingredient go in that ingredient's deltas, unless an ingredient assertion of the store already recorded the
// same status (a known fact is not a delta).
void sort_into_report(std::vector<Logged> log, const std::vector<Manifest>& manifests, ManifestReport& report) {
  // c2pa-rs's status equality: kind, code and url, not the explanation.
  using Key = std::tuple<Kind, std::string_view, std::string_view>;
  std::set<Key> recorded;
  for (const Manifest& m : manifests)
    for (const Ingredient& ingredient : m.ingredients)
      for (const Logged& l : ingredient.recorded) recorded.emplace(l.kind, l.status.code, l.status.url);
  std::map<std::string, std::size_t> delta_index;
  for (Logged& l : log) {
    if (l.ingredient_uri.empty()) {
      list_of(l.kind, report.success, report.informational, report.failure).push_back(std::move(l.status));
      continue;
    }
    if (recorded.contains(Key{l.kind, l.status.code, l.status.url})) continue;
    const auto [at, added] = delta_index.emplace(l.ingredient_uri, report.ingredient_deltas.size());
    if (added) report.ingredient_deltas.push_back({l.ingredient_uri, {}, {}, {}});
    IngredientDelta& delta = report.ingredient_deltas[at->second];
    list_of(l.kind, delta.success, delta.informational, delta.failure).push_back(std::move(l.status));
  }
}

// As c2pa-rs 0.91.3 reports it: any failure but an untrusted signer (active or ingredient) or a CAWG identity
// finding (which concerns that identity, not the manifest) is Invalid; Trusted needs a trusted active signer and
// no failure at all.
ValidationState state_of(const ManifestReport& report) {
  const auto only_untrusted = [](const std::vector<ValidationStatus>& failures) {
    return std::all_of(failures.begin(), failures.end(), [](const ValidationStatus& s) {
      return s.code == st::signing_credential_untrusted || s.code.starts_with("cawg.identity.") ||
             s.code.starts_with("cawg.x509.");
    });
  };
  bool no_failures = report.failure.empty();
  if (!only_untrusted(report.failure)) return ValidationState::invalid;
  for (const IngredientDelta& delta : report.ingredient_deltas) {
    if (!only_untrusted(delta.failure)) return ValidationState::invalid;
    no_failures = no_failures && delta.failure.empty();
  }
  const bool trusted = std::any_of(report.success.begin(), report.success.end(), [](const ValidationStatus& s) {
    return s.code == st::signing_credential_trusted;
  });
  return no_failures && trusted ? ValidationState::trusted : ValidationState::valid;
}

}  // namespace

bool is_manifest(const jumbf::ParsedSuperbox& box) {
  return box.type == uuids::manifest || box.type == uuids::legacy_manifest || box.type == uuids::update_manifest ||
         box.type == uuids::compressed_manifest;
}

json status_codes_json(const std::vector<ValidationStatus>& success, const std::vector<ValidationStatus>& informational,
                       const std::vector<ValidationStatus>& failure) {
  const auto list = [](const std::vector<ValidationStatus>& statuses) {
    json out = json::array();
    for (const auto& s : statuses) out.push_back({{"code", s.code}, {"url", s.url}, {"explanation", s.explanation}});
    return out;
  };
  return {{"success", list(success)}, {"informational", list(informational)}, {"failure", list(failure)}};
}

json validation_results_json(const ManifestReport& report) {
  json out = {{"activeManifest", status_codes_json(report.success, report.informational, report.failure)}};
  if (report.ingredient_deltas.empty()) return out;
  json deltas = json::array();
  for (const auto& d : report.ingredient_deltas) {
    deltas.push_back({{"ingredientAssertionURI", d.ingredient_assertion_uri},
                      {"validationDeltas", status_codes_json(d.success, d.informational, d.failure)}});
  }
  out["ingredientDeltas"] = std::move(deltas);
  return out;
}

ManifestReport validate_store(Span store, Span asset, const TrustAnchors* anchors,
                              std::chrono::system_clock::time_point at, std::optional<ByteRange> store_range,
                              const TrustAnchors* identity_anchors) {
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
  Validator validator(manifests, asset, store_range, anchors, identity_anchors, at);
  sort_into_report(validator.run(active), manifests, report);
  report.manifests.back().identities = validator.identities();
  report.state = state_of(report);
  return report;
}

}  // namespace provmark::c2pa
