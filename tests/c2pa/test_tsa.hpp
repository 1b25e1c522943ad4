// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// An RFC 3161 time-stamp authority made on the fly for the time-stamp tests: a root CA, a TSA certificate under it
/// and OpenSSL's own TSA code (TS_RESP_create_response) answering requests.

#include <chrono>
#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <vector>

#include "crypto/openssl.hpp"
#include "crypto/test_pki.hpp"

namespace provmark::test {

/// A TSA certificate as RFC 3161 and the C2PA profile want it: CA:FALSE, digitalSignature, critical EKU
/// timeStamping only, SKI, AKI.
Extensions tsa_extensions();

struct TestTsa {
  /// `tsa_options` for the TSA certificate (default: tsa_extensions(), valid from a day ago for a year).
  explicit TestTsa(CertOptions tsa_options = {"provmark test TSA", tsa_extensions()});

  crypto::PkeyPtr root_key;
  crypto::X509Ptr root;
  crypto::PkeyPtr key;
  crypto::X509Ptr cert;

  /// The root, PEM: the trust anchor that makes this TSA trusted.
  [[nodiscard]] std::string root_pem() const;

  /// A DER TimeStampResp over SHA-256(`message`) with genTime `at` (seconds since 1970, any year to 9999), the
  /// TSA certificate included (certReq).
  [[nodiscard]] std::vector<std::uint8_t> respond(std::span<const std::uint8_t> message, std::time_t at) const;
  [[nodiscard]] std::vector<std::uint8_t> respond(std::span<const std::uint8_t> message,
                                                  std::chrono::system_clock::time_point at) const {
    return respond(message, std::chrono::system_clock::to_time_t(at));
  }
  /// The DER TimeStampResp to a DER TimeStampReq (what a TSA answers over HTTP), genTime `at`.
  [[nodiscard]] std::vector<std::uint8_t> answer(std::span<const std::uint8_t> request, std::time_t at) const;
  /// Just the TimeStampToken of respond() (what sigTst2 stores).
  [[nodiscard]] std::vector<std::uint8_t> token(std::span<const std::uint8_t> message, std::time_t at) const;
  [[nodiscard]] std::vector<std::uint8_t> token(std::span<const std::uint8_t> message,
                                                std::chrono::system_clock::time_point at) const {
    return token(message, std::chrono::system_clock::to_time_t(at));
  }
};

}  // namespace provmark::test
