// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands/commands.hpp"
#include "output.hpp"
#include "provmark/label.hpp"
#include "provmark/verify.hpp"

namespace provmark::cli {
namespace {

struct VerifyCliOptions {
  std::vector<std::filesystem::path> inputs;
  std::vector<std::string> watermark_keys;  // PROVIDER=KEYFILE
  std::filesystem::path keyring_file;
  std::filesystem::path trust;
  std::filesystem::path store;
  bool no_store = false;
  bool declared_ai = false;
  bool json = false;
  unsigned jobs = 0;
  // propagation
  std::string propagate;
  std::string propagate_id;
  std::filesystem::path output;
  std::filesystem::path cert_chain, private_key;
  std::string provider;
};

std::vector<KeyringEntry> load_keyring(const VerifyCliOptions& cli) {
  std::vector<KeyringEntry> keyring;
  for (const std::string& entry : cli.watermark_keys) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(Errc::invalid_argument, "--wm-key wants PROVIDER=KEYFILE, got '" + entry + "'");
    keyring.push_back({entry.substr(0, eq), WatermarkKey::load(entry.substr(eq + 1))});
  }
  if (!cli.keyring_file.empty()) {
    // {"providers": [{"name": "...", "key_file": "relative/to/this/file.key"}, ...]}
    const std::vector<std::uint8_t> bytes = read_file(cli.keyring_file);
    const auto doc = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded() || !doc.contains("providers") || !doc["providers"].is_array())
      throw Error(Errc::invalid_argument, "keyring '" + cli.keyring_file.string() + "' is not {\"providers\": [...]}");
    for (const auto& p : doc["providers"]) {
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string() || !p.contains("key_file") ||
          !p["key_file"].is_string())
        throw Error(Errc::invalid_argument, "keyring entries need string \"name\" and \"key_file\"");
      const std::filesystem::path key = cli.keyring_file.parent_path() / p["key_file"].get<std::string>();
      keyring.push_back({p["name"].get<std::string>(), WatermarkKey::load(key)});
    }
  }
  return keyring;
}

bool is_media_name(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".jpg", ".jpeg", ".png", ".wav", ".mp3", ".m4a", ".flac", ".ogg", ".opus"})
    if (ext == known) return true;
  return false;
}

// Files as given; folders searched recursively for images and audio (is_media_name), in sorted order.
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs) {
  std::vector<std::filesystem::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(input, ec)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::filesystem::path> found;
    for (auto it = std::filesystem::recursive_directory_iterator(input, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec) && is_media_name(it->path())) found.push_back(it->path());
    if (ec) throw Error(Errc::io, "cannot list '" + input.string() + "': " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

struct Outcome {
  std::optional<VerifyReport> report;
  std::optional<ExitCode> error;
  std::string error_message;
};

void print_text(const std::filesystem::path& file, const VerifyReport& r) {
  std::cout << file.string() << ": " << verdict_name(r.verdict) << " - " << r.summary << std::endl;
  for (const Contradiction& c : r.contradictions) std::cout << "  ! " << c.code << ": " << c.explanation << std::endl;
}

void print_json(const std::filesystem::path& file, const VerifyReport& r) {
  nlohmann::ordered_json line;
  line["file"] = file.string();
  line.update(nlohmann::ordered_json::parse(r.to_json()));
  std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

// A one-line progress bar on stderr, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), enabled_(total > 1 && isatty(STDERR_FILENO) == 1) {}
  void update(std::size_t done) const {
    if (!enabled_) return;
    constexpr int width = 30;
    const int filled = static_cast<int>(width * done / total_);
    std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 done, total_);
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::size_t total_;
  bool enabled_;
};

ExitCode run_propagate(const VerifyCliOptions& cli, const VerifyReport& report, const std::filesystem::path& input) {
  if (report.verdict == Verdict::no_evidence) {
    print_error("nothing to propagate: no evidence of AI generation in '" + input.string() + "'");
    return ExitCode::not_found;
  }
  PropagateOptions options;
  options.propagator = cli.propagate;
  options.propagate_id = cli.propagate_id;
  options.label_value = report.verdict == Verdict::confirmed_ai  ? "1"
                        : report.verdict == Verdict::possibly_ai ? "2"
                                                                 : "3";
  options.provider = cli.provider;
  std::optional<Signer> signer;
  if (!cli.cert_chain.empty()) signer = Signer::from_pem_files(cli.cert_chain, cli.private_key);
  options.signer = signer ? &*signer : nullptr;
  const PropagateResult result = propagate(read_file(input), options);
  write_file_atomic(cli.output, result.bytes);
  std::cerr << "propagated into '" << cli.output.string() << "': PropagateID " << result.aigc.propagate_id
            << (result.manifest_label.empty() ? "" : ", manifest " + result.manifest_label) << std::endl;
  return ExitCode::success;
}

ExitCode run_verify(const VerifyCliOptions& cli) {
  VerifyOptions options;
  options.keyring = load_keyring(cli);
  if (!cli.trust.empty())
    options.inspect.trust_anchors = TrustAnchors::from_pem_file(cli.trust);  // once, for all files
  options.user_declared_ai = cli.declared_ai;
  std::optional<ManifestStore> store;
  const std::filesystem::path store_path = cli.store.empty() ? ManifestStore::default_path() : cli.store;
  if (!cli.no_store && (!cli.store.empty() || std::filesystem::exists(store_path)))
    store = ManifestStore::open(store_path);
  options.store = store ? &*store : nullptr;

  const std::vector<std::filesystem::path> files = expand_inputs(cli.inputs);
  if (!cli.propagate.empty() && files.size() != 1)
    throw Error(Errc::invalid_argument, "--propagate works on one file at a time");

  // Workers take files in order; results are printed in input order as soon as each prefix is complete.
  std::vector<Outcome> outcomes(files.size());
  std::vector<bool> ready(files.size(), false);
  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<std::size_t> next{0};
  const unsigned jobs = std::max(1u, std::min<unsigned>(cli.jobs != 0 ? cli.jobs : std::thread::hardware_concurrency(),
                                                        static_cast<unsigned>(files.size())));
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::jthread> workers;
  for (unsigned j = 0; j < jobs; ++j)
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        Outcome outcome;
        try {
          outcome.report = verify_file(files[i], options);
        } catch (const Error& e) {
          outcome.error = exit_code_for(e.code());
          outcome.error_message = files[i].string() + ": " + e.what();
        } catch (const std::exception& e) {
          outcome.error = ExitCode::internal;
          outcome.error_message = files[i].string() + ": " + e.what();
        }
        const std::lock_guard lock(mutex);
        outcomes[i] = std::move(outcome);
        ready[i] = true;
        cv.notify_one();
      }
    });

  Progress progress(files.size());
  std::map<Verdict, std::size_t> counts;
  std::optional<ExitCode> first_error;
  std::size_t errors = 0;
  std::optional<VerifyReport> first_report;  // for --propagate (one file)
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return ready[i]; });
    const Outcome outcome = std::move(outcomes[i]);
    lock.unlock();
    if (outcome.report) {
      ++counts[outcome.report->verdict];
      if (i == 0) first_report = outcome.report;
      cli.json ? print_json(files[i], *outcome.report) : print_text(files[i], *outcome.report);
    } else {
      ++errors;
      print_error(outcome.error_message);
      if (!first_error) first_error = outcome.error;
    }
    progress.update(i + 1);
  }
  workers.clear();
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  if (files.size() > 1) {
    std::fprintf(stderr,
                 "%zu files in %.2f s (%.1f files/s): %zu confirmed_ai, %zu possibly_ai, %zu suspected_ai, "
                 "%zu no_evidence, %zu errors\n",
                 files.size(), seconds.count(), files.size() / seconds.count(), counts[Verdict::confirmed_ai],
                 counts[Verdict::possibly_ai], counts[Verdict::suspected_ai], counts[Verdict::no_evidence], errors);
  }
  if (first_error) return *first_error;
  if (!cli.propagate.empty()) return run_propagate(cli, *first_report, files[0]);
  return counts[Verdict::no_evidence] == 0 ? ExitCode::success : ExitCode::not_found;
}

}  // namespace

Command add_verify_command(CLI::App& parent) {
  auto o = std::make_shared<VerifyCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "verify",
      "Check uploads for AI-generation evidence: the C2PA manifest, the GB 45438 AIGC label and the\n"
      "watermarks of the providers in the keyring. Prints a verdict per file in Measures Art. 6 terms\n"
      "(confirmed_ai, possibly_ai, suspected_ai, no_evidence) with the evidence and contradictions; with\n"
      "--json one report per line (spec/verify-report-v1.md). Folders are searched for images\n"
      "(.jpg/.jpeg/.png) and audio (.wav/.mp3/.m4a/.flac/.ogg/.opus).\n"
      "A file whose metadata was stripped is traced through its watermark to the manifest store.\n"
      "Exit code: 0 when every file shows AI evidence, 1 when one shows none, else the first error's.\n");
  app->add_option("IN", o->inputs, "Images, audio files or folders")->required()->type_name("PATH");
  app->add_option("--wm-key", o->watermark_keys, "A provider's watermark key (repeatable)")
      ->type_name("PROVIDER=KEYFILE");
  app->add_option("--keyring", o->keyring_file, "JSON keyring: {\"providers\": [{\"name\", \"key_file\"}, ...]}")
      ->type_name("FILE");
  app->add_option("--trust", o->trust, "PEM bundle of trusted C2PA roots")->type_name("PEM");
  app->add_option("--store", o->store, "Manifest store for recovery (default: the default store, if it exists)");
  app->add_flag("--no-store", o->no_store, "Do not look manifests up in the store");
  app->add_flag("--declared-ai", o->declared_ai, "The uploader declared the content AI-generated (Art. 6(2))");
  app->add_flag("--json", o->json, "Print JSON Lines");
  app->add_option("-j,--jobs", o->jobs, "Files verified in parallel (default: one per core)");
  app->add_option("--propagate", o->propagate,
                  "Platform code: write ContentPropagator/PropagateID (and, with --cert/--key, a new manifest\n"
                  "with the old one as ingredient) into --output. One input file.");
  app->add_option("--propagate-id", o->propagate_id, "PropagateID (default: a new random identifier)");
  app->add_option("-o,--output", o->output, "Output file for --propagate")->type_name("FILE");
  app->add_option("--cert", o->cert_chain, "PEM certificate chain of the platform's C2PA signer")->type_name("PEM");
  app->add_option("--key", o->private_key, "PEM private key of the platform's C2PA signer")->type_name("PEM");
  app->add_option("--provider", o->provider, "Platform name for the disclosure assertion");
  app->get_option("--propagate")->needs("--output");
  app->get_option("--cert")->needs("--key");
  app->get_option("--key")->needs("--cert");
  return {app, [o] { return run_verify(*o); }};
}

}  // namespace provmark::cli
