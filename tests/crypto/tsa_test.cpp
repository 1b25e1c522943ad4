// SPDX-License-Identifier: Apache-2.0
// Signing with RFC 3161 time-stamps: a Signer with a time-stamp authority (a callback answering TimeStampReqs, or
// an http:// URL) puts a sigTst2 token in every claim signature, which inspect() validates; a TSA that fails or
// answers something else is a typed error.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string_view>

#include "c2pa/test_tsa.hpp"
#include "c2pa/timestamp.hpp"
#include "crypto/test_pki.hpp"
#include "crypto/tsa.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;

namespace {

bool has(const std::vector<ValidationStatus>& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(), [&](const ValidationStatus& s) { return s.code == code; });
}

std::time_t now() { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); }

Manifest ai_manifest() {
  Manifest manifest("provmark tests");
  manifest.created(DigitalSourceType::trained_algorithmic_media);
  return manifest;
}

}  // namespace

TEST_SUITE("crypto/tsa") {
  TEST_CASE("a signer with a time-stamp authority writes a token that inspect validates and trusts") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    const test::TestTsa tsa;
    const std::time_t gen_time = now() - 60;
    int calls = 0;
    const Signer stamping = creds.signer.with_time_stamps([&](std::span<const std::uint8_t> request) {
      ++calls;
      return tsa.answer(request, gen_time);
    });
    CHECK(stamping.time_stamps());
    CHECK_FALSE(creds.signer.time_stamps());
    CHECK(stamping.reserve_size() == creds.signer.reserve_size() + 10000);

    const Bytes signed_file = sign(read_file(test::data_path("coffee.jpg")), ai_manifest(), stamping);
    CHECK(calls == 1);
    const ManifestReport trusted = inspect(signed_file, {.trust_anchors_pem = creds.root_pem + tsa.root_pem()});
    CHECK(trusted.state == ValidationState::trusted);
    CHECK(has(trusted.success, "timeStamp.validated"));
    CHECK(has(trusted.success, "timeStamp.trusted"));
    CHECK(trusted.manifests.back().signature_time == c2pa::rfc3339(std::chrono::system_clock::from_time_t(gen_time)));

    // The TSA's root is not an anchor: the token still validates, but says nothing trusted.
    const ManifestReport signer_only = inspect(signed_file, {.trust_anchors_pem = creds.root_pem});
    CHECK(signer_only.state == ValidationState::trusted);
    CHECK(has(signer_only.success, "timeStamp.validated"));
    CHECK(has(signer_only.informational, "timeStamp.untrusted"));
  }

  TEST_CASE("a time-stamp authority that fails or answers another request stops signing with a typed error") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    const test::TestTsa tsa;
    const Bytes photo = read_file(test::data_path("coffee.jpg"));
    const auto sign_with = [&](Signer::TimeStampFunction function) {
      return sign(photo, ai_manifest(), creds.signer.with_time_stamps(std::move(function)));
    };
    CHECK(test::error_code_of([&] {
            sign_with([](std::span<const std::uint8_t>) { return Bytes{0x30, 0x03, 0x02, 0x01, 0x00}; });
          }) == Errc::crypto);
    CHECK(test::error_code_of([&] {
            sign_with([&](std::span<const std::uint8_t>) {  // granted, but for another message and nonce
              const std::uint8_t other[] = {'o', 't', 'h', 'e', 'r'};
              return tsa.respond(other, now());
            });
          }) == Errc::crypto);
    CHECK(test::error_code_of([&] {
            sign_with([](std::span<const std::uint8_t>) -> Bytes { throw Error(Errc::io, "TSA down"); });
          }) == Errc::io);
    CHECK(test::error_code_of([&] { (void)creds.signer.with_time_stamps({}); }) == Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)creds.signer.time_stamp(photo); }) == Errc::invalid_argument);
  }

  TEST_CASE("a TSA URL must be http; one that cannot be reached is an io error") {
    const test::SignerWithRoot creds = test::make_signer_with_root("P-256");
    CHECK(test::error_code_of([&] { (void)creds.signer.with_tsa_url("https://tsa.example/"); }) ==
          Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)creds.signer.with_tsa_url("ftp://tsa.example/"); }) ==
          Errc::invalid_argument);
    CHECK(test::error_code_of([&] { (void)creds.signer.with_tsa_url("not a url"); }) == Errc::invalid_argument);
    const crypto::HttpUrl url = crypto::parse_http_url("http://127.0.0.1:8318/tsa?x=1");
    CHECK(url.host == "127.0.0.1");
    CHECK(url.port == "8318");
    CHECK(url.path == "/tsa?x=1");
    // Port 1 on the loopback interface: nothing listens there, the connection is refused at once.
    const Signer unreachable = creds.signer.with_tsa_url("http://127.0.0.1:1/", std::chrono::seconds(5));
    CHECK(test::error_code_of(
              [&] { (void)sign(read_file(test::data_path("coffee.jpg")), ai_manifest(), unreachable); }) == Errc::io);
  }

  TEST_CASE("a time-stamp response is checked against its request") {
    const test::TestTsa tsa;
    const std::uint8_t message[] = {'m'};
    const Bytes request = crypto::time_stamp_request(message);
    CHECK(request != crypto::time_stamp_request(message));  // a fresh nonce each time
    crypto::check_time_stamp_response(request, tsa.answer(request, now()));
    CHECK(test::error_code_of([&] {
            crypto::check_time_stamp_response(request, tsa.answer(crypto::time_stamp_request(message), now()));
          }) == Errc::crypto);
    CHECK(test::error_code_of([&] { crypto::check_time_stamp_response(request, Bytes{}); }) == Errc::crypto);
    CHECK(test::error_code_of([&] { crypto::check_time_stamp_response(request, Bytes{0x30, 0x00}); }) == Errc::crypto);
  }
}
