// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands/commands.hpp"
#include "provmark/label.hpp"

namespace provmark::cli {
namespace {

struct LabelCliOptions {
  std::filesystem::path input, output;
  // explicit label
  bool no_visible = false;
  std::string text;
  LabelLanguage language = LabelLanguage::chinese;
  LabelPosition position = LabelPosition::bottom_right;
  double text_height = 0.05;
  std::filesystem::path font;
  // audible label (audio)
  bool no_audible = false;
  AudibleLabelMode audible_mode = AudibleLabelMode::prepend;
  bool audible_at_end = false;
  // AIGC metadata
  bool no_aigc = false;
  std::string producer, produce_id, reserved_code1;
  bool keep_propagator_empty = false;
  // watermark
  std::filesystem::path key_file;
  float strength = 1.0f;
  // manifest
  std::filesystem::path cert_chain, private_key;
  std::string tsa_url;
  std::string provider, system_name = "provmark", system_version;
  bool composite = false;
  std::filesystem::path store;
  bool no_store = false;
  int jpeg_quality = 0;
  bool json = false;
};

void print_result(const LabelCliOptions& cli, const LabelResult& r) {
  if (!cli.json) {
    std::cout << "labelled '" << cli.output.string() << "': content " << r.content_id;
    if (r.audible_label)
      std::cout << ", audible label " << r.audible_label->label_frames << " frames at " << r.audible_label->level_dbfs
                << " dBFS";
    if (r.watermark) std::cout << ", watermark payload " << r.watermark->to_hex();
    if (!r.manifest_label.empty()) std::cout << ", manifest " << r.manifest_label;
    std::cout << std::endl;
    return;
  }
  nlohmann::ordered_json out;
  out["file"] = cli.output.string();
  out["content_id"] = r.content_id;
  out["visible_label"] = r.visible_label ? nlohmann::ordered_json{{"x", r.visible_label->x},
                                                                  {"y", r.visible_label->y},
                                                                  {"width", r.visible_label->width},
                                                                  {"height", r.visible_label->height},
                                                                  {"ink_height", r.visible_label->ink_height}}
                                         : nlohmann::ordered_json(nullptr);
  out["media_type"] = r.media_type;
  out["audible_label"] = r.audible_label ? nlohmann::ordered_json{{"level_dbfs", r.audible_label->level_dbfs},
                                                                  {"label_frames", r.audible_label->label_frames},
                                                                  {"content_offset", r.audible_label->content_offset},
                                                                  {"sample_rate", r.audible_label->sample_rate}}
                                         : nlohmann::ordered_json(nullptr);
  out["aigc"] = r.aigc ? nlohmann::ordered_json::parse(r.aigc->to_json()) : nlohmann::ordered_json(nullptr);
  out["watermark_payload"] = r.watermark ? nlohmann::ordered_json(r.watermark->to_hex()) : nullptr;
  out["manifest"] =
      r.manifest_label.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.manifest_label);
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

ExitCode run_label(const LabelCliOptions& cli) {
  LabelOptions options;
  options.visible_label = !cli.no_visible;
  options.visible.text = cli.text;
  options.visible.language = cli.language;
  options.visible.position = cli.position;
  options.visible.text_height = cli.text_height;
  options.visible.font = cli.font;
  options.audible_label = !cli.no_audible;
  options.audible.mode = cli.audible_mode;
  options.audible.at_end = cli.audible_at_end;
  options.aigc_label = !cli.no_aigc;
  options.aigc.content_producer = cli.producer;
  options.aigc.produce_id = cli.produce_id;
  options.aigc.reserved_code1 = cli.reserved_code1;
  options.aigc_copy_to_propagator = !cli.keep_propagator_empty;
  options.watermark.strength = cli.strength;
  options.provider = cli.provider;
  options.system_name = cli.system_name;
  options.system_version = cli.system_version;
  options.source_type = cli.composite ? DigitalSourceType::composite_with_trained_algorithmic_media
                                      : DigitalSourceType::trained_algorithmic_media;
  options.jpeg_quality = cli.jpeg_quality;

  std::optional<WatermarkKey> key;
  if (!cli.key_file.empty()) key = WatermarkKey::load(cli.key_file);
  options.watermark_key = key ? &*key : nullptr;
  std::optional<Signer> signer;
  if (!cli.cert_chain.empty() || !cli.private_key.empty())
    signer = Signer::from_pem_files(cli.cert_chain, cli.private_key);
  if (signer && !cli.tsa_url.empty()) signer = signer->with_tsa_url(cli.tsa_url);
  options.signer = signer ? &*signer : nullptr;
  // A manifest is kept for recovery only when a watermark can lead back to it.
  std::optional<ManifestStore> store;
  if (signer && key && !cli.no_store)
    store = ManifestStore::open(cli.store.empty() ? ManifestStore::default_path() : cli.store);
  options.store = store ? &*store : nullptr;

  print_result(cli, label_file(cli.input, cli.output, options));
  return ExitCode::success;
}

}  // namespace

Command add_label_command(CLI::App& parent) {
  auto o = std::make_shared<LabelCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "label",
      "Label an AI-generated image (JPEG, PNG) or audio file (WAV, MP3, M4A, FLAC, Ogg) at export:\n"
      "  1. the explicit label: drawn text (default \"AI生成\", >= 5% of the shortest side, bottom-right),\n"
      "     or for audio the audible cue (\"AI\" in Morse, level-matched) before the content;\n"
      "  2. write the GB 45438 implicit label (XMP TC260:AIGC; audio: AIGC chunk, tag or comment) with\n"
      "     --producer as ContentProducer;\n"
      "  3. embed the watermark with --key-file (its payload identifies this content and manifest);\n"
      "  4. sign a C2PA manifest with --cert/--key (c2pa.created trainedAlgorithmicMedia, c2pa.watermarked,\n"
      "     c2pa.soft-binding and the disclosure assertion), kept in the manifest store for recovery; audio:\n"
      "     WAV, MP3 and M4A only.\n"
      "Steps without their inputs are skipped. Options may come from a TOML/INI file (--config), e.g.\n"
      "  [label]\n  producer = \"001191110102MAD55U9H0F10002\"\n  key-file = \"brand.key\"\n");
  app->add_option("IN", o->input, "Image (JPEG, PNG) or audio (WAV, MP3, M4A, FLAC, Ogg) to label")
      ->required()
      ->type_name("FILE");
  app->add_option("OUT", o->output, "Where to write the labelled file (same format)")->required()->type_name("FILE");
  app->add_flag("--no-visible", o->no_visible, "Images: do not draw the explicit label");
  app->add_option("--text", o->text, "Explicit label text (must contain AI/人工智能 and 生成/合成)");
  const std::map<std::string, LabelLanguage> languages{
      {"zh", LabelLanguage::chinese}, {"en", LabelLanguage::english}, {"both", LabelLanguage::bilingual}};
  app->add_option("--language", o->language, "Default wording: zh (AI生成), en (AI-generated) or both")
      ->transform(CLI::CheckedTransformer(languages, CLI::ignore_case));
  const std::map<std::string, LabelPosition> positions{{"top-left", LabelPosition::top_left},
                                                       {"top-right", LabelPosition::top_right},
                                                       {"bottom-left", LabelPosition::bottom_left},
                                                       {"bottom-right", LabelPosition::bottom_right},
                                                       {"top", LabelPosition::top},
                                                       {"bottom", LabelPosition::bottom}};
  app->add_option("--position", o->position, "Where the explicit label goes")
      ->transform(CLI::CheckedTransformer(positions, CLI::ignore_case));
  app->add_option("--text-height", o->text_height, "Text ink height / shortest side (>= 0.05)")->capture_default_str();
  app->add_option("--font", o->font, "Font file (default: a CJK font found by fontconfig)");
  app->add_flag("--no-audible", o->no_audible, "Audio: do not add the audible label (samples stay untouched)");
  const std::map<std::string, AudibleLabelMode> audible_modes{{"prepend", AudibleLabelMode::prepend},
                                                              {"mix", AudibleLabelMode::mix}};
  app->add_option("--audible-mode", o->audible_mode,
                  "Audio: prepend the cue (content unchanged) or mix it over the first seconds (same length)")
      ->transform(CLI::CheckedTransformer(audible_modes, CLI::ignore_case));
  app->add_flag("--audible-at-end", o->audible_at_end, "Audio: the cue at the end too");
  app->add_flag("--no-aigc", o->no_aigc, "Do not write the GB 45438 metadata label");
  app->add_option("--producer", o->producer, "ContentProducer: your provider code (^00[0-9A-Z]{25}$) or name");
  app->add_option("--produce-id", o->produce_id, "ProduceID (default: a new 32-hex-digit content identifier)");
  app->add_option("--reserved-code1", o->reserved_code1, "ReservedCode1 (integrity data), if any");
  app->add_flag("--keep-propagator-empty", o->keep_propagator_empty,
                "Leave ContentPropagator/PropagateID empty (default: copied from the producer, Annex E note 1)");
  app->add_option("--key-file", o->key_file, "Watermark key file (no watermark without it)")->type_name("KEYFILE");
  app->add_option("--strength", o->strength, "Watermark strength multiplier")->capture_default_str();
  app->add_option("--cert", o->cert_chain, "PEM certificate chain of the C2PA signer")->type_name("PEM");
  app->add_option("--key", o->private_key, "PEM private key of the C2PA signer")->type_name("PEM");
  app->add_option("--tsa-url", o->tsa_url, "RFC 3161 time-stamp authority (http://) for the C2PA signature")
      ->type_name("URL");
  app->add_option("--provider", o->provider, "Provider name for the disclosure (SB 942 (A))");
  app->add_option("--system-name", o->system_name, "Generative system name (SB 942 (B))")->capture_default_str();
  app->add_option("--system-version", o->system_version, "Generative system version (SB 942 (B))");
  app->add_flag("--composite", o->composite, "Declare compositeWithTrainedAlgorithmicMedia");
  app->add_option("--store", o->store, "Manifest store (default: $PROVMARK_STORE or ~/.local/share/provmark/...)");
  app->add_flag("--no-store", o->no_store, "Do not keep the signed manifest in the store");
  app->add_option("--jpeg-quality", o->jpeg_quality, "JPEG quality of the output (0: same as the input)")
      ->capture_default_str();
  app->add_flag("--json", o->json, "Print the result as JSON");
  app->get_option("--cert")->needs("--key");
  app->get_option("--key")->needs("--cert");
  app->get_option("--tsa-url")->needs("--cert");
  return {app, [o] { return run_label(*o); }};
}

}  // namespace provmark::cli
