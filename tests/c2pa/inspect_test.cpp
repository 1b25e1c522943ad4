// SPDX-License-Identifier: Apache-2.0
// Reading and validating manifest stores: agreement with c2pa-rs on the shared fixtures, our own signed files,
// and single-byte tampers.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/cbor.hpp"
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
  std::set<std::string> delta_codes;  // failure codes of the ingredient deltas, when the reference lists them
  bool compare_codes = true;    // false when c2pa-rs gave a Reader error instead of a report
  bool error = false;           // c2pa-rs refused the asset (InvalidAsset): we must throw a typed Error
  std::set<std::string> failures_at;          // "code @ url", when the reference gives urls
  std::map<std::string, std::string> fields;  // summary fields of the active manifest, when given
  // "success timeStamp.validated", "informational timeStamp.untrusted", "success cawg.identity.well-formed", ... (the
  // time-stamp and CAWG identity codes) of the active manifest, and
  // "delta informational timeStamp.mismatch", ... of the ingredient deltas, when given.
  std::optional<std::set<std::string>> time_stamp_codes;
};

// Files where we knowingly disagree with c2pa-rs, with the reason. Keep this short and honest.
const std::map<std::string, std::string> known_disagreements = {};

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
    if (s.code.starts_with("timeStamp.") || s.code.starts_with("cawg.")) codes.insert("success " + s.code);
  for (const auto& s : report.informational)
    if (s.code.starts_with("timeStamp.") || s.code.starts_with("cawg.")) codes.insert("informational " + s.code);
  for (const auto& d : report.ingredient_deltas)
    for (const auto& s : d.informational)
      if (s.code.starts_with("timeStamp.")) codes.insert("delta informational " + s.code);
  return codes;
}

std::set<std::string> failure_codes(const ManifestReport& report) {
  std::set<std::string> codes;
  for (const auto& s : report.failure) codes.insert(s.code);
  return codes;
}

std::set<std::string> delta_failure_codes(const ManifestReport& report) {
  std::set<std::string> codes;
  for (const auto& d : report.ingredient_deltas)
    for (const auto& s : d.failure) codes.insert(s.code);
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
                                     codes_text(failure_codes(report)) + " deltas " +
                                     codes_text(delta_failure_codes(report)) + " " +
                                     codes_text(time_stamp_codes(report))
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
    static const std::set<std::string> formats = {"image/jpeg", "image/png", "audio/wav", "audio/mpeg", "audio/mp4",
                                                  "video/mp4"};
    if (!formats.contains(format)) continue;
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
    static constexpr std::string_view extensions[] = {".jpg", ".png", ".wav", ".mp3", ".mp4", ".m4a", ".mov", ".m4s"};
    const std::string& file = name;  // clang 14 cannot capture a structured binding
    const bool media = std::any_of(std::begin(extensions), std::end(extensions),
                                   [&](std::string_view extension) { return file.ends_with(extension); });
    const bool store = name.ends_with(".c2pa");
    if (!media && !store) continue;
    const nlohmann::json& e = modes.at("test_trust");
    Expected x;
    if (e.contains("error")) {
      const std::string error = e.at("error");
      // No store in the file (a remote URL is not fetched): no manifest. Other Reader errors mean Invalid.
      x.has_manifest = error.find("JumbfNotFound") == std::string::npos &&
                       error.find("RemoteManifestUrl") == std::string::npos;
      x.state = "Invalid";
      x.compare_codes = false;
      x.error = error.find("InvalidAsset") != std::string::npos;
    } else {
      x.state = e.at("validation_state");
      for (const auto& code : e.at("failure")) {
        const std::string text = code;
        x.codes.insert(text.substr(0, text.find(" @ ")));
      }
      for (const auto& delta : e.value("ingredient_deltas", nlohmann::json::array()))
        for (const auto& code : delta.at("failure")) x.delta_codes.insert(code.get<std::string>());
      x.time_stamp_codes.emplace();
      for (const char* list : {"success", "informational"}) {
        for (const auto& code : e.at(list)) {
          const std::string text = code;
          if (text.starts_with("timeStamp.") || text.starts_with("cawg."))
            x.time_stamp_codes->insert(list + (" " + text));
        }
      }
      // The reference lists failure and informational deltas only.
      for (const auto& delta : e.value("ingredient_deltas", nlohmann::json::array())) {
        for (const auto& code : delta.value("informational", nlohmann::json::array())) {
          const std::string text = code;
          if (text.starts_with("timeStamp.")) x.time_stamp_codes->insert("delta informational " + text);
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
  if (x.compare_codes && (failure_codes(report) != x.codes || delta_failure_codes(report) != x.delta_codes))
    return false;
  if (x.time_stamp_codes && time_stamp_codes(report) != *x.time_stamp_codes) return false;
  if (!x.failures_at.empty()) {
    std::set<std::string> ours;
    for (const auto& f : report.failure) ours.insert(f.code + " @ " + f.url);
    if (ours != x.failures_at) return false;
  }
  return x.fields.empty() || summary_fields(report) == x.fields;
}

// A root CA and a signer it issued; the root is the trust anchor.
test::SignerWithRoot make_signer() { return test::make_signer_with_root("P-256"); }

// Flips one bit of the first occurrence of `needle` in `file`, at `offset` within it.
Bytes tampered(Bytes file, std::span<const std::uint8_t> needle, std::size_t offset) {
  const auto at = std::search(file.begin(), file.end(), needle.begin(), needle.end());
  REQUIRE(at != file.end());
  at[static_cast<std::ptrdiff_t>(offset)] ^= 0x01;
  return file;
}

Bytes text_bytes(std::string_view text) { return {text.begin(), text.end()}; }

// Whole seconds, as a time-stamp's genTime holds them.
std::chrono::system_clock::time_point an_hour_ago() {
  return std::chrono::system_clock::from_time_t(
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - std::chrono::hours(1)));
}

// `file` with the claim of its active manifest signed again by `signer`, now with a time-stamp from `tsa` at
// `gen_time`, into the same reserved bytes: the Signer has no time-stamper yet.
Bytes time_stamped(Bytes file, const Signer& signer, const test::TestTsa& tsa,
                   std::chrono::system_clock::time_point gen_time) {
  const auto store = c2pa::jpeg_read_manifest_store(file);
  REQUIRE(store.has_value());
  const auto root = c2pa::jumbf::parse_superbox(*store);
  const auto* claim_box = root.superboxes().back()->find_child("c2pa.claim.v2");
  const auto* signature_box = root.superboxes().back()->find_child("c2pa.signature");
  REQUIRE((claim_box && signature_box));
  const auto old_cose = signature_box->content_boxes().front()->data;
  const Bytes stamped =
      c2pa::sign_claim(claim_box->content_boxes().front()->data, signer, old_cose.size(),
                       [&](std::span<const std::uint8_t> message) { return tsa.token(message, gen_time); });
  const auto at = std::search(file.begin(), file.end(), old_cose.begin(), old_cose.end());
  REQUIRE(at != file.end());
  std::copy(stamped.begin(), stamped.end(), at);
  return file;
}

// An empty superbox of the given type and label.
c2pa::jumbf::Superbox superbox(const c2pa::Uuid& type, std::string label) {
  c2pa::jumbf::Superbox box;
  box.type = type;
  box.label = std::move(label);
  return box;
}

// A superbox holding one CBOR content box, for stores built by hand.
c2pa::jumbf::Superbox cbor_box(const c2pa::Uuid& type, std::string label, const nlohmann::json& value) {
  c2pa::jumbf::Superbox box = superbox(type, std::move(label));
  box.children.emplace_back(c2pa::jumbf::ContentBox{c2pa::box_type::cbor, c2pa::cbor::to_cbor(value)});
  return box;
}

}  // namespace

TEST_SUITE("c2pa/inspect") {
  TEST_CASE("validation agrees with c2pa-rs on the shared JPEG, PNG, WAV, MP3, M4A and MP4 fixtures") {
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
        const ManifestReport report = run(c, ours);
        ok = !c.expected.error && agrees(c.expected, report);
      } catch (const Error& e) {
        // c2pa-rs refuses broken containers (InvalidAsset); we must refuse them with a typed error.
        ok = c.expected.error && (e.code() == Errc::malformed_input || e.code() == Errc::unsupported_format);
      }
      std::string codes = c.expected.error           ? "(Reader error: invalid asset)"
                          : c.expected.compare_codes ? codes_text(c.expected.codes) + " deltas " +
                                                           codes_text(c.expected.delta_codes)
                                                     : "(Reader error)";
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
    const test::SignerWithRoot creds = make_signer();
    Manifest manifest("provmark tests", "1.0");
    manifest.created(DigitalSourceType::trained_algorithmic_media).watermarked(Payload::from_hex("0123456789abcdef"));
    for (const char* name : {"coffee.jpg", "chelsea.png"}) {
      CAPTURE(name);
      const Bytes signed_file = sign(read_file(test::data_path(name)), manifest, creds.signer);
      const ManifestReport trusted = inspect(signed_file, {.trust_anchors_pem = creds.root_pem});
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
    const test::SignerWithRoot creds = make_signer();
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const InspectOptions options{.trust_anchors_pem = creds.root_pem};
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

  TEST_CASE("a re-signed file carries both signatures, valid, with the first manifest as parent ingredient") {
    const test::SignerWithRoot first = make_signer();
    const test::SignerWithRoot second = make_signer();
    Manifest manifest("provmark tests");
    manifest.watermarked(Payload::from_hex("0123456789abcdef"));
    const Bytes once = sign(read_file(test::data_path("coffee.jpg")), manifest, first.signer);
    const Bytes twice = sign(once, manifest, second.signer);
    const Bytes thrice = sign(twice, manifest, first.signer);
    const InspectOptions both{.trust_anchors_pem = first.root_pem + second.root_pem};

    const ManifestReport report = inspect(twice, both);
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    REQUIRE(report.manifests.size() == 2);
    const ManifestSummary& parent = report.manifests[0];
    const ManifestSummary& active = report.manifests[1];
    CHECK(active.label == report.active_manifest);
    CHECK(active.actions == std::vector<std::string>{"c2pa.opened", "c2pa.watermarked"});
    CHECK(active.digital_source_type == digital_source_type_uri(DigitalSourceType::trained_algorithmic_media));
    REQUIRE(active.ingredients.size() == 1);
    const IngredientSummary& ingredient = active.ingredients[0];
    CHECK(ingredient.label == "c2pa.ingredient.v3");
    CHECK(ingredient.relationship == "parentOf");
    CHECK(ingredient.format == "image/jpeg");
    CHECK(ingredient.active_manifest == parent.label);
    // Recorded when the second signature was made (no anchors then): the first signature valid, not trusted.
    CHECK(has_code(ingredient.success, "claimSignature.validated"));
    REQUIRE(ingredient.failure.size() == 1);
    CHECK(ingredient.failure[0].code == "signingCredential.untrusted");
    // Checked now: the ingredient's manifest hash matches and its signer is trusted; no other change.
    REQUIRE(report.ingredient_deltas.size() == 1);
    const IngredientDelta& delta = report.ingredient_deltas[0];
    CHECK(delta.ingredient_assertion_uri == "self#jumbf=/c2pa/" + active.label + "/c2pa.assertions/c2pa.ingredient.v3");
    CHECK(delta.failure.empty());
    CHECK(has_code(delta.success, "ingredient.manifest.validated"));
    CHECK(has_code(delta.success, "signingCredential.trusted"));
    const auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["manifests"][active.label]["ingredients"][0]["active_manifest"] == parent.label);
    CHECK(json["validation_results"]["ingredientDeltas"][0]["ingredientAssertionURI"] ==
          delta.ingredient_assertion_uri);

    // Without anchors both signers are untrusted: Valid, and the ingredient's untrusted signer is no delta (it was
    // recorded that way).
    const ManifestReport untrusted = inspect(twice);
    CHECK(untrusted.state == ValidationState::valid);
    for (const auto& d : untrusted.ingredient_deltas) CHECK(d.failure.empty());

    // A third signature: a chain of three, each manifest the parent of the next, all checked.
    const ManifestReport chain = inspect(thrice, both);
    CHECK(chain.state == ValidationState::trusted);
    REQUIRE(chain.manifests.size() == 3);
    CHECK(chain.manifests[2].ingredients.at(0).active_manifest == chain.manifests[1].label);
    CHECK(chain.ingredient_deltas.size() == 2);  // the parent, and the parent's parent
  }

  TEST_CASE("a changed byte in the first manifest of a re-signed file is detected") {
    const test::SignerWithRoot creds = make_signer();
    Manifest manifest("provmark tests");
    const Bytes once = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const Bytes twice = sign(once, manifest, creds.signer);
    const InspectOptions options{.trust_anchors_pem = creds.root_pem};
    REQUIRE(inspect(twice, options).state == ValidationState::trusted);

    const auto store = c2pa::jpeg_read_manifest_store(twice);
    REQUIRE(store.has_value());
    const auto root = c2pa::jumbf::parse_superbox(*store);
    const auto& parent = *root.superboxes().at(0);
    const std::string parent_url = "self#jumbf=/c2pa/" + parent.label;
    const auto cose = c2pa::parse_cose_sign1(parent.find_child("c2pa.signature")->content_boxes().front()->data);
    const auto claim = parent.find_child("c2pa.claim.v2")->content_boxes().front()->data;
    const auto actions = parent.find_child("c2pa.assertions")->find_child("c2pa.actions.v2")->payload;
    struct Tamper {
      const char* what;
      Bytes file;
      const char* code;  // besides ingredient.manifest.mismatch
      std::string url;
    };
    const std::vector<Tamper> tampers = {
        {"assertion", tampered(twice, actions, actions.size() - 3), "assertion.hashedURI.mismatch",
         parent_url + "/c2pa.assertions/c2pa.actions.v2"},
        {"claim", tampered(twice, claim, claim.size() - 1), "claimSignature.mismatch", parent_url + "/c2pa.signature"},
        {"signature", tampered(twice, cose.signature, 5), "claimSignature.mismatch", parent_url + "/c2pa.signature"},
    };
    for (const Tamper& t : tampers) {
      CAPTURE(std::string(t.what));
      const ManifestReport report = inspect(t.file, options);
      CHECK(report.state == ValidationState::invalid);
      CHECK(report.failure.empty());  // the active manifest itself is intact
      REQUIRE(report.ingredient_deltas.size() == 1);
      std::set<std::string> failures;
      for (const auto& f : report.ingredient_deltas[0].failure) failures.insert(f.code + " @ " + f.url);
      CHECK(failures == std::set<std::string>{"ingredient.manifest.mismatch @ " + parent_url,
                                              std::string(t.code) + " @ " + t.url});
    }
  }

  TEST_CASE("a store whose ingredients all name one manifest stops at a bound on statuses") {
    // Each ingredient re-reports the manifest it names (7 statuses) and is undeclared: 20000 would give 160000.
    const test::SignerWithRoot creds = make_signer();
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), Manifest("provmark tests"), creds.signer);
    const auto store = c2pa::jpeg_read_manifest_store(signed_file);
    REQUIRE(store.has_value());
    c2pa::jumbf::Superbox root = c2pa::jumbf::to_value(c2pa::jumbf::parse_superbox(*store));
    const std::string parent_label = std::get<c2pa::jumbf::Superbox>(root.children.at(0)).label;
    c2pa::jumbf::Superbox assertions = superbox(c2pa::uuids::assertion_store, "c2pa.assertions");
    const nlohmann::json ingredient = {
        {"relationship", "componentOf"},
        {"activeManifest", {{"url", "self#jumbf=/c2pa/" + parent_label}, {"hash", nlohmann::json::binary({0})}}},
        {"validationResults", nlohmann::json::object()}};
    for (int i = 0; i < 20'000; ++i) {
      const std::string label = "c2pa.ingredient.v3" + (i == 0 ? std::string() : "__" + std::to_string(i));
      assertions.children.emplace_back(cbor_box(c2pa::uuids::cbor, label, ingredient));
    }
    c2pa::jumbf::Superbox manifest = superbox(c2pa::uuids::manifest, "urn:c2pa:hostile");
    manifest.children.emplace_back(std::move(assertions));
    manifest.children.emplace_back(cbor_box(c2pa::uuids::claim, "c2pa.claim.v2",
                                            {{"signature", "self#jumbf=c2pa.signature"}, {"alg", "sha256"}}));
    root.children.emplace_back(std::move(manifest));

    const auto started = std::chrono::steady_clock::now();
    const ManifestReport report = inspect_sidecar(c2pa::jumbf::serialize(root), signed_file);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(report.state == ValidationState::invalid);
    REQUIRE_FALSE(report.failure.empty());
    CHECK(report.failure.back().code == "general.error");
    CHECK(report.failure.back().explanation.find("validation stopped") != std::string::npos);
  }

  TEST_CASE("c2pa.opened must name an ingredient assertion of its manifest") {
    const auto report_for = [](const nlohmann::json& opened) {
      c2pa::jumbf::Superbox assertions = superbox(c2pa::uuids::assertion_store, "c2pa.assertions");
      assertions.children.emplace_back(
          cbor_box(c2pa::uuids::cbor, "c2pa.ingredient.v3", {{"relationship", "parentOf"}, {"dc:title", "a.jpg"}}));
      assertions.children.emplace_back(
          cbor_box(c2pa::uuids::cbor, "c2pa.actions.v2", {{"actions", nlohmann::json::array({opened})}}));
      const nlohmann::json unchecked_hash = {{"url", "self#jumbf=c2pa.assertions/c2pa.actions.v2"},
                                            {"hash", nlohmann::json::binary({0})}};
      c2pa::jumbf::Superbox manifest = superbox(c2pa::uuids::manifest, "urn:c2pa:opened");
      manifest.children.emplace_back(std::move(assertions));
      manifest.children.emplace_back(cbor_box(c2pa::uuids::claim, "c2pa.claim.v2",
                                              {{"created_assertions", nlohmann::json::array({unchecked_hash})}}));
      c2pa::jumbf::Superbox root = superbox(c2pa::uuids::store, "c2pa");
      root.children.emplace_back(std::move(manifest));
      return inspect_sidecar(c2pa::jumbf::serialize(root), {});
    };
    const nlohmann::json ingredient_uri = {{"url", "self#jumbf=c2pa.assertions/c2pa.ingredient.v3"},
                                           {"hash", nlohmann::json::binary({0})}};
    const nlohmann::json actions_uri = {{"url", "self#jumbf=c2pa.assertions/c2pa.actions.v2"},
                                        {"hash", nlohmann::json::binary({0})}};
    const nlohmann::json good = {{"action", "c2pa.opened"},
                                 {"parameters", {{"ingredients", nlohmann::json::array({ingredient_uri})}}}};
    const nlohmann::json names_no_ingredient = {
        {"action", "c2pa.opened"}, {"parameters", {{"ingredients", nlohmann::json::array({actions_uri})}}}};
    CHECK_FALSE(failure_codes(report_for(good)).contains("assertion.action.ingredientMismatch"));
    CHECK(failure_codes(report_for({{"action", "c2pa.opened"}})).contains("assertion.action.ingredientMismatch"));
    CHECK(failure_codes(report_for(names_no_ingredient)).contains("assertion.action.ingredientMismatch"));
    // The ingredient has no manifest: it is reported as such, as c2pa-rs does.
    const ManifestReport report = report_for(good);
    REQUIRE(report.ingredient_deltas.size() == 1);
    REQUIRE(report.ingredient_deltas[0].informational.size() == 1);
    CHECK(report.ingredient_deltas[0].informational[0].code == "ingredient.unknownProvenance");
    CHECK(report.ingredient_deltas[0].informational[0].explanation == "a.jpg: ingredient does not have provenance");
  }

  TEST_CASE("a trusted time-stamp keeps a signature valid after the signer's certificate expires") {
    const test::SignerWithRoot creds = make_signer();  // the signer's certificate is valid for a year
    const test::TestTsa tsa;
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const auto gen_time = an_hour_ago();
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const Bytes file = time_stamped(signed_file, creds.signer, tsa, gen_time);

    const auto two_years_on = std::chrono::system_clock::now() + std::chrono::hours(24 * 730);
    const ManifestReport report =
        inspect(file, {.trust_anchors_pem = creds.root_pem + tsa.root_pem(), .at = two_years_on});
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
    const ManifestReport untrusted_tsa = inspect(file, {.trust_anchors_pem = creds.root_pem, .at = two_years_on});
    CHECK(untrusted_tsa.state == ValidationState::invalid);
    CHECK(has_code(untrusted_tsa.success, "timeStamp.validated"));
    CHECK(has_code(untrusted_tsa.informational, "timeStamp.untrusted"));
    CHECK(failure_codes(untrusted_tsa) ==
          std::set<std::string>{"signingCredential.expired", "claimSignature.outsideValidity"});
    // Today both are fine; the summary shows the time whoever made it.
    const ManifestReport today = inspect(file, {.trust_anchors_pem = creds.root_pem});
    CHECK(today.state == ValidationState::trusted);
    CHECK(today.manifests[0].signature_time == c2pa::rfc3339(gen_time));
  }

  TEST_CASE("an ingredient's signature is judged at its own trusted time-stamp, as the active one") {
    const test::SignerWithRoot creds = make_signer();  // the signer's certificate is valid for a year
    const test::TestTsa tsa;
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const auto gen_time = an_hour_ago();
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const Bytes once = time_stamped(signed_file, creds.signer, tsa, gen_time);
    // Re-signed with no anchors at hand: the parent's time-stamp is recorded validated but untrusted.
    const Bytes twice = time_stamped(sign(once, manifest, creds.signer), creds.signer, tsa, gen_time);
    const auto two_years_on = std::chrono::system_clock::now() + std::chrono::hours(24 * 730);

    const ManifestReport report =
        inspect(twice, {.trust_anchors_pem = creds.root_pem + tsa.root_pem(), .at = two_years_on});
    CHECK(report.state == ValidationState::trusted);
    CHECK(report.failure.empty());
    REQUIRE(report.manifests.size() == 2);
    CHECK(report.manifests[0].signature_time == c2pa::rfc3339(gen_time));
    const IngredientSummary& recorded = report.manifests[1].ingredients.at(0);
    CHECK(has_code(recorded.success, "timeStamp.validated"));
    CHECK(has_code(recorded.informational, "timeStamp.untrusted"));
    REQUIRE(report.ingredient_deltas.size() == 1);
    const IngredientDelta& delta = report.ingredient_deltas[0];
    CHECK(delta.failure.empty());
    for (const char* code : {"ingredient.manifest.validated", "timeStamp.trusted", "signingCredential.trusted"})
      CHECK(has_code(delta.success, code));
    CHECK_FALSE(has_code(delta.success, "timeStamp.validated"));  // recorded already: no delta

    // The TSA not trusted: both signatures are judged two years on, the parent's as an ingredient delta.
    const ManifestReport untrusted_tsa = inspect(twice, {.trust_anchors_pem = creds.root_pem, .at = two_years_on});
    CHECK(untrusted_tsa.state == ValidationState::invalid);
    const std::set<std::string> expired = {"signingCredential.expired", "claimSignature.outsideValidity"};
    CHECK(failure_codes(untrusted_tsa) == expired);
    REQUIRE(untrusted_tsa.ingredient_deltas.size() == 1);
    CHECK(delta_failure_codes(untrusted_tsa) == expired);
    CHECK(untrusted_tsa.ingredient_deltas[0].informational.empty());  // timeStamp.untrusted was recorded
  }

  TEST_CASE("trust anchors parsed once serve many calls, and exclude the PEM option") {
    const test::SignerWithRoot creds = make_signer();
    Manifest manifest("provmark tests");
    manifest.created(DigitalSourceType::trained_algorithmic_media);
    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), manifest, creds.signer);
    const TrustAnchors anchors = TrustAnchors::from_pem(creds.root_pem);
    CHECK(anchors.size() == 1);
    CHECK(TrustAnchors().empty());
    for (int i = 0; i < 3; ++i) {
      CHECK(inspect(signed_file, {.trust_anchors = anchors}).state == ValidationState::trusted);
    }
    CHECK(test::error_code_of([&] {
            (void)inspect(signed_file, {.trust_anchors = anchors, .trust_anchors_pem = creds.root_pem});
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
