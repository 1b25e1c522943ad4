// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.hpp"
#include "provmark/codec.hpp"
#include "provmark/inspect.hpp"

namespace provmark::cli {
namespace {

struct InspectCliOptions {
  std::filesystem::path trust_anchors;
  std::filesystem::path identity_trust_anchors;
  std::filesystem::path input;
  std::filesystem::path sidecar;
  bool json = false;
};

void print_statuses(const char* title, const std::vector<ValidationStatus>& list) {
  for (const auto& s : list) std::cout << "  " << title << " " << s.code << "  " << s.url << "\n";
}

void print_text(const std::filesystem::path& input, const ManifestReport& report) {
  if (!report.has_manifest) {
    std::cout << input.string() << ": no C2PA manifest\n";
    return;
  }
  std::cout << input.string() << ": " << validation_state_name(report.state) << "\n";
  for (const auto& m : report.manifests) {
    if (m.label != report.active_manifest) continue;
    std::cout << "  manifest   " << m.label << " (claim v" << m.claim_version << ")\n"
              << "  generator  " << m.claim_generator << "\n"
              << "  signer     " << m.signature_common_name << " / " << m.signature_issuer << " (" << m.signature_alg
              << ")\n";
    if (!m.digital_source_type.empty()) std::cout << "  source     " << m.digital_source_type << "\n";
    for (const auto& action : m.actions) std::cout << "  action     " << action << "\n";
    for (const auto& binding : m.soft_bindings) std::cout << "  soft-binding " << binding.alg << "\n";
    for (const auto& id : m.identities) {
      std::cout << "  identity   " << id.label << ": " << id.sig_type;
      if (!id.signature_alg.empty()) {
        std::cout << ", " << id.signature_common_name << " / " << id.signature_issuer << " (" << id.signature_alg
                  << ")";
      }
      std::cout << "\n";
    }
  }
  print_statuses("failure", report.failure);
  print_statuses("info   ", report.informational);
  print_statuses("success", report.success);
}

ExitCode run_inspect(const InspectCliOptions& options) {
  InspectOptions inspect_options;
  if (!options.trust_anchors.empty()) {
    const auto pem = read_file(options.trust_anchors);
    inspect_options.trust_anchors_pem.assign(pem.begin(), pem.end());
  }
  if (!options.identity_trust_anchors.empty()) {
    inspect_options.identity_trust_anchors = TrustAnchors::from_pem_file(options.identity_trust_anchors);
  }
  const auto asset = read_file(options.input);
  const ManifestReport report = options.sidecar.empty()
                                    ? inspect(asset, inspect_options)
                                    : inspect_sidecar(read_file(options.sidecar), asset, inspect_options);
  if (options.json) {
    std::cout << report.to_json() << std::endl;
  } else {
    print_text(options.input, report);
    std::cout << std::flush;
  }
  if (!report.has_manifest) return ExitCode::no_manifest;
  return report.state == ValidationState::invalid ? ExitCode::invalid_manifest : ExitCode::success;
}

}  // namespace

Command add_inspect_command(CLI::App& parent) {
  auto options = std::make_shared<InspectCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "inspect",
      "Read and validate the C2PA manifest of a JPEG, PNG, WAV, MP3 or MP4/M4A/MOV file (or a .c2pa sidecar for\n"
      "any file), with the status codes c2pa-rs reports. The state is Trusted (signer chains to --trust), Valid\n"
      "(intact but signer not trusted) or Invalid. RFC 3161 time-stamps and ingredients (recursively) are checked;\n"
      "OCSP is reported as skipped, as c2pa-rs does offline.\n"
      "CAWG identity assertions (X.509) are checked against --cawg-trust.\n");
  app->add_option("--trust", options->trust_anchors, "PEM bundle of trusted root certificates")->type_name("PEM");
  app->add_option("--cawg-trust", options->identity_trust_anchors,
                  "PEM bundle of trusted roots for CAWG identity credentials (apart from --trust, as in c2pa-rs)")
      ->type_name("PEM");
  app->add_flag("--json", options->json, "Print the report as JSON shaped like c2pa-rs's Reader output");
  app->add_option("FILE", options->input, "JPEG, PNG, WAV, MP3 or MP4/M4A/MOV file, or the asset of --sidecar")
      ->required()
      ->type_name("FILE");
  app->add_option("--sidecar", options->sidecar, "A .c2pa manifest store for FILE")->type_name("STORE");
  return {app, [options] { return run_inspect(*options); }};
}

}  // namespace provmark::cli
