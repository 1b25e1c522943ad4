// SPDX-License-Identifier: Apache-2.0
// Reading and validating manifest stores: agreement with c2pa-rs on the shared fixtures, our own signed files,
// and single-byte tampers.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/cose.hpp"
#include "c2pa/jumbf.hpp"
#include "c2pa/test_tsa.hpp"
#include "c2pa/timestamp.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

namespace {

// What the reference validator said about one file.
struct Expected {
  bool has_manifest = true;
  std::string state;            // "Invalid", "Valid" or "Trusted"
  std::set<std::string> codes;  // failure codes
  bool compare_codes = true;    // false when c2pa-rs gave a Reader error instead of a report
  std::set<std::string> failures_at;          // "code @ url", when the reference gives urls
  std::map<std::string, std::string> fields;  // summary fields of the active manifest, when given
  // "success timeStamp.validated", "informational timeStamp.untrusted", ... of the active manifest, when given.
  std::optional<std::set<std::string>> time_stamp_codes;
};

// Files where we knowingly disagree with c2pa-rs, with the reason. Keep this short and honest.
const std::map<std::string, std::string> known_disagreements = {
    // Update manifests: the store grew after the v1 manifest's data hash was made; c2pa-rs accounts for that.
    {"c2pa-rs/media/update_manifest.jpg", "update manifest hard binding not followed"},
    {"c2pa-rs/media/C_with_CAWG_data.jpg", "cawg.identity assertions are not validated"},
    {"c2pa-rs/media/adobe-20220124-E-clm-CAICAI.jpg", "ingredients are not validated (ingredient.manifest.missing)"},
};

// shared/ beside the repository (or $PROVMARK_SHARED_DIR), found the way the PKI tests find it.
fs::path shared_dir() {
  const fs::path pki = test::shared_pki_dir();
  return pki.empty() ? fs::path() : pki.parent_path().parent_path().parent_path();
}

std::string codes_text(const std::set<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out.empty() ? "-" : out;
}

std::set<std::string> time_stamp_codes(const ManifestReport& report) {
  std::set<std::string> codes;
  for (const auto& s : report.success)
    if (s.code.starts_with("timeStamp.")) codes.insert("success " + s.code);
  for (const auto& s : report.informational)
    if (s.code.starts_with("timeStamp.")) codes.insert("informational " + s.code);
  return codes;
}

std::set<std::string> failure_codes(const ManifestReport& report) {
  std::set<std::string> codes;
  for (const auto& s : report.failure) codes.insert(s.code);
  return codes;
}

bool has_code(const std::vector<ValidationStatus>& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(), [&](const ValidationStatus& s) { return s.code == code; });
}

struct Case {
  std::string name;
  fs::path file;
  fs::path sidecar;  // empty unless the store is a separate .c2pa
  std::string anchors_pem;
  Expected expected;
};

ManifestReport run(const Case& c, std::string& ours) {
  InspectOptions options;
  options.trust_anchors_pem = c.anchors_pem;
  try {
    ManifestReport report;
    if (c.sidecar.empty()) {
      report = inspect(read_file(c.file), options);
    } else {
      report = inspect_sidecar(read_file(c.sidecar), c.file.empty() ? Bytes{} : read_file(c.file), options);
    }
    ours = report.has_manifest ? std::string(validation_state_name(report.state)) + " " +
                                     codes_text(failure_codes(report)) + " " + codes_text(time_stamp_codes(report))
                               : "no manifest";
    return report;
  } catch (const Error& e) {
    ours = std::string("Error ") + e.what();
    throw;
  }
}

std::vector<Case> c2pa_ref_cases(const fs::path& dir) {
  std::vector<Case> cases;
  std::ifstream in(dir / "expected.json");
  const nlohmann::json expected = nlohmann::json::parse(in);
  const std::string anchors = test::read_text(dir / "trust-anchor.pem");
  for (const auto& [name, e] : expected.at("files").items()) {
    const std::string format = e.at("format");
    if (format != "image/jpeg" && format != "image/png") continue;
    Expected x;
    x.has_manifest = e.at("has_manifest");
    if (x.has_manifest) x.state = e.at("validation_state");
    for (const auto& code : e.at("failure_codes")) x.codes.insert(code.get<std::string>());
    if (std::ifstream full(dir / "expected" / (name + ".verify.json")); full && x.has_manifest) {
      const nlohmann::json v = nlohmann::json::parse(full);
      for (const auto& f : v.value("failures", nlohmann::json::array()))
        x.failures_at.insert(f.at("code").get<std::string>() + " @ " + f.value("url", ""));
      for (const char* field : {"claim_generator", "digital_source_type", "signature_alg", "signature_issuer",
                                "signature_common_name"})
        x.fields[field] = v.at(field).get<std::string>();
      x.fields["claim_version"] = std::to_string(v.at("claim_version").get<int>());
    }
    cases.push_back({"c2pa-ref/" + name, dir / name, {}, anchors, x});
  }
  return cases;
}

std::vector<Case> c2pa_rs_cases(const fs::path& dir) {
  std::vector<Case> cases;
  std::ifstream in(dir / "validation_results.json");
  const nlohmann::json results = nlohmann::json::parse(in).at("results");
  const std::string anchors = test::read_text(dir / "certs" / "trust" / "test_cert_root_bundle.pem");
  for (const auto& [name, modes] : results.items()) {
    const bool image = name.ends_with(".jpg") || name.ends_with(".png");
    const bool store = name.ends_with(".c2pa");
    if (!image && !store) continue;
    const nlohmann::json& e = modes.at("test_trust");
    Expected x;
    if (e.contains("error")) {
      const std::string error = e.at("error");
      // No store in the file (a remote URL is not fetched): no manifest. Other Reader errors mean Invalid.
      x.has_manifest = error.find("JumbfNotFound") == std::string::npos &&
                       error.find("RemoteManifestUrl") == std::string::npos;
      x.state = "Invalid";
      x.compare_codes = false;
    } else {
      x.state = e.at("validation_state");
      for (const auto& code : e.at("failure")) {
        const std::string text = code;
        x.codes.insert(text.substr(0, text.find(" @ ")));
      }
      x.time_stamp_codes.emplace();
      for (const char* list : {"success", "informational"}) {
        for (const auto& code : e.at(list)) {
          const std::string text = code;
          if (text.starts_with("timeStamp.")) x.time_stamp_codes->insert(list + (" " + text));
        }
      }
    }
    // A .c2pa read alone: the store with no asset bytes.
    cases.push_back({"c2pa-rs/" + name, store ? fs::path() : dir / name, store ? dir / name : fs::path(), anchors, x});
  }
  // Not run through c2pa-rs's Reader (INDEX.md): signed with the c2pa-rs test key, its data hash covers the
  // whole JPEG (checked there), so the test_trust expectation is Trusted.
  Expected trusted;
  trusted.state = "Trusted";
  cases.push_back({"c2pa-rs/generated/indie_sidecar.c2pa + .jpg", dir / "generated" / "indie_sidecar.jpg",
                   dir / "generated" / "indie_sidecar.c2pa", anchors, trusted});
  return cases;
}

std::map<std::string, std::string> summary_fields(const ManifestReport& report) {
  for (const auto& m : report.manifests) {
    if (m.label != report.active_manifest) continue;
    return {{"claim_generator", m.claim_generator}, {"digital_source_type", m.digital_source_type},
            {"signature_alg", m.signature_alg}, {"signature_issuer", m.signature_issuer},
            {"signature_common_name", m.signature_common_name}, {"claim_version", std::to_string(m.claim_version)}};
  }
  return {};
}

bool agrees(const Expected& x, const ManifestReport& report) {
  if (report.has_manifest != x.has_manifest) return false;
  if (!x.has_manifest) return true;
  if (validation_state_name(report.state) != x.state) return false;
  if (x.compare_codes && failure_codes(report) != x.codes) return false;
  if (x.time_stamp_codes && time_stamp_codes(report) != *x.time_stamp_codes) return false;
  if (!x.failures_at.empty()) {
    std::set<std::string> ours;
    for (const auto& f : report.failure) ours.insert(f.code + " @ " + f.url);
    if (ours != x.failures_at) return false;
  }
  return x.fields.empty() || summary_fields(report) == x.fields;
}

struct TestCredentials {
  Signer signer;
  std::string anchors_pem;
};

TestCredentials make_signer() {
  const auto root_key = test::make_key("P-256");
  const auto root =
      test::make_cert(root_key.get(), {.common_name = "provmark test root", .extensions = test::ca_extensions()});
  const auto key = test::make_key("P-256");
  const auto cert = test::make_cert(
      key.get(), {.common_name = "provmark test signer", .extensions = test::signer_extensions()}, root.get(),
      root_key.get());
  return {Signer::from_pem(test::to_pem(cert.get()), test::private_key_pem(key.get())), test::to_pem(root.get())};
}

// Flips one bit of the first occurrence of `needle` in `file`, at `offset` within it.
Bytes tampered(Bytes file, std::span<const std::uint8_t> needle, std::size_t offset) {
  const auto at = std::search(file.begin(), file.end(), needle.begin(), needle.end());
  REQUIRE(at != file.end());
  at[static_cast<std::ptrdiff_t>(offset)] ^= 0x01;
  return file;
}

Bytes text_bytes(std::string_view text) { return {text.begin(), text.end()}; }

}  // namespace

TEST_SUITE("c2pa/inspect") {
  TEST_CASE("validation agrees with c2pa-rs on the shared JPEG and PNG fixtures") {
    const fs::path shared = shared_dir();
    const fs::path fixtures = shared / "fixtures";
    if (shared.empty() || !fs::exists(fixtures / "c2pa-ref") || !fs::exists(fixtures / "c2pa-rs")) {
      MESSAGE("shared/fixtures not found beside the repository: skipped");
      return;
    }
    std::vector<Case> cases = c2pa_ref_cases(shared / "fixtures" / "c2pa-ref");
    for (auto& c : c2pa_rs_cases(shared / "fixtures" / "c2pa-rs")) cases.push_back(std::move(c));
    std::ostringstream table;
    int agreed = 0, excused = 0;
    for (const Case& c : cases) {
      std::string ours;
      bool ok = false;
      try {
        ok = agrees(c.expected, run(c, ours));
      } catch (const Error&) {
        ok = false;  // the expectations are all reports; `ours` says which error
      }
      std::string codes = c.expected.compare_codes ? codes_text(c.expected.codes) : "(Reader error)";
      if (c.expected.time_stamp_codes) codes += " " + codes_text(*c.expected.time_stamp_codes);
      const std::string expected = c.expected.has_manifest ? c.expected.state + " " + codes : "no manifest";
      const auto excuse = known_disagreements.find(c.name);
      table << (ok ? "  ok  " : excuse != known_disagreements.end() ? "known " : "DIFF  ") << c.name
            << " | expected " << expected << " | ours " << ours << "\n";
      if (ok) ++agreed;
      else if (excuse != known_disagreements.end()) ++excused;
      else FAIL_CHECK("disagreement on " << c.name << ": expected " << expected << ", ours " << ours);
    }
    MESSAGE("agreement " << agreed << "/" << cases.size() << " (" << excused << " known)\n" << table.str());
  }

  TEST_CASE("hostile bytes give a report or a typed error") {
    const Bytes good = read_file(test::data_path("c2pa/c2pars_v2_ai.jpg"));
    for (std::size_t cut : {std::size_t{2}, std::size_t{100}, good.size() / 2}) {
      try {
        (void)inspect(std::span(good).first(cut));
      } catch (const Error&) {
      }
    }
    Bytes flipped = good;
    for (std::size_t i = 0; i < std::min<std::size_t>(flipped.size(), 40'000); i += 97) {
      flipped[i] ^= 0x5A;
      try {
        (void)inspect(flipped).to_json();
      } catch (const Error&) {
      }
      flipped[i] ^= 0x5A;
    }
    CHECK_THROWS_AS((void)inspect(text_bytes("not an image")), Error);
    CHECK_FALSE(inspect_sidecar(text_bytes("junk"), {}).state == ValidationState::valid);
  }

  TEST_CASE("a file without a manifest says so") {
    const ManifestReport report = inspect(read_file(test::data_path("coffee.jpg")));
    CHECK_FALSE(report.has_manifest);
    CHECK(nlohmann::json::parse(report.to_json())["has_manifest"] == false);
  }

  TEST_CASE("strings from a manifest that are not UTF-8 still give JSON") {
    ManifestReport report;
    report.has_manifest = true;
    report.active_manifest = "urn:c2pa:x";
    ManifestSummary summary;
    summary.label = "urn:c2pa:x";
    summary.claim_generator = "bad \xff byte";
    report.manifests.push_back(summary);
    const auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["manifests"]["urn:c2pa:x"]["claim_generator"] == "bad \xEF\xBF\xBD byte");
    CHECK(json["validation_state"] == "Invalid");
  }

  TEST_CASE("our own signed JPEG and PNG are Trusted by their root, Valid without anchors") {
    const TestCredentials creds = make_signer();
    Manifest manifest("provmark tests", "1.0");
    manifest.created(DigitalSourceType::trained_algorithmic_media).watermarked(Payload::from_hex("0123456789abcdef"));
    for (const char* name : {"coffee.jpg", "chelsea.png"}) {
      CAPTURE(name);
      const Bytes signed_file = sign(read_file(test::data_path(name)), manifest, creds.signer);
      const ManifestReport trusted = inspect(signed_file, {.trust_anchors_pem = creds.anchors_pem});
      CHECK(trusted.state == ValidationState::trusted);
      CHECK(trusted.failure.empty());
      for (const char* code : {"claimSignature.validated", "claimSignature.insideValidity", "signingCredential.trusted",
                               "assertion.hashedURI.match", "assertion.dataHash.match"})
        CHECK(has_code(trusted.success, code));
      CHECK(has_code(trusted.informational, "signingCredential.ocsp.skipped"));
      REQUIRE(trusted.manifests.size() == 1);
      const ManifestSummary& m = trusted.manifests[0];
      CHECK(m.label == trusted.active_manifest);
      CHECK(m.claim_version == 2);
      CHECK(m.claim_generator == "provmark tests");
      CHECK(m.digital_source_type == digital_source_type_uri(DigitalSourceType::trained_algorithmic_media));
      CHECK(m.actions == std::vector<std::string>{"c2pa.created", "c2pa.watermarked"});
      CHECK(m.signature_alg == "Es256");
      CHECK(m.signature_common_name == "provmark test signer");
      REQUIRE(m.soft_bindings.size() == 1);
      CHECK(m.soft_bindings[0].alg == image_watermark_alg);
      const auto payload = Payload::from_hex("0123456789abcdef");
      CHECK(std::equal(m.soft_bindings[0].value.begin(), m.soft_bindings[0].value.end(), payload.bytes.begin(),
                       payload.bytes.end()));
      const auto json = nlohmann::json::parse(trusted.to_json());
      CHECK(json["validation_state"] == "Trusted");
      CHECK(json["manifests"].contains(trusted.active_manifest));

      const ManifestReport untrusted = inspect(signed_file);
      CHECK(untrusted.state == ValidationState::valid);
      REQUIRE(untrusted.failure.size() == 1);
      CHECK(untrusted.failure[0].code == "signingCredential.untrusted");
      CHECK(untrusted.failure[0].url == "self#jumbf=/c2pa/" + untrusted.active_manifest + "/c2pa.signature");
    }
  }

  TEST_CASE("a changed byte in the claim, signature, an assertion or the pixels makes the file Invalid") {
    const TestCredentials creds = make_signer();
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const InspectOptions options{.trust_anchors_pem = creds.anchors_pem};
    const ManifestReport good = inspect(signed_file, options);
    REQUIRE(good.state == ValidationState::trusted);

    struct Tamper {
      const char* what;
      Bytes file;
      const char* code;
      std::string url_suffix;
    };
    const Bytes source_type = text_bytes("trainedAlgorithmicMedia");  // only in c2pa.actions.v2
    std::vector<Tamper> tampers = {
        {"assertion", tampered(signed_file, source_type, 4), "assertion.hashedURI.mismatch",
         "/c2pa.assertions/c2pa.actions.v2"},
        {"pixels", signed_file, "assertion.dataHash.mismatch", "/c2pa.assertions/c2pa.hash.data"},
    };
    tampers[1].file[tampers[1].file.size() - 10] ^= 0x01;  // entropy-coded data before EOI
    // The signature: the raw ECDSA bytes of the COSE_Sign1, found through our own parsers.
    {
      const auto store = c2pa::jpeg_read_manifest_store(signed_file);
      REQUIRE(store.has_value());
      const auto root = c2pa::jumbf::parse_superbox(*store);
      const auto* signature_box = root.superboxes().back()->find_child("c2pa.signature");
      REQUIRE(signature_box != nullptr);
      const auto cose = c2pa::parse_cose_sign1(signature_box->content_boxes().front()->data);
      tampers.push_back({"signature", tampered(signed_file, cose.signature, 5), "claimSignature.mismatch",
                         "/c2pa.signature"});
      // The claim: one bit of its last byte (inside the "alg" value), the CBOR stays well formed.
      const auto* claim_box = root.superboxes().back()->find_child("c2pa.claim.v2");
      REQUIRE(claim_box != nullptr);
      const auto claim = claim_box->content_boxes().front()->data;
      tampers.push_back({"claim", tampered(signed_file, claim, claim.size() - 1), "claimSignature.mismatch",
                         "/c2pa.signature"});
    }
    for (const Tamper& t : tampers) {
      CAPTURE(std::string(t.what));
      const ManifestReport report = inspect(t.file, options);
      CHECK(report.state == ValidationState::invalid);
      REQUIRE(report.failure.size() == 1);
      CHECK(report.failure[0].code == t.code);
      CHECK(report.failure[0].url == "self#jumbf=/c2pa/" + good.active_manifest + t.url_suffix);
    }
  }

  TEST_CASE("a trusted time-stamp keeps a signature valid after the signer's certificate expires") {
    const TestCredentials creds = make_signer();  // the signer's certificate is valid for a year
    const test::TestTsa tsa;
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    Bytes file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    // Signed again with a time-stamp into the same reserved bytes: the Signer has no time-stamper yet.
    const auto store = c2pa::jpeg_read_manifest_store(file);
    REQUIRE(store.has_value());
    const auto root = c2pa::jumbf::parse_superbox(*store);
    const auto* claim_box = root.superboxes().back()->find_child("c2pa.claim.v2");
    const auto* signature_box = root.superboxes().back()->find_child("c2pa.signature");
    REQUIRE((claim_box && signature_box));
    const auto old_cose = signature_box->content_boxes().front()->data;
    const auto gen_time = std::chrono::system_clock::from_time_t(
        std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - std::chrono::hours(1)));
    const Bytes stamped =
        c2pa::sign_claim(claim_box->content_boxes().front()->data, creds.signer, old_cose.size(),
                         [&](std::span<const std::uint8_t> message) { return tsa.token(message, gen_time); });
    const auto at = std::search(file.begin(), file.end(), old_cose.begin(), old_cose.end());
    REQUIRE(at != file.end());
    std::copy(stamped.begin(), stamped.end(), at);

    const auto two_years_on = std::chrono::system_clock::now() + std::chrono::hours(24 * 730);
    const ManifestReport report =
        inspect(file, {.trust_anchors_pem = creds.anchors_pem + tsa.root_pem(), .at = two_years_on});
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    for (const char* code : {"timeStamp.validated", "timeStamp.trusted", "claimSignature.insideValidity",
                             "signingCredential.trusted"})
      CHECK(has_code(report.success, code));
    REQUIRE(report.manifests.size() == 1);
    CHECK(report.manifests[0].signature_time == c2pa::rfc3339(gen_time));
    CHECK(nlohmann::json::parse(report.to_json())["manifests"][report.active_manifest]["signature_info"]["time"] ==
          c2pa::rfc3339(gen_time));

    // The TSA not trusted: the time-stamp is only informational and the certificate is judged two years on.
    const ManifestReport untrusted_tsa = inspect(file, {.trust_anchors_pem = creds.anchors_pem, .at = two_years_on});
    CHECK(untrusted_tsa.state == ValidationState::invalid);
    CHECK(has_code(untrusted_tsa.success, "timeStamp.validated"));
    CHECK(has_code(untrusted_tsa.informational, "timeStamp.untrusted"));
    CHECK(failure_codes(untrusted_tsa) ==
          std::set<std::string>{"signingCredential.expired", "claimSignature.outsideValidity"});
    // Today both are fine; the summary shows the time whoever made it.
    const ManifestReport today = inspect(file, {.trust_anchors_pem = creds.anchors_pem});
    CHECK(today.state == ValidationState::trusted);
    CHECK(today.manifests[0].signature_time == c2pa::rfc3339(gen_time));
  }

  TEST_CASE("trust anchors parsed once serve many calls, and exclude the PEM option") {
    const TestCredentials creds = make_signer();
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const TrustAnchors anchors = TrustAnchors::from_pem(creds.anchors_pem);
    CHECK(anchors.size() == 1);
    CHECK(TrustAnchors().empty());
    for (int i = 0; i < 3; ++i) {
      CHECK(inspect(signed_file, {.trust_anchors = anchors}).state == ValidationState::trusted);
    }
    CHECK(test::error_code_of([&] {
            (void)inspect(signed_file, {.trust_anchors = anchors, .trust_anchors_pem = creds.anchors_pem});
          }) == Errc::invalid_argument);

    // One object, several threads at once (it shares decoded certificates and remembers verified chains).
    std::vector<int> trusted(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < trusted.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 3; ++i) {
          trusted[t] += inspect(signed_file, {.trust_anchors = anchors}).state == ValidationState::trusted ? 1 : 0;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(trusted == std::vector<int>(4, 3));
  }
}
