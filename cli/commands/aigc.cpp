// SPDX-License-Identifier: Apache-2.0
#include "provmark/aigc.hpp"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands/commands.hpp"
#include "provmark/codec.hpp"

namespace provmark::cli {
namespace {

struct AigcCliOptions {
  std::filesystem::path input;
  std::filesystem::path output;
  AigcLabel label;
  bool propagator_given = false;
  bool json = false;
};

ExitCode run_read(const AigcCliOptions& options) {
  const std::vector<FoundAigcLabel> found = read_aigc_labels(read_file(options.input));
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const FoundAigcLabel& entry : found)
      list.push_back({{"carrier", entry.carrier},
                      {"AIGC", nlohmann::ordered_json::parse(entry.label.to_json())},
                      {"problems", entry.problems}});
    std::cout << list.dump() << std::endl;
    return ExitCode::success;
  }
  if (found.empty()) std::cout << options.input.string() << ": no AIGC label\n";
  for (const FoundAigcLabel& entry : found) {
    std::cout << options.input.string() << ": " << entry.carrier << " " << entry.label.to_json() << "\n";
    for (const std::string& problem : entry.problems) std::cout << "  problem  " << problem << "\n";
  }
  if (found.size() > 1) std::cout << "  problem  " << found.size() << " labels; GB 45438 6.1 c) expects one\n";
  std::cout << std::flush;
  return ExitCode::success;
}

ExitCode run_write(AigcCliOptions options) {
  // Annex E note 1: on the first write the propagation elements repeat the production ones.
  if (!options.propagator_given) {
    options.label.content_propagator = options.label.content_producer;
    options.label.propagate_id = options.label.produce_id;
  }
  write_file_atomic(options.output, write_aigc_label(read_file(options.input), options.label));
  std::cout << "wrote '" << options.output.string() << "' with " << options.label.to_json() << std::endl;
  return ExitCode::success;
}

}  // namespace

Command add_aigc_command(CLI::App& parent) {
  auto options = std::make_shared<AigcCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "aigc",
      "Read the GB 45438-2025 implicit metadata label (the AIGC JSON of Annex E) of a JPEG or PNG image, or\n"
      "with -o write a copy carrying exactly one: XMP TC260:AIGC, replacing every other AIGC carrier.\n"
      "Writing after C2PA signing breaks the manifest's data hash: label first, sign last.\n");
  app->add_option("FILE", options->input, "Image (JPEG or PNG)")->required()->type_name("FILE");
  CLI::Option* output =
      app->add_option("-o,--output", options->output, "Write a labelled copy here")->type_name("FILE");
  app->add_flag("--json", options->json, "Print the labels found as a JSON array")->excludes(output);
  CLI::Option* producer = app->add_option("--producer", options->label.content_producer,
                                          "ContentProducer: the provider's 27-character code (TC260 coding rules)");
  CLI::Option* produce_id =
      app->add_option("--produce-id", options->label.produce_id, "ProduceID: this content's number");
  CLI::Option* label =
      app->add_option("--label", options->label.label, "Label: 1 AI-generated, 2 possibly, 3 suspected")
          ->capture_default_str();
  CLI::Option* reserved1 =
      app->add_option("--reserved1", options->label.reserved_code1, "ReservedCode1 (producer's integrity data)");
  CLI::Option* propagator = app->add_option("--propagator", options->label.content_propagator,
                                            "ContentPropagator (default: the producer, Annex E note 1)");
  CLI::Option* propagate_id =
      app->add_option("--propagate-id", options->label.propagate_id, "PropagateID (default: the produce id)");
  CLI::Option* reserved2 =
      app->add_option("--reserved2", options->label.reserved_code2, "ReservedCode2 (propagator's integrity data)");
  for (CLI::Option* option : {producer, produce_id, label, reserved1, propagator, propagate_id, reserved2})
    option->needs(output);
  propagator->needs(propagate_id);
  propagate_id->needs(propagator);
  return {app, [options, propagator] {
            if (options->output.empty()) return run_read(*options);
            options->propagator_given = propagator->count() > 0;
            return run_write(*options);
          }};
}

}  // namespace provmark::cli
