// SPDX-License-Identifier: Apache-2.0
// The GB 45438 Annex E label: JSON through nlohmann_json (ordered, so the keys keep the standard's order),
// strict checks for writing, lenient parsing for reading, and the dispatch to the JPEG, PNG, WAV and other audio carriers.

#include "provmark/aigc.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/fail.hpp"
#include "labels/carriers.hpp"

namespace provmark {
namespace {

constexpr std::size_t kMaxJsonBytes = std::size_t{1} << 20;
constexpr int kMaxJsonDepth = 4;  // the wrapped form needs 2; deeper values are dropped while parsing

struct Element {
  const char* key;
  std::string AigcLabel::*field;
};

// Annex E order.
constexpr std::array<Element, 7> kElements{{
    {"Label", &AigcLabel::label},
    {"ContentProducer", &AigcLabel::content_producer},
    {"ProduceID", &AigcLabel::produce_id},
    {"ReservedCode1", &AigcLabel::reserved_code1},
    {"ContentPropagator", &AigcLabel::content_propagator},
    {"PropagateID", &AigcLabel::propagate_id},
    {"ReservedCode2", &AigcLabel::reserved_code2},
}};

// Annex E j): 0x21, 0x23-0x5B and 0x5D-0x7E, plus the quote, which the JSON string carries as \".
bool allowed_character(unsigned char c) { return c >= 0x21 && c <= 0x7E && c != 0x5C; }

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "aigc: " + what); }

bool starts_with(std::span<const std::uint8_t> asset, std::string_view signature, std::size_t offset = 0) {
  return asset.size() >= offset + signature.size() &&
         std::equal(signature.begin(), signature.end(), asset.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

enum class AssetKind { jpeg, png, wav, mp3, flac, ogg, mp4 };

// The container, from its signature. An ID3v2 tag may precede MPEG audio or (rarely) FLAC.
AssetKind kind_of(std::span<const std::uint8_t> asset) {
  if (starts_with(asset, "\xFF\xD8")) return AssetKind::jpeg;
  if (starts_with(asset, "\x89PNG\r\n\x1A\n")) return AssetKind::png;
  if ((starts_with(asset, "RIFF") || starts_with(asset, "RF64") || starts_with(asset, "BW64")) &&
      starts_with(asset, "WAVE", 8))
    return AssetKind::wav;
  if (starts_with(asset, "fLaC")) return AssetKind::flac;
  if (starts_with(asset, "OggS")) return AssetKind::ogg;
  if (starts_with(asset, "ftyp", 4)) return AssetKind::mp4;
  if (starts_with(asset, "ID3") && asset.size() >= 10) {
    std::size_t end = 10 + ((std::size_t{asset[6]} & 0x7F) << 21 | (std::size_t{asset[7]} & 0x7F) << 14 |
                            (std::size_t{asset[8]} & 0x7F) << 7 | (std::size_t{asset[9]} & 0x7F));
    if ((asset[5] & 0x10) != 0) end += 10;  // footer
    return starts_with(asset, "fLaC", end) ? AssetKind::flac : AssetKind::mp3;
  }
  // An MPEG audio frame header: 11 sync bits, then layer III.
  if (asset.size() >= 2 && asset[0] == 0xFF && (asset[1] & 0xE6) == 0xE2) return AssetKind::mp3;
  fail(Errc::unsupported_format, "aigc: not a JPEG, PNG, WAV, MP3, FLAC, Ogg or MP4/M4A file");
}

AssetKind check_asset(std::span<const std::uint8_t> asset, const Limits& limits) {
  if (asset.size() > limits.max_file_bytes)
    fail(Errc::limit_exceeded, "aigc: the file has " + std::to_string(asset.size()) +
                                   " bytes, more than the limit of " + std::to_string(limits.max_file_bytes));
  return kind_of(asset);
}

labels::AudioContainer audio_container(AssetKind kind) {
  switch (kind) {
    case AssetKind::mp3: return labels::AudioContainer::mp3;
    case AssetKind::flac: return labels::AudioContainer::flac;
    case AssetKind::ogg: return labels::AudioContainer::ogg;
    default: return labels::AudioContainer::mp4;
  }
}

std::vector<labels::CarrierValue> carrier_values(std::span<const std::uint8_t> asset, AssetKind kind,
                                                 const Limits& limits) {
  switch (kind) {
    case AssetKind::jpeg: return labels::jpeg_aigc_values(asset);
    case AssetKind::png: return labels::png_aigc_values(asset, limits);
    case AssetKind::wav: return labels::wav_aigc_values(asset);
    default: return labels::audio_aigc_values(asset, audio_container(kind), limits);
  }
}

// The labelled file and the carrier its label must read back from.
std::pair<std::vector<std::uint8_t>, std::string_view> write_carrier(std::span<const std::uint8_t> asset,
                                                                      AssetKind kind, std::string_view json,
                                                                      const Limits& limits) {
  switch (kind) {
    case AssetKind::jpeg: return {labels::jpeg_write_aigc(asset, json), labels::kCarrierXmp};
    case AssetKind::png: return {labels::png_write_aigc(asset, json, limits), labels::kCarrierXmp};
    case AssetKind::wav: return {labels::wav_write_aigc(asset, json), labels::kCarrierWavChunk};
    case AssetKind::mp3: return {labels::audio_write_aigc(asset, labels::AudioContainer::mp3, json, limits),
                                 labels::kCarrierId3};
    case AssetKind::mp4: return {labels::audio_write_aigc(asset, labels::AudioContainer::mp4, json, limits),
                                 labels::kCarrierMp4};
    default: return {labels::audio_write_aigc(asset, audio_container(kind), json, limits),
                     labels::kCarrierVorbisComment};
  }
}

}  // namespace

std::string AigcLabel::to_json() const {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const Element& element : kElements) object[element.key] = this->*element.field;
  // Invalid UTF-8 cannot be serialised; it shows as U+FFFD here, and aigc_label_problems() rejects it for writing.
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string AigcLabel::to_wrapped_json() const { return "{\"AIGC\":" + to_json() + "}"; }

std::vector<std::string> aigc_label_problems(const AigcLabel& label) {
  std::vector<std::string> problems;
  if (label.label != "1" && label.label != "2" && label.label != "3")
    problems.push_back("Label is \"" + label.label + "\", not \"1\", \"2\" or \"3\"");
  if (label.content_producer.empty()) problems.push_back("ContentProducer is empty");
  if (label.produce_id.empty()) problems.push_back("ProduceID is empty");
  for (const Element& element : kElements) {
    const std::string& value = label.*element.field;
    const auto bad = std::find_if_not(value.begin(), value.end(),
                                      [](char c) { return allowed_character(static_cast<unsigned char>(c)); });
    if (bad != value.end())
      problems.push_back(std::string(element.key) + " has a character outside GB 45438 Annex E j) (0x21, 0x23-0x5B, " +
                         "0x5D-0x7E, \\\") at byte " + std::to_string(bad - value.begin()));
  }
  return problems;
}

AigcLabel parse_aigc_json(std::string_view json) {
  if (json.size() > kMaxJsonBytes)
    fail(Errc::limit_exceeded, "aigc: JSON value of " + std::to_string(json.size()) + " bytes");
  const nlohmann::json document = nlohmann::json::parse(
      json, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) { return depth <= kMaxJsonDepth; }, false);
  if (document.is_discarded()) malformed("the value is not JSON");
  if (!document.is_object()) malformed("the value is not a JSON object");
  const auto wrapped = document.find("AIGC");
  const nlohmann::json& object = wrapped != document.end() && wrapped->is_object() ? *wrapped : document;
  AigcLabel label;
  for (const Element& element : kElements) {
    const auto member = object.find(element.key);
    if (member == object.end()) {
      (label.*element.field).clear();
    } else if (member->is_string()) {
      label.*element.field = member->get<std::string>();
    } else {
      malformed(std::string(element.key) + " is not a JSON string");
    }
  }
  return label;
}

std::vector<FoundAigcLabel> read_aigc_labels(std::span<const std::uint8_t> asset, const Limits& limits) {
  const std::vector<labels::CarrierValue> values = carrier_values(asset, check_asset(asset, limits), limits);
  std::vector<FoundAigcLabel> found;
  for (const labels::CarrierValue& value : values) {
    FoundAigcLabel entry;
    entry.carrier = value.carrier;
    try {
      entry.label = parse_aigc_json(value.json);
      entry.problems = aigc_label_problems(entry.label);
    } catch (const Error& error) {
      entry.label = AigcLabel{};
      entry.label.label.clear();  // nothing was read, so not even the default "1"
      entry.problems.push_back(std::string("unreadable value: ") + error.what());
    }
    found.push_back(std::move(entry));
  }
  return found;
}

std::vector<std::uint8_t> write_aigc_label(std::span<const std::uint8_t> asset, const AigcLabel& label,
                                           const Limits& limits) {
  if (const auto problems = aigc_label_problems(label); !problems.empty())
    fail(Errc::invalid_argument, "aigc: " + problems.front());
  const AssetKind kind = check_asset(asset, limits);
  auto written = write_carrier(asset, kind, label.to_json(), limits);
  std::vector<std::uint8_t>& out = written.first;
  // GB 45438 expects one label; reading it back catches a carrier we failed to replace.
  Limits grown = limits;
  grown.max_file_bytes = std::max(limits.max_file_bytes, out.size());
  const std::vector<FoundAigcLabel> check = read_aigc_labels(out, grown);
  if (check.size() != 1 || check.front().label != label || check.front().carrier != written.second)
    fail(Errc::internal, "aigc: the written file does not read back as exactly this one label");
  return std::move(out);
}

namespace labels {

bool is_aigc_comment(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' && text.find("AIGC") != std::string_view::npos;
}

std::vector<std::uint8_t> apply_edits(std::span<const std::uint8_t> input, std::vector<ByteEdit> edits) {
  std::sort(edits.begin(), edits.end(), [](const ByteEdit& a, const ByteEdit& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  std::size_t added = 0;
  for (const ByteEdit& edit : edits) added += edit.bytes.size();
  std::vector<std::uint8_t> out;
  out.reserve(input.size() + added);
  std::size_t copied = 0;
  for (const ByteEdit& edit : edits) {
    if (edit.start < copied || edit.end < edit.start || edit.end > input.size())
      fail(Errc::internal, "aigc: overlapping edits");
    out.insert(out.end(), input.begin() + static_cast<std::ptrdiff_t>(copied),
               input.begin() + static_cast<std::ptrdiff_t>(edit.start));
    out.insert(out.end(), edit.bytes.begin(), edit.bytes.end());
    copied = edit.end;
  }
  out.insert(out.end(), input.begin() + static_cast<std::ptrdiff_t>(copied), input.end());
  return out;
}

}  // namespace labels
}  // namespace provmark
