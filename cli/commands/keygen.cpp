// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.hpp"
#include "provmark/error.hpp"
#include "provmark/watermark.hpp"

namespace provmark::cli {
namespace {

struct KeygenOptions {
  std::filesystem::path output;
  bool force = false;
};

ExitCode run_keygen(const KeygenOptions& options) {
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(options.output, ec);
  // Losing a key makes every image marked with it undetectable, so never replace one silently.
  if (status.type() != std::filesystem::file_type::not_found && !options.force) {
    if (ec) throw Error(Errc::io, "cannot check '" + options.output.string() + "': " + ec.message());
    throw Error(Errc::io, "'" + options.output.string() + "' already exists; use --force to replace it");
  }

  const WatermarkKey key = WatermarkKey::generate();
  key.save(options.output);
  std::cout << "wrote a new key to '" << options.output.string() << "' (fingerprint " << key.fingerprint()
            << "); keep this file secret and backed up\n";
  return ExitCode::success;
}

}  // namespace

Command add_keygen_command(CLI::App& parent) {
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* app = parent.add_subcommand(
      "keygen",
      "Create a new secret key file for embed and detect.\n"
      "The file is readable by you only (mode 0600). Anyone with the key can detect, read and forge\n"
      "your watermarks: keep it secret. Without it, images marked with it can no longer be checked:\n"
      "keep a backup. Prints the key's fingerprint, a public ID that is safe to share and log.\n");
  app->add_option("-o,--output", options->output, "Where to write the key file")->required()->type_name("KEYFILE");
  app->add_flag("--force", options->force, "Replace KEYFILE if it already exists (the old key is lost)");
  return {app, [options] { return run_keygen(*options); }};
}

}  // namespace provmark::cli
