// SPDX-License-Identifier: Apache-2.0
// VerifyReport::to_json: spec/verify-report-v1.md.
#include <nlohmann/json.hpp>

#include "provmark/verify.hpp"

namespace provmark {
namespace {

using nlohmann::json;

// The notice Measures Art. 6 (1)-(3) has the platform show next to the content.
json notice(Verdict verdict) {
  switch (verdict) {
    case Verdict::confirmed_ai:
      return "该内容属于人工智能生成合成内容";
    case Verdict::possibly_ai:
      return "该内容可能为人工智能生成合成内容";
    case Verdict::suspected_ai:
      return "该内容疑似为人工智能生成合成内容";
    case Verdict::no_evidence:
      return nullptr;
  }
  return nullptr;
}

json manifest_json(const ManifestReport& report) {
  if (!report.has_manifest) return nullptr;
  return json::parse(report.to_json());
}

json watermark_json(const WatermarkEvidence& w) {
  json out = {{"provider", w.provider},
              {"payload", w.payload.to_hex()},
              {"false_alarm_probability", w.false_alarm_probability}};
  if (const auto& a = w.audio_detection) {
    out["corrected_bits"] = a->corrected_bits;
    out["coded_bits"] = a->coded_bits;
    out["timing"] = {{"time_scale", a->time_scale},
                     {"frequency_scale", a->frequency_scale},
                     {"offset_seconds", a->offset_seconds}};
  } else {
    out["corrected_bits"] = w.detection.corrected_bits;
    out["coded_bits"] = w.detection.coded_bits;
    out["geometry"] = {{"scale_x", w.detection.scale_x},
                       {"scale_y", w.detection.scale_y},
                       {"rotation_deg", w.detection.rotation_deg},
                       {"mirrored", w.detection.mirrored}};
  }
  return out;
}

}  // namespace

std::string VerifyReport::to_json() const {
  json labels = json::array();
  for (const FoundAigcLabel& found : aigc_labels)
    labels.push_back(
        {{"carrier", found.carrier}, {"AIGC", json::parse(found.label.to_json())}, {"problems", found.problems}});
  json contradiction_list = json::array();
  for (const Contradiction& c : contradictions)
    contradiction_list.push_back({{"code", c.code}, {"explanation", c.explanation}});
  const json out = {{"verdict", verdict_name(verdict)},
                    {"notice", notice(verdict)},
                    {"summary", summary},
                    {"format", format},
                    {"evidence",
                     {{"manifest", manifest_json(manifest)},
                      {"manifest_declares_ai", manifest_declares_ai},
                      {"recovered_manifest", recovered_manifest ? manifest_json(*recovered_manifest) : json(nullptr)},
                      {"aigc_labels", labels},
                      {"watermark", watermark ? watermark_json(*watermark) : json(nullptr)}}},
                    {"contradictions", contradiction_list}};
  return out.dump();
}

}  // namespace provmark
