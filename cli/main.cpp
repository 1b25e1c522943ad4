// SPDX-License-Identifier: Apache-2.0
// The provmark command: keygen, embed and detect for the image watermark.
#include <CLI/CLI.hpp>
#include <array>
#include <memory>
#include <sstream>
#include <string>

#include "commands/commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "provmark/version.hpp"

namespace {

using provmark::cli::ExitCode;

// CLI11 prints its own message without our "provmark: " prefix; point to the help of the
// subcommand the user was typing, where the options are explained.
std::string usage_message(const CLI::App* app, const CLI::Error& error) {
  std::string help = "provmark --help";
  if (const auto chosen = app->get_subcommands(); !chosen.empty())
    help = "provmark " + chosen.front()->get_name() + " --help";
  return "provmark: " + std::string(error.what()) + "\nRun '" + help + "' for more information.\n";
}

// Lists each subcommand with the first line of its description; `provmark CMD --help` shows all of it.
class SummaryFormatter : public CLI::Formatter {
 public:
  std::string make_subcommand(const CLI::App* sub) const override {
    const std::string& description = sub->get_description();
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true), description.substr(0, description.find('\n')),
                             get_column_width());
    return out.str();
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(
      "provmark labels AI-generated media and checks uploads for such labels: a visible label, the\n"
      "GB 45438 metadata label, an invisible watermark carrying a 64-bit payload, and a signed C2PA manifest.\n"
      "Start with:  provmark keygen -o my.key\n"
      "             provmark label --key-file my.key --producer MYCODE --cert chain.pem --key signer.pem in.jpg out.jpg\n"
      "             provmark verify --wm-key me=my.key out.jpg\n",
      "provmark");
  // Set before adding subcommands, which copy them.
  app.formatter(std::make_shared<SummaryFormatter>());
  app.failure_message(usage_message);
  app.set_version_flag("--version", std::string("provmark ") + PROVMARK_VERSION_STRING, "Print the version and exit");
  app.footer(provmark::cli::exit_code_help());
  app.require_subcommand(1);
  // One options file for every subcommand: a [label] section holds `provmark label`'s options, and so on.
  // fallthrough lets it be given after the subcommand too.
  app.set_config("--config", "", "Read options from this TOML/INI file ([SUBCOMMAND] sections, name = value)");
  app.fallthrough();
  const std::array commands{provmark::cli::add_keygen_command(app), provmark::cli::add_embed_command(app),
                            provmark::cli::add_detect_command(app), provmark::cli::add_sign_command(app),
                            provmark::cli::add_inspect_command(app), provmark::cli::add_aigc_command(app),
                            provmark::cli::add_label_command(app), provmark::cli::add_verify_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0.
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  try {
    for (const auto& command : commands)
      if (command.app->parsed()) return static_cast<int>(command.run());
  } catch (...) {
    return static_cast<int>(provmark::cli::report_current_exception());
  }
  provmark::cli::print_error("internal error: no subcommand to run");
  return static_cast<int>(ExitCode::internal);
}
