// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.hpp"
#include "output.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/codec.hpp"
#include "provmark/watermark.hpp"

namespace provmark::cli {
namespace {

struct DetectCliOptions {
  std::filesystem::path key_file;
  std::vector<std::filesystem::path> inputs;
  bool json = false;
  bool no_time_scale = false;
};

// What both detectors report; the rest (geometry, time scale) goes into `detail` when found.
struct Found {
  bool found = false;
  Payload payload{};
  int corrected_bits = 0;
  int coded_bits = 0;
  double false_alarm_probability = 1;
  const char* detail_name = "geometry";
  nlohmann::ordered_json detail;
};

Found found_in(const DetectResult& r) {
  return {r.found, r.payload, r.corrected_bits, r.coded_bits, r.false_alarm_probability, "geometry",
          {{"scale_x", r.scale_x}, {"scale_y", r.scale_y}, {"rotation_deg", r.rotation_deg}, {"mirrored", r.mirrored}}};
}

Found found_in(const AudioDetectResult& r) {
  return {r.found, r.payload, r.corrected_bits, r.coded_bits, r.false_alarm_probability, "timing",
          {{"time_scale", r.time_scale}, {"frequency_scale", r.frequency_scale}, {"offset_seconds", r.offset_seconds}}};
}

void print_json(const std::filesystem::path& file, const Found& result, double core_ms) {
  nlohmann::ordered_json out;
  out["file"] = file.string();
  out["detected"] = result.found;
  out["payload"] = result.found ? nlohmann::ordered_json(result.payload.to_hex()) : nlohmann::ordered_json(nullptr);
  out["bit_errors"] = result.corrected_bits;
  out["coded_bits"] = result.coded_bits;
  out["false_alarm_probability"] = result.false_alarm_probability;
  if (result.found) out[result.detail_name] = result.detail;
  out["core_ms"] = std::round(core_ms * 1000.0) / 1000.0;
  // File names need not be UTF-8; replace invalid bytes rather than fail on them.
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void print_line(const std::filesystem::path& file, const Found& result) {
  if (!result.found) {
    std::cout << file.string() << ": no watermark found" << std::endl;
    return;
  }
  char probability[32];
  std::snprintf(probability, sizeof probability, "%.1e", result.false_alarm_probability);
  std::cout << file.string() << ": watermark found, payload " << result.payload.to_hex() << " ("
            << result.corrected_bits << " of " << result.coded_bits << " coded bits corrected, false-alarm probability "
            << probability << ")" << std::endl;
}

ExitCode run_detect(const DetectCliOptions& options) {
  const WatermarkKey key = WatermarkKey::load(options.key_file);
  bool all_found = true;
  std::optional<ExitCode> first_error;
  for (const auto& file : options.inputs) {
    try {
      const std::vector<std::uint8_t> bytes = read_file(file);
      const auto start = std::chrono::steady_clock::now();
      AudioDetectOptions audio_options;
      audio_options.search_time_scale = !options.no_time_scale;
      const Found result = is_image(media_name(bytes)) ? found_in(detect_encoded(bytes, key))
                                                       : found_in(detect_audio_encoded(bytes, key, audio_options));
      const std::chrono::duration<double, std::milli> core = std::chrono::steady_clock::now() - start;
      all_found = all_found && result.found;
      if (options.json)
        print_json(file, result, core.count());
      else
        print_line(file, result);
    } catch (...) {
      // Keep going: one unreadable file should not hide the answers for the others.
      const ExitCode code = report_current_exception(file.string());
      if (!first_error) first_error = code;
    }
  }
  if (first_error) return *first_error;
  return all_found ? ExitCode::success : ExitCode::not_found;
}

}  // namespace

Command add_detect_command(CLI::App& parent) {
  auto options = std::make_shared<DetectCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "detect",
      "Find the watermark in JPEG or PNG images or in audio files and print its payload.\n"
      "Only watermarks made with KEYFILE are found; the original is not needed.\n"
      "Prints one line per file; with --json one JSON object per line:\n"
      "  {\"file\", \"detected\", \"payload\" (16 hex digits or null), \"bit_errors\", \"coded_bits\",\n"
      "   \"false_alarm_probability\", when detected \"geometry\" (images: scale_x, scale_y, rotation_deg,\n"
      "   mirrored) or \"timing\" (audio: time_scale, frequency_scale, offset_seconds),\n"
      "   \"core_ms\" (decoding and detection time, file reading excluded)}\n"
      "Exit code: 0 when every file carries the watermark, 1 when one does not, else the first error's.\n"
      "A file that cannot be read is reported on stderr and does not stop the others.\n");
  app->add_option("--key-file", options->key_file, "Secret key file the images were watermarked with")
      ->required()
      ->type_name("KEYFILE");
  app->add_option("IN", options->inputs, "Images (JPEG, PNG) or audio files to examine")->required()->type_name("FILE");
  app->add_flag("--json", options->json, "Print JSON Lines instead of text");
  app->add_flag("--no-time-scale", options->no_time_scale,
                "Audio: do not look for speed or tempo changes (faster; finds unchanged timing only)");
  return {app, [options] { return run_detect(*options); }};
}

}  // namespace provmark::cli
