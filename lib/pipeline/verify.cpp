// SPDX-License-Identifier: Apache-2.0
// verify(): every piece of evidence a file carries, weighed as Measures Art. 6 asks (spec/verify-report-v1.md).
#include "provmark/verify.hpp"

#include <algorithm>

#include "core/fail.hpp"
#include "pipeline/media.hpp"
#include "pipeline/report_checks.hpp"
#include "provmark/manifest.hpp"
#include "watermark/file.hpp"

namespace provmark {
namespace {

bool is_ai_source_type(std::string_view uri) {
  return uri.ends_with("/trainedAlgorithmicMedia") || uri.ends_with("/compositeWithTrainedAlgorithmicMedia");
}

const ManifestSummary* active_summary(const ManifestReport& report) {
  for (const ManifestSummary& m : report.manifests)
    if (m.label == report.active_manifest) return &m;
  return nullptr;
}

using pipeline::bmff_hash_mismatch;
using pipeline::data_hash_mismatch;
using pipeline::has_failure;
using pipeline::untrusted_signer;

// The claim and its signature hold; the signer may be off the trust list and the bytes may have changed since.
bool signature_holds(const ManifestReport& report) {
  return report.has_manifest &&
         pipeline::failure_other_than(report, {untrusted_signer, data_hash_mismatch, bmff_hash_mismatch}) == nullptr;
}

// The hard binding (a data hash, or the BMFF hash of MP4/M4A) no longer matches the bytes.
bool changed_after_signing(const ManifestReport& report) {
  return has_failure(report, data_hash_mismatch) || has_failure(report, bmff_hash_mismatch);
}

std::optional<Payload> our_soft_binding(const ManifestReport& report, std::string_view alg) {
  const ManifestSummary* active = active_summary(report);
  if (active == nullptr) return std::nullopt;
  for (const auto& binding : active->soft_bindings)
    if (binding.alg == alg && binding.value.size() == Payload::size) {
      Payload p;
      std::copy(binding.value.begin(), binding.value.end(), p.bytes.begin());
      return p;
    }
  return std::nullopt;
}

// The file is decoded once for the whole keyring, and for images the search is shared by its keys.
std::optional<WatermarkEvidence> find_watermark(std::span<const std::uint8_t> encoded, bool image,
                                                const VerifyOptions& options) {
  if (image) {
    const Image pixels = wm::decode_for_detection(encoded, options.inspect.limits);
    std::vector<WatermarkKey> keys;  // the search is shared by all keys (detect_any)
    for (const KeyringEntry& entry : options.keyring) keys.push_back(entry.key);
    const KeyringDetectResult r = detect_any(pixels.view(), keys);
    if (!r.key_index) return std::nullopt;
    return WatermarkEvidence{options.keyring[*r.key_index].provider, r.result.payload, r.result.false_alarm_probability,
                             r.result, std::nullopt};
  }
  const Audio audio = decode_audio(encoded, options.inspect.limits).audio;
  for (const KeyringEntry& entry : options.keyring) {
    const AudioDetectResult r = detect(audio.view(), entry.key);
    if (r.found) return WatermarkEvidence{entry.provider, r.payload, r.false_alarm_probability, {}, r};
  }
  return std::nullopt;
}

void add(VerifyReport& report, std::string code, std::string explanation) {
  report.contradictions.push_back({std::move(code), std::move(explanation)});
}

// `watermark_searched`: a keyring was given.
void find_contradictions(VerifyReport& r, const std::optional<Payload>& manifest_payload, bool watermark_searched) {
  const bool has_aigc = !r.aigc_labels.empty();
  if (r.watermark && !r.manifest.has_manifest && !has_aigc)
    add(r, "metadata_stripped", "a watermark is present but the file carries neither a manifest nor an AIGC label");
  else if (r.watermark && !r.manifest.has_manifest)
    add(r, "manifest_stripped", "a watermark and an AIGC label are present but no C2PA manifest");
  if (has_aigc && !r.manifest.has_manifest && !r.watermark)
    add(r, "label_without_manifest", "an AIGC label is present without a manifest or a watermark to back it");
  if (changed_after_signing(r.manifest))
    add(r, "pixels_changed_after_signing", "the bytes the manifest signed were changed afterwards");
  if (const ValidationStatus* f =
          pipeline::failure_other_than(r.manifest, {untrusted_signer, data_hash_mismatch, bmff_hash_mismatch}))
    add(r, "manifest_invalid", "the manifest does not validate: " + f->code);
  if (manifest_payload && r.watermark && !(*manifest_payload == r.watermark->payload))
    add(r, "manifest_watermark_disagree",
        "the manifest's soft binding names payload " + manifest_payload->to_hex() + " but the watermark carries " +
            r.watermark->payload.to_hex());
  if (manifest_payload && !r.watermark && watermark_searched)
    add(r, "watermark_not_detected", "the manifest declares a watermark that no key in the keyring detects");
  if (r.manifest.has_manifest && !r.manifest_declares_ai && (r.watermark || has_aigc))
    add(r, "manifest_not_ai", "the manifest does not declare AI generation but other evidence does");
  if (r.aigc_labels.size() > 1)
    add(r, "multiple_aigc_labels",
        "GB 45438 §6.1 c) allows one AIGC label per file; found " + std::to_string(r.aigc_labels.size()));
  for (const FoundAigcLabel& found : r.aigc_labels)
    if (!found.problems.empty())
      add(r, "aigc_label_nonconforming", "the AIGC label in " + found.carrier + ": " + found.problems.front());
}

bool any_label(const VerifyReport& r, std::string_view value) {
  return std::any_of(r.aigc_labels.begin(), r.aigc_labels.end(), [&](const auto& f) { return f.label.label == value; });
}

// Art. 6: (1) the implicit label says AI -> confirmed; (2) declared by the user -> possibly; (3) traces only ->
// suspected. A valid signature over an AI claim and our own watermark are implicit labels in the Measures' sense.
void decide(VerifyReport& r, bool user_declared_ai) {
  if (r.manifest_declares_ai && signature_holds(r.manifest)) {
    r.verdict = Verdict::confirmed_ai;
    r.summary = std::string(r.manifest.state == ValidationState::trusted ? "a trusted" : "a validly signed") +
                " C2PA manifest declares AI generation" +
                (changed_after_signing(r.manifest) ? "; the file was changed after signing" : "");
  } else if (r.watermark) {
    r.verdict = Verdict::confirmed_ai;
    r.summary = "the watermark of " + r.watermark->provider + " was found (payload " + r.watermark->payload.to_hex() +
                ")" + (r.recovered_manifest ? "; its manifest was recovered from the store" : "");
  } else if (any_label(r, "1")) {
    r.verdict = Verdict::confirmed_ai;
    r.summary = "the AIGC metadata label says AI-generated (Label 1)";
  } else if (any_label(r, "2") || user_declared_ai) {
    r.verdict = Verdict::possibly_ai;
    r.summary = user_declared_ai ? "the uploader declared the content AI-generated"
                                 : "the AIGC metadata label says possibly AI-generated (Label 2)";
  } else if (any_label(r, "3") || r.manifest_declares_ai) {
    r.verdict = Verdict::suspected_ai;
    r.summary = r.manifest_declares_ai ? "an invalid C2PA manifest declares AI generation"
                                       : "the AIGC metadata label says suspected AI-generated (Label 3)";
  } else {
    r.verdict = Verdict::no_evidence;
    r.summary = r.manifest.has_manifest ? "a C2PA manifest is present but does not declare AI generation"
                                        : "no manifest, no AIGC label and no known watermark";
  }
}

}  // namespace

const char* verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::confirmed_ai:
      return "confirmed_ai";
    case Verdict::possibly_ai:
      return "possibly_ai";
    case Verdict::suspected_ai:
      return "suspected_ai";
    case Verdict::no_evidence:
      return "no_evidence";
  }
  return "unknown";
}

VerifyReport verify(std::span<const std::uint8_t> encoded, const VerifyOptions& options) {
  VerifyReport r;
  const pipeline::MediaKind kind = pipeline::identify_media(encoded);
  r.format = kind.media_type;
  if (kind.container) r.manifest = inspect(encoded, options.inspect);  // FLAC and Ogg cannot carry one
  if (const ManifestSummary* active = active_summary(r.manifest))
    r.manifest_declares_ai = is_ai_source_type(active->digital_source_type);
  r.aigc_labels = read_aigc_labels(encoded, options.inspect.limits);
  const bool watermark_searched = !options.keyring.empty();
  if (watermark_searched) r.watermark = find_watermark(encoded, kind.image, options);

  const std::optional<Payload> manifest_payload = our_soft_binding(r.manifest, pipeline::watermark_alg_of(r.format));
  const bool manifest_names_watermark = r.watermark && manifest_payload && *manifest_payload == r.watermark->payload;
  if (r.watermark && options.store != nullptr && !manifest_names_watermark)
    if (const auto stored = options.store->find(r.watermark->payload))
      r.recovered_manifest = inspect_sidecar(stored->store, encoded, options.inspect);

  find_contradictions(r, manifest_payload, watermark_searched);
  decide(r, options.user_declared_ai);
  return r;
}

VerifyReport verify_file(const std::filesystem::path& path, const VerifyOptions& options) {
  return verify(read_file(path, options.inspect.limits), options);
}

}  // namespace provmark
