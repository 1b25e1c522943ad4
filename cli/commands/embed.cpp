// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands/commands.hpp"
#include "output.hpp"
#include "provmark/audio_watermark.hpp"
#include "provmark/codec.hpp"
#include "provmark/watermark.hpp"

namespace provmark::cli {
namespace {

struct EmbedCliOptions {
  std::filesystem::path key_file;
  std::filesystem::path input;
  std::filesystem::path output;
  std::string payload_hex;
  std::optional<float> strength;
  int quality = 0;
  bool json = false;
};

// The kind of a file from its signature; a few bytes are enough, so this does not read it whole.
std::string media_of_file(const std::filesystem::path& path) {
  std::array<std::uint8_t, 16> head{};
  std::ifstream file(path, std::ios::binary);
  file.read(reinterpret_cast<char*>(head.data()), head.size());
  return std::string(media_name(std::span(head.data(), static_cast<std::size_t>(file.gcount()))));
}

ExitCode run_embed(const EmbedCliOptions& options) {
  const WatermarkKey key = WatermarkKey::load(options.key_file);
  const Payload payload = Payload::from_hex(options.payload_hex);
  if (is_image(media_of_file(options.input))) {
    FileEmbedOptions file_options;
    file_options.embed.strength = options.strength.value_or(EmbedOptions{}.strength);
    file_options.jpeg_quality = options.quality;
    embed_file(options.input, options.output, payload, key, file_options);
  } else {
    if (options.strength || options.quality != 0)
      throw Error(Errc::invalid_argument, "--strength and --quality apply to images; audio keeps its bit rate");
    embed_audio_file(options.input, options.output, payload, key);
  }

  const std::string format = media_of_file(options.output);
  if (options.json) {
    nlohmann::ordered_json out;
    out["output"] = options.output.string();
    out["payload"] = payload.to_hex();
    out["format"] = format;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  } else {
    std::cout << "wrote '" << options.output.string() << "' (" << format << ", payload " << payload.to_hex()
              << ")" << std::endl;
  }
  return ExitCode::success;
}

}  // namespace

Command add_embed_command(CLI::App& parent) {
  auto options = std::make_shared<EmbedCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "embed",
      "Write a watermarked copy of a JPEG or PNG image, or of an audio file (WAV, MP3, M4A, FLAC, Ogg).\n"
      "The watermark is imperceptible, survives common edits (images: recompression, resizing, cropping, ...;\n"
      "audio: lossy coding, resampling, filtering, noise, cuts, speed and tempo changes of 2%, ...) and\n"
      "carries a 64-bit payload of your choice, e.g. an ID to look up later. OUT keeps IN's format (audio: its\n"
      "codec, bit rate and tags; images: their metadata); it is written atomically, so a failed run leaves\n"
      "no partial OUT behind.\n");
  app->add_option("--key-file", options->key_file, "Secret key file (create one with: provmark keygen -o KEYFILE)")
      ->required()
      ->type_name("KEYFILE");
  app->add_option("IN", options->input, "Image (JPEG, PNG) or audio file to watermark")->required()->type_name("FILE");
  app->add_option("OUT", options->output, "Where to write the watermarked copy")->required()->type_name("FILE");
  app->add_option("--payload", options->payload_hex, "The 64-bit payload as 16 hex digits, e.g. 0123456789abcdef")
      ->required()
      ->type_name("HEX");
  app->add_option("--strength", options->strength,
                  "Images: watermark amplitude relative to the default, in (0, 4]; higher survives harsher\n"
                  "edits but is more visible (1, the default, gives about 43 dB PSNR)")
      ->type_name("S");
  app->add_option("--quality", options->quality, "Images: JPEG output quality 1..100; 0 keeps the input's quality")
      ->type_name("Q")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app->add_flag("--json", options->json, R"(Print {"output":..., "payload":..., "format": "jpeg"|"png"|"wav"|"mp3"|...})");
  return {app, [options] { return run_embed(*options); }};
}

}  // namespace provmark::cli
