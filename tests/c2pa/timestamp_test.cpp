// SPDX-License-Identifier: Apache-2.0
// RFC 3161 time-stamps on claim signatures: the message they cover, tokens from a TSA made with OpenSSL's own TSA
// code, and tampered, foreign, expired and untrusted tokens.
#include "c2pa/timestamp.hpp"

#include <doctest/doctest.h>

#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "c2pa/test_tsa.hpp"
#include "crypto/test_pki.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"

namespace {

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::system_clock;

Bytes text_bytes(std::string_view text) { return {text.begin(), text.end()}; }

// A whole second: genTime has no fraction here.
Clock::time_point hours_ago(int hours) {
  return Clock::from_time_t(Clock::to_time_t(Clock::now() - std::chrono::hours(hours)));
}

std::vector<std::string> codes(const std::vector<c2pa::TimeStampStatus>& statuses) {
  std::vector<std::string> out;
  for (const auto& s : statuses) out.push_back((s.success ? "success " : "info ") + std::string(s.code));
  return out;
}

// The only status of a check that failed, or "" when there is not exactly one.
std::string only_code(const c2pa::TimeStampCheck& check) {
  return check.statuses.size() == 1 ? std::string(check.statuses.front().code) : std::string();
}

// Flips one bit of the first occurrence of `needle` in `bytes`.
Bytes flipped_at(Bytes bytes, std::span<const std::uint8_t> needle) {
  const auto at = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
  REQUIRE(at != bytes.end());
  *at ^= 0x01;
  return bytes;
}

struct TestSigner {
  Signer signer;
  std::string root_pem;
};

TestSigner make_signer() {
  const auto root_key = test::make_key("P-256");
  const auto root = test::make_cert(root_key.get(), {"signer root", test::ca_extensions()});
  const auto key = test::make_key("P-256");
  const auto leaf = test::make_cert(key.get(), {"signer", test::signer_extensions()}, root.get(), root_key.get());
  return {Signer::from_pem(test::to_pem(leaf.get()), test::private_key_pem(key.get())), test::to_pem(root.get())};
}

}  // namespace

TEST_SUITE("c2pa/timestamp") {
  TEST_CASE("the imprint covers CBOR [\"CounterSignature\", protected, h'', claim] (v1) or the signature bstr (v2)") {
    const Bytes protected_header = {0xA1, 0x01, 0x26};  // {1: -7}
    const Bytes claim = {0xA0};
    const Bytes signature = {1, 2, 3};
    Bytes prefix = {0x84, 0x70};  // array(4), tstr(16)
    for (const char c : std::string_view("CounterSignature")) prefix.push_back(static_cast<std::uint8_t>(c));
    prefix.insert(prefix.end(), {0x43, 0xA1, 0x01, 0x26, 0x40});  // bstr(protected), h''

    Bytes v1 = prefix;
    v1.insert(v1.end(), {0x41, 0xA0});  // bstr(claim)
    CHECK(c2pa::time_stamp_message(c2pa::TimeStampVersion::v1, protected_header, claim, signature) == v1);
    Bytes v2 = prefix;
    v2.insert(v2.end(), {0x44, 0x43, 1, 2, 3});  // bstr(bstr(signature)): the signature's CBOR encoding
    CHECK(c2pa::time_stamp_message(c2pa::TimeStampVersion::v2, protected_header, claim, signature) == v2);
  }

  TEST_CASE("a token of a trusted TSA is validated and trusted, and gives its genTime") {
    const test::TestTsa tsa;
    const Bytes message = text_bytes("the countersigned bytes");
    const auto at = hours_ago(2);
    const TrustAnchors anchors = TrustAnchors::from_pem(tsa.root_pem());
    // sigTst2 stores the token, sigTst the whole response: both are read.
    for (const Bytes& stored : {tsa.token(message, at), tsa.respond(message, at)}) {
      const c2pa::TimeStampCheck check = c2pa::check_time_stamp(stored, message);
      CHECK(codes(check.statuses) == std::vector<std::string>{"success timeStamp.validated"});
      REQUIRE(check.time.has_value());
      CHECK(*check.time == at);
      CHECK(check.tsa_name == "provmark test TSA");
      CHECK(check.statuses.front().explanation.find("provmark test TSA") != std::string::npos);

      const c2pa::TimeStampTrust trusted = c2pa::trust_time_stamp(check, &anchors, true);
      CHECK(trusted.trusted);
      CHECK(trusted.status.code == "timeStamp.trusted");
      CHECK(trusted.status.success);
      // Without the TSA's root it is untrusted (informational), unless trust is not asked for (claim v1).
      const c2pa::TimeStampTrust untrusted = c2pa::trust_time_stamp(check, nullptr, true);
      CHECK_FALSE(untrusted.trusted);
      CHECK(untrusted.status.code == "timeStamp.untrusted");
      CHECK_FALSE(untrusted.status.success);
      const TrustAnchors stranger = TrustAnchors::from_pem(test::TestTsa().root_pem());
      CHECK_FALSE(c2pa::trust_time_stamp(check, &stranger, true).trusted);
      const c2pa::TimeStampTrust legacy = c2pa::trust_time_stamp(check, nullptr, false);
      CHECK(legacy.trusted);
      CHECK(legacy.status.code == "timeStamp.trusted");
      CHECK(legacy.status.explanation.find("not checked") != std::string::npos);
    }
    CHECK(c2pa::rfc3339(Clock::from_time_t(1722980017)) == "2024-08-06T21:33:37+00:00");
  }

  TEST_CASE("a token over other bytes, or a tampered token, is not used") {
    const test::TestTsa tsa;
    const Bytes message = text_bytes("the countersigned bytes");
    const Bytes token = tsa.token(message, hours_ago(1));

    c2pa::TimeStampCheck check = c2pa::check_time_stamp(token, text_bytes("other bytes"));
    CHECK(only_code(check) == "timeStamp.mismatch");
    CHECK(check.statuses.front().explanation.find("did not match") != std::string::npos);
    CHECK_FALSE(check.time.has_value());
    CHECK_FALSE(c2pa::trust_time_stamp(check, nullptr, false).trusted);

    // The imprint inside the signed TSTInfo: the signed message digest no longer matches.
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(message.data(), message.size(), digest);
    check = c2pa::check_time_stamp(flipped_at(token, digest), message);
    CHECK(only_code(check) == "timeStamp.mismatch");
    CHECK(check.statuses.front().explanation.find("bad message digest") != std::string::npos);

    // The last byte is the TSA's ECDSA signature (the end of the only SignerInfo).
    Bytes bad_signature = token;
    bad_signature.back() ^= 0x01;
    check = c2pa::check_time_stamp(bad_signature, message);
    CHECK(only_code(check) == "timeStamp.untrusted");
    CHECK_FALSE(check.time.has_value());

    for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, token.size() / 2, token.size() - 1}) {
      CAPTURE(cut);
      CHECK(only_code(c2pa::check_time_stamp(std::span(token).first(cut), message)) == "timeStamp.malformed");
    }
    Bytes trailing = token;
    trailing.push_back(0);
    CHECK(only_code(c2pa::check_time_stamp(trailing, message)) == "timeStamp.malformed");
    CHECK(only_code(c2pa::check_time_stamp(text_bytes("not DER at all"), message)) == "timeStamp.malformed");
    // A certificate is DER but no time-stamp.
    CHECK(only_code(c2pa::check_time_stamp(crypto::to_der(tsa.cert.get()), message)) == "timeStamp.malformed");
  }

  TEST_CASE("the TSA certificate must be valid at genTime, and meet the C2PA profile to be trusted") {
    const test::TestTsa tsa;  // valid from a day ago for a year
    const Bytes message = text_bytes("m");
    const auto later = Clock::now() + std::chrono::hours(24 * 400);
    CHECK(only_code(c2pa::check_time_stamp(tsa.token(message, later), message)) == "timeStamp.outsideValidity");
    const auto before = Clock::now() - std::chrono::hours(24 * 3);
    CHECK(only_code(c2pa::check_time_stamp(tsa.token(message, before), message)) == "timeStamp.outsideValidity");
    // A genTime in the year 3000 is valid GeneralizedTime but past what system_clock holds (found by fuzzing).
    CHECK(only_code(c2pa::check_time_stamp(tsa.token(message, std::time_t{32503680000}), message)) ==
          "timeStamp.malformed");

    // OpenSSL's TSA code insists on the critical timeStamping EKU; the C2PA profile also wants an AKI.
    test::Extensions no_aki;
    for (const auto& ext : test::tsa_extensions())
      if (ext.first != "authorityKeyIdentifier") no_aki.push_back(ext);
    const test::TestTsa odd({"TSA without AKI", no_aki});
    const c2pa::TimeStampCheck check = c2pa::check_time_stamp(odd.token(message, hours_ago(1)), message);
    REQUIRE(check.time.has_value());
    const TrustAnchors anchors = TrustAnchors::from_pem(odd.root_pem());
    const c2pa::TimeStampTrust trust = c2pa::trust_time_stamp(check, &anchors, true);
    CHECK_FALSE(trust.trusted);
    CHECK(trust.status.explanation.find("authority key identifier") != std::string::npos);
  }

  TEST_CASE("a signature's time-stamp header: one token is checked, two are malformed, a bad shape is ignored") {
    const test::TestTsa tsa;
    const TestSigner s = make_signer();
    const Bytes claim = {0xA1, 0x61, 0x61, 0x01};  // {"a": 1}
    const auto at = hours_ago(3);
    const c2pa::TimeStamper stamper = [&](std::span<const std::uint8_t> message) { return tsa.respond(message, at); };
    const Bytes cose_bytes = c2pa::sign_claim(claim, s.signer, s.signer.reserve_size() + 10000, stamper);
    CHECK(cose_bytes.size() == s.signer.reserve_size() + 10000);

    c2pa::CoseSign1 cose = c2pa::parse_cose_sign1(cose_bytes);
    REQUIRE(cose.time_stamp.has_value());
    CHECK(cose.time_stamp->version == c2pa::TimeStampVersion::v2);
    REQUIRE(cose.time_stamp->tokens.has_value());
    REQUIRE(cose.time_stamp->tokens->size() == 1);
    CHECK(c2pa::verify_cose_sign1(cose, claim));
    // sigTst2 keeps the token only, not the whole response.
    const Bytes& stored = cose.time_stamp->tokens->front();
    CHECK(c2pa::time_stamp_token(stored) == stored);
    const Bytes response = tsa.respond(text_bytes("x"), at);
    CHECK(c2pa::time_stamp_token(response).size() < response.size());
    c2pa::TimeStampCheck check = c2pa::check_signature_time_stamp(cose, claim);
    CHECK(codes(check.statuses) == std::vector<std::string>{"success timeStamp.validated"});
    REQUIRE(check.time.has_value());
    CHECK(*check.time == at);

    // v2 covers the signature, not the claim: a changed signature breaks the imprint; so does reading it as v1.
    c2pa::CoseSign1 changed = cose;
    changed.signature[0] ^= 0x01;
    CHECK(only_code(c2pa::check_signature_time_stamp(changed, claim)) == "timeStamp.mismatch");
    changed = cose;
    changed.time_stamp->version = c2pa::TimeStampVersion::v1;
    CHECK(only_code(c2pa::check_signature_time_stamp(changed, claim)) == "timeStamp.mismatch");

    changed = cose;
    changed.time_stamp->tokens = {stored, stored};
    check = c2pa::check_signature_time_stamp(changed, claim);
    CHECK(only_code(check) == "timeStamp.malformed");
    CHECK_FALSE(check.time.has_value());
    changed.time_stamp->tokens.reset();
    CHECK(c2pa::check_signature_time_stamp(changed, claim).statuses.empty());
    changed.time_stamp.reset();
    CHECK(c2pa::check_signature_time_stamp(changed, claim).statuses.empty());

    // A time-stamper that answers nonsense fails the signing loudly.
    const c2pa::TimeStamper junk = [](std::span<const std::uint8_t>) { return text_bytes("busy"); };
    CHECK(test::error_code_of([&] {
            (void)c2pa::sign_claim(claim, s.signer, s.signer.reserve_size() + 10000, junk);
          }) == Errc::malformed_input);
  }

  TEST_CASE("the header parser reads tstTokens and ignores a value of the wrong shape") {
    // Tagged COSE_Sign1 with an empty protected header is not enough for parse_cose_sign1 (it wants alg and a
    // certificate), so the header values are checked through a signature made by sign_claim and patched.
    const TestSigner s = make_signer();
    const Bytes claim = {0xA0};
    const test::TestTsa tsa;
    const auto at = hours_ago(1);
    const Bytes cose_bytes = c2pa::sign_claim(claim, s.signer, s.signer.reserve_size() + 10000,
                                              [&](std::span<const std::uint8_t> m) { return tsa.token(m, at); });
    // "tstTokens" renamed: the header is there but unusable, which c2pa-rs ignores without a status.
    const Bytes renamed = flipped_at(cose_bytes, text_bytes("tstTokens"));
    const c2pa::CoseSign1 cose = c2pa::parse_cose_sign1(renamed);
    REQUIRE(cose.time_stamp.has_value());
    CHECK_FALSE(cose.time_stamp->tokens.has_value());
    CHECK(c2pa::check_signature_time_stamp(cose, claim).statuses.empty());
    // "sigTst2" renamed to another label: no time-stamp header at all.
    CHECK_FALSE(c2pa::parse_cose_sign1(flipped_at(cose_bytes, text_bytes("sigTst2"))).time_stamp.has_value());
  }
}
