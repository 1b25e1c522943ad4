// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "commands/commands.hpp"
#include "provmark/codec.hpp"
#include "provmark/manifest.hpp"
#include "provmark/signer.hpp"

namespace provmark::cli {
namespace {

struct SignCliOptions {
  std::filesystem::path cert_chain;
  std::filesystem::path private_key;
  std::filesystem::path input;
  std::filesystem::path output;
  std::filesystem::path sidecar;
  std::filesystem::path definition;
  std::string generator = "provmark";
  bool generator_given = false;
  bool composite = false;
  std::string watermark_payload_hex;
  bool replace = false;
  std::string tsa_url;
};

// The definition file (if any), then the flags on top of it.
Manifest build_manifest(const SignCliOptions& options) {
  Manifest manifest(options.generator);
  if (!options.definition.empty()) {
    const auto text = read_file(options.definition);
    manifest = manifest_from_json(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
    if (options.generator_given) manifest.set_generator(options.generator);
  }
  if (options.composite) manifest.created(DigitalSourceType::composite_with_trained_algorithmic_media);
  if (!options.watermark_payload_hex.empty()) {
    const std::string alg = manifest.has_watermark() ? manifest.watermark_alg() : std::string(image_watermark_alg);
    manifest.watermarked(Payload::from_hex(options.watermark_payload_hex), alg);
  }
  // A manifest the input already has becomes the parent ingredient, titled with the input's name as c2pa-rs does.
  manifest.parent_title(options.input.filename().string());
  if (options.replace) manifest.existing_manifests(ExistingManifests::replace);
  return manifest;
}

ExitCode run_sign(const SignCliOptions& options) {
  Signer signer = Signer::from_pem_files(options.cert_chain, options.private_key);
  if (!options.tsa_url.empty()) signer = signer.with_tsa_url(options.tsa_url);
  const Manifest manifest = build_manifest(options);
  if (options.sidecar.empty()) {
    write_file_atomic(options.output, sign(read_file(options.input), manifest, signer));
    std::cout << "signed '" << options.output.string() << "'" << std::endl;
    return ExitCode::success;
  }
  std::error_code ignored;
  if (std::filesystem::equivalent(options.input, options.sidecar, ignored))
    throw Error(Errc::invalid_argument, "--sidecar would overwrite the asset '" + options.input.string() + "'");
  write_file_atomic(options.sidecar, sign_sidecar_file(options.input, manifest, signer));
  std::cout << "signed '" << options.input.string() << "' (unchanged) with sidecar '" << options.sidecar.string()
            << "'" << std::endl;
  return ExitCode::success;
}

}  // namespace

Command add_sign_command(CLI::App& parent) {
  auto options = std::make_shared<SignCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "sign",
      "Write a copy of a JPEG, PNG, WAV, MP3 or MP4/M4A/MOV file with a signed C2PA manifest that declares it\n"
      "AI-generated, or with --sidecar a separate .c2pa manifest for a file of any format, which is left unchanged.\n"
      "The manifest holds a c2pa.created action (digital source type trainedAlgorithmicMedia), a data hash (BMFF\n"
      "hash for MP4/M4A/MOV) binding it to the file and, with --watermark, the watermark's payload as a soft\n"
      "binding.\n"
      "\n"
      "--manifest takes a JSON definition shaped like c2pa-rs's ManifestDefinition (all fields optional):\n"
      "  {\"claim_generator_info\": [{\"name\": \"my-model\", \"version\": \"2.1\"}],\n"
      "   \"title\": \"cat.jpg\",\n"
      "   \"assertions\": [\n"
      "     {\"label\": \"c2pa.actions.v2\", \"data\": {\"actions\": [{\"action\": \"c2pa.created\",\n"
      "        \"digitalSourceType\": \"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia\"}]}},\n"
      "     {\"label\": \"c2pa.soft-binding\", \"data\": {\"alg\": \"org.provmark.wm.image.1\",\n"
      "        \"blocks\": [{\"scope\": {}, \"value\": \"0123456789abcdef\"}]}},\n"
      "     {\"label\": \"com.example.prompt\", \"data\": {\"seed\": 42}}]}\n"
      "digitalSourceType may also be .../compositeWithTrainedAlgorithmicMedia; the soft binding's value is the\n"
      "watermark payload (16 hex digits) and adds a c2pa.watermarked action; other labels are custom\n"
      "assertions, their JSON data written as CBOR. A field outside this subset, or a bad value, is an error\n"
      "naming the field (exit code 3). --generator, --composite and --watermark override the file.\n"
      "See spec/manifest-profile-v1.md.\n");
  app->add_option("--cert", options->cert_chain, "PEM certificate chain: signer first, then intermediates")
      ->required()
      ->type_name("PEM");
  app->add_option("--key", options->private_key, "PEM private key of the signer (EC P-256/P-384, RSA or Ed25519)")
      ->required()
      ->type_name("PEM");
  app->add_option("--tsa-url", options->tsa_url,
                  "RFC 3161 time-stamp authority (http://) to time-stamp the signature; a TSA failure writes nothing")
      ->type_name("URL");
  app->add_option("IN", options->input, "File to sign (JPEG, PNG, WAV, MP3, MP4/M4A/MOV; any file with --sidecar)")
      ->required()
      ->type_name("FILE");
  CLI::Option* output = app->add_option("OUT", options->output, "Where to write the signed image (not with --sidecar)")
                            ->type_name("FILE");
  CLI::Option* sidecar =
      app->add_option("--sidecar", options->sidecar,
                      "Write the manifest to this .c2pa file instead (by convention IN with the extension .c2pa);\n"
                      "its data hash covers every byte of IN")
          ->type_name("STORE");
  output->excludes(sidecar);
  app->add_option("--manifest", options->definition, "JSON manifest definition (see above)")->type_name("JSON");
  CLI::Option* generator =
      app->add_option("--generator", options->generator, "Name of the product that generated the content\n"
                                                         "(replaces claim_generator_info of --manifest)")
          ->capture_default_str();
  app->add_flag("--composite", options->composite,
                "Declare compositeWithTrainedAlgorithmicMedia (a composite with generated parts)");
  app->add_flag("--replace", options->replace,
                "Drop a manifest the file already has instead of keeping it as the parentOf ingredient");
  app->add_option("--watermark", options->watermark_payload_hex,
                  "Payload (16 hex digits) of the watermark the image carries: adds c2pa.watermarked and\n"
                  "a c2pa.soft-binding assertion")
      ->type_name("HEX");
  app->parse_complete_callback([output, sidecar] {
    if (output->count() == 0 && sidecar->count() == 0) throw CLI::RequiredError("OUT or --sidecar");
  });
  return {app, [options, generator] {
            options->generator_given = generator->count() > 0;
            return run_sign(*options);
          }};
}

}  // namespace provmark::cli
