// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <memory>
#include <string>

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
  std::string generator = "provmark";
  bool composite = false;
  std::string watermark_payload_hex;
};

ExitCode run_sign(const SignCliOptions& options) {
  const Signer signer = Signer::from_pem_files(options.cert_chain, options.private_key);
  Manifest manifest(options.generator);
  manifest.created(options.composite ? DigitalSourceType::composite_with_trained_algorithmic_media
                                     : DigitalSourceType::trained_algorithmic_media);
  if (!options.watermark_payload_hex.empty()) manifest.watermarked(Payload::from_hex(options.watermark_payload_hex));
  write_file_atomic(options.output, sign(read_file(options.input), manifest, signer));
  std::cout << "signed '" << options.output.string() << "'" << std::endl;
  return ExitCode::success;
}

}  // namespace

Command add_sign_command(CLI::App& parent) {
  auto options = std::make_shared<SignCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "sign",
      "Write a copy of a JPEG or PNG image with a signed C2PA manifest that declares it AI-generated.\n"
      "The manifest holds a c2pa.created action (digital source type trainedAlgorithmicMedia), a data hash\n"
      "binding it to the file and, with --watermark, the watermark's payload as a soft binding.\n");
  app->add_option("--cert", options->cert_chain, "PEM certificate chain: signer first, then intermediates")
      ->required()
      ->type_name("PEM");
  app->add_option("--key", options->private_key, "PEM private key of the signer (EC P-256/P-384, RSA or Ed25519)")
      ->required()
      ->type_name("PEM");
  app->add_option("IN", options->input, "Image to sign (JPEG or PNG)")->required()->type_name("FILE");
  app->add_option("OUT", options->output, "Where to write the signed image")->required()->type_name("FILE");
  app->add_option("--generator", options->generator, "Name of the product that generated the content")
      ->capture_default_str();
  app->add_flag("--composite", options->composite,
                "Declare compositeWithTrainedAlgorithmicMedia (a composite with generated parts)");
  app->add_option("--watermark", options->watermark_payload_hex,
                  "Payload (16 hex digits) of the watermark the image carries: adds c2pa.watermarked and\n"
                  "a c2pa.soft-binding assertion")
      ->type_name("HEX");
  return {app, [options] { return run_sign(*options); }};
}

}  // namespace provmark::cli
