// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The subcommands of provmark. Each add_*_command registers its options on `parent` and returns
/// the function to run when the user chose it (the options live inside that function).

#include <CLI/CLI.hpp>
#include <functional>

#include "exit_codes.hpp"

namespace provmark::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<ExitCode()> run;
};

Command add_keygen_command(CLI::App& parent);
Command add_embed_command(CLI::App& parent);
Command add_detect_command(CLI::App& parent);
Command add_sign_command(CLI::App& parent);
Command add_inspect_command(CLI::App& parent);
Command add_aigc_command(CLI::App& parent);
Command add_label_command(CLI::App& parent);
Command add_verify_command(CLI::App& parent);

}  // namespace provmark::cli
