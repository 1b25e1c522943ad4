// SPDX-License-Identifier: Apache-2.0
// A manifest from a JSON definition shaped like c2pa-rs's ManifestDefinition (spec/manifest-profile-v1.md,
// "Manifest definition (JSON)"). Parsing is nlohmann's; this file maps the subset provmark writes onto the
// Manifest builder. Every field is checked: one provmark would not write is refused by name, never dropped,
// so a definition cannot silently promise more than the signed manifest says.
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <set>
#include <string>

#include "c2pa/cbor.hpp"
#include "c2pa/jumbf.hpp"
#include "c2pa/labels.hpp"
#include "core/fail.hpp"
#include "provmark/manifest.hpp"

namespace provmark {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& why) {
  const std::string where = field.empty() ? std::string("top level") : field;
  fail(Errc::malformed_input, "manifest definition: " + where + ": " + why);
}

std::string member_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

const json& expect(const json& value, json::value_t type, const std::string& field) {
  if (value.type() == type) return value;
  const char* wanted = type == json::value_t::object  ? "an object"
                       : type == json::value_t::array ? "an array"
                                                      : "a string";
  bad(field, std::string("must be ") + wanted + ", not " + value.type_name());
}

std::string string_at(const json& value, const std::string& field) {
  return expect(value, json::value_t::string, field).get<std::string>();
}

// Refuses keys outside `allowed`.
void only_keys(const json& object, const std::string& field, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view k : allowed) known = known || key == k;
    if (!known) bad(member_path(field, key), "not supported by provmark's manifest profile");
  }
}

const json& required(const json& object, std::string_view key, const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end()) bad(member_path(field, key), "missing");
  return *it;
}

DigitalSourceType source_type_from_uri(const std::string& uri, const std::string& field) {
  for (DigitalSourceType type :
       {DigitalSourceType::trained_algorithmic_media, DigitalSourceType::composite_with_trained_algorithmic_media})
    if (uri == digital_source_type_uri(type)) return type;
  bad(field, "'" + uri + "' is not a source type provmark writes (" +
                 std::string(digital_source_type_uri(DigitalSourceType::trained_algorithmic_media)) + " or " +
                 std::string(digital_source_type_uri(DigitalSourceType::composite_with_trained_algorithmic_media)) +
                 ")");
}

// What the definition says, gathered before the Manifest is built (its generator comes first).
struct Definition {
  std::string generator;
  std::string generator_version;
  std::string title;
  DigitalSourceType source_type = DigitalSourceType::trained_algorithmic_media;
  std::string watermarked_action_field;  // where c2pa.watermarked was listed, if it was
  bool has_soft_binding = false;
  Payload payload{};
  std::string soft_binding_alg{image_watermark_alg};
  std::vector<Manifest::CustomAssertion> custom;
};

void read_generator(const json& value, const std::string& field, Definition& out) {
  const json& list = expect(value, json::value_t::array, field);
  if (list.size() != 1) bad(field, "must hold exactly one entry (a v2 claim has one claim_generator_info)");
  const std::string entry = index_path(field, 0);
  const json& info = expect(list[0], json::value_t::object, entry);
  only_keys(info, entry, {"name", "version"});
  out.generator = string_at(required(info, "name", entry), member_path(entry, "name"));
  if (out.generator.empty()) bad(member_path(entry, "name"), "must not be empty");
  if (const auto it = info.find("version"); it != info.end())
    out.generator_version = string_at(*it, member_path(entry, "version"));
}

void read_actions(const json& data, const std::string& field, Definition& out) {
  expect(data, json::value_t::object, field);
  only_keys(data, field, {"actions"});
  const std::string list_field = member_path(field, "actions");
  const json& actions = expect(required(data, "actions", field), json::value_t::array, list_field);
  if (actions.empty()) bad(list_field, "must start with c2pa.created");
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const std::string entry = index_path(list_field, i);
    const json& action = expect(actions[i], json::value_t::object, entry);
    const std::string name_field = member_path(entry, "action");
    const std::string name = string_at(required(action, "action", entry), name_field);
    if (i == 0) {
      if (name != c2pa::action::created) bad(name_field, "the first action must be c2pa.created, not '" + name + "'");
      only_keys(action, entry, {"action", "digitalSourceType"});
      const std::string type_field = member_path(entry, "digitalSourceType");
      out.source_type = source_type_from_uri(string_at(required(action, "digitalSourceType", entry), type_field),
                                             type_field);
    } else if (i == 1 && name == c2pa::action::watermarked) {
      only_keys(action, entry, {"action"});
      out.watermarked_action_field = name_field;
    } else {
      bad(name_field, "'" + name + "' is not an action provmark writes here (c2pa.created, then c2pa.watermarked)");
    }
  }
}

void read_soft_binding(const json& data, const std::string& field, Definition& out) {
  expect(data, json::value_t::object, field);
  only_keys(data, field, {"alg", "blocks"});
  if (const auto it = data.find("alg"); it != data.end()) {
    out.soft_binding_alg = string_at(*it, member_path(field, "alg"));
    if (out.soft_binding_alg.empty()) bad(member_path(field, "alg"), "must not be empty");
  }
  const std::string blocks_field = member_path(field, "blocks");
  const json& blocks = expect(required(data, "blocks", field), json::value_t::array, blocks_field);
  if (blocks.size() != 1) bad(blocks_field, "must hold exactly one block (the watermark payload)");
  const std::string block_field = index_path(blocks_field, 0);
  const json& block = expect(blocks[0], json::value_t::object, block_field);
  only_keys(block, block_field, {"scope", "value"});
  if (const auto it = block.find("scope"); it != block.end()) {
    expect(*it, json::value_t::object, member_path(block_field, "scope"));
    if (!it->empty()) bad(member_path(block_field, "scope"), "must be {} (the watermark covers the whole asset)");
  }
  const std::string value_field = member_path(block_field, "value");
  const std::string hex = string_at(required(block, "value", block_field), value_field);
  try {
    out.payload = Payload::from_hex(hex);
  } catch (const Error&) {
    bad(value_field, "must be the watermark payload, 16 hex digits");
  }
  out.has_soft_binding = true;
}

void read_assertions(const json& value, const std::string& field, Definition& out) {
  const json& list = expect(value, json::value_t::array, field);
  std::set<std::string> labels;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string entry = index_path(field, i);
    const json& assertion = expect(list[i], json::value_t::object, entry);
    only_keys(assertion, entry, {"label", "data"});
    const std::string label_field = member_path(entry, "label");
    const std::string label = string_at(required(assertion, "label", entry), label_field);
    const json& data = required(assertion, "data", entry);
    const std::string data_field = member_path(entry, "data");
    if (!labels.insert(label).second) bad(label_field, "'" + label + "' appears twice");
    if (label == c2pa::assertion::actions_v2) {
      read_actions(data, data_field, out);
    } else if (label == c2pa::assertion::soft_binding) {
      read_soft_binding(data, data_field, out);
    } else if (label.rfind("c2pa.", 0) == 0) {
      bad(label_field, "'" + label + "' is in the c2pa. namespace; provmark writes only c2pa.actions.v2 and "
                       "c2pa.soft-binding from a definition (the hard binding comes from signing)");
    } else if (!c2pa::jumbf::is_valid_label(label)) {
      bad(label_field, "'" + label + "' is not a JUMBF label (empty, or has a control character or / ; ? #)");
    } else {
      out.custom.push_back({label, c2pa::cbor::to_cbor(data)});
    }
  }
}

}  // namespace

Manifest manifest_from_json(std::string_view definition) {
  json root;
  try {
    // The depth limit keeps later recursive walks (CBOR encoding) shallow; nlohmann's parser itself is iterative.
    root = json::parse(definition, [](int depth, json::parse_event_t event, json&) {
      if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
          depth >= c2pa::cbor::max_depth)
        bad("", "nested deeper than " + std::to_string(c2pa::cbor::max_depth) + " levels");
      return true;
    });
  } catch (const json::exception& e) {
    bad("", std::string("not JSON: ") + e.what());
  }
  expect(root, json::value_t::object, "");
  only_keys(root, "", {"claim_generator_info", "title", "assertions"});
  Definition def;
  def.generator = "provmark";
  if (const auto it = root.find("claim_generator_info"); it != root.end())
    read_generator(*it, "claim_generator_info", def);
  if (const auto it = root.find("title"); it != root.end()) def.title = string_at(*it, "title");
  if (const auto it = root.find("assertions"); it != root.end()) read_assertions(*it, "assertions", def);
  if (!def.watermarked_action_field.empty() && !def.has_soft_binding)
    bad(def.watermarked_action_field, "c2pa.watermarked needs a c2pa.soft-binding assertion with the payload");

  Manifest manifest(def.generator, def.generator_version);
  manifest.set_title(def.title).created(def.source_type);
  if (def.has_soft_binding) manifest.watermarked(def.payload, def.soft_binding_alg);
  for (auto& custom : def.custom) manifest.add_cbor_assertion(std::move(custom.label), std::move(custom.cbor));
  return manifest;
}

}  // namespace provmark
