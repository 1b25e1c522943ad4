// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// Signing credentials for C2PA claims: a certificate chain plus either a private key (OpenSSL) or a
/// callback to a remote signer, KMS or HSM.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provmark {

/// The C2PA signature algorithms provmark signs with (COSE: ES256 -7, ES384 -35, PS256 -37, EdDSA -8).
enum class SigningAlg { es256, es384, ps256, ed25519 };

/// Signs C2PA claims. Immutable after construction; safe to share across threads.
class Signer {
 public:
  /// Raw signature over `to_be_signed` in COSE form (ECDSA: r||s, fixed size; PS256; Ed25519: 64 bytes).
  using SignFunction = std::function<std::vector<std::uint8_t>(std::span<const std::uint8_t> to_be_signed)>;
  /// Asks an RFC 3161 time-stamp authority: gets a DER TimeStampReq, returns the DER TimeStampResp (any HTTP
  /// stack, queue or HSM). Throw a provmark::Error to report a failure.
  using TimeStampFunction = std::function<std::vector<std::uint8_t>(std::span<const std::uint8_t> request)>;

  /// PEM certificate chain (end-entity first, intermediates after; a self-signed root is dropped) and an
  /// unencrypted PEM private key (PKCS#8 or traditional) that must match the end-entity certificate.
  /// The algorithm follows the key: P-256 -> es256, P-384 -> es384, RSA (>= 2048) -> ps256, Ed25519 -> ed25519.
  /// @throws Error(bad_key) for an unreadable, encrypted, unsupported or mismatched key or certificate.
  static Signer from_pem(std::string_view chain_pem, std::string_view private_key_pem);
  /// from_pem on the contents of two files. @throws Error(io) when a file cannot be read.
  static Signer from_pem_files(const std::filesystem::path& chain, const std::filesystem::path& key);
  /// A remote signer / KMS / HSM: the callback gets the bytes to sign and returns the raw signature.
  /// `chain_der` is end-entity first; its public key must suit `alg`.
  /// @throws Error(invalid_argument) for an empty chain or a missing callback, Error(bad_key) otherwise.
  static Signer from_callback(SigningAlg alg, std::vector<std::vector<std::uint8_t>> chain_der, SignFunction sign);

  /// This signer, also time-stamping each claim signature through `tsa`: an RFC 3161 token over the signature
  /// ("sigTst2", C2PA 2.2 §10.3.2.5, as c2pa-rs writes it), so validators can judge the certificates at the
  /// token's genTime. The request asks for SHA-256, a random nonce and the TSA's certificate; the response must be
  /// granted, answer that request and verify, or signing fails and writes nothing.
  /// @throws Error(invalid_argument) for an empty function.
  [[nodiscard]] Signer with_time_stamps(TimeStampFunction tsa) const;
  /// with_time_stamps through OpenSSL's HTTP client: POSTs the request to `url` (http://host[:port]/path,
  /// application/timestamp-query), honouring http_proxy / no_proxy. For HTTPS, pass a TimeStampFunction.
  /// @throws Error(invalid_argument) for a URL that is not http://, at signing time Error(io) when the TSA cannot
  ///         be reached or answers with an HTTP error or another content type.
  [[nodiscard]] Signer with_tsa_url(const std::string& url,
                                    std::chrono::seconds timeout = std::chrono::seconds(30)) const;
  /// True when signatures are time-stamped.
  [[nodiscard]] bool time_stamps() const noexcept;
  /// The DER TimeStampResp of the time-stamp authority over SHA-256(`message`), checked against the request
  /// (granted, same imprint and nonce).
  /// @throws Error(invalid_argument) without a TSA; Error(crypto) when the answer is not a granted time-stamp for
  ///         the request; what the TimeStampFunction throws (Error(io) for the URL client).
  [[nodiscard]] std::vector<std::uint8_t> time_stamp(std::span<const std::uint8_t> message) const;

  [[nodiscard]] SigningAlg alg() const noexcept;
  /// DER certificates, end-entity first, without the root.
  [[nodiscard]] const std::vector<std::vector<std::uint8_t>>& certificate_chain() const noexcept;
  /// Bytes to reserve for the COSE_Sign1: raw signature size + chain size + 1024, + 10000 with time-stamps
  /// (c2pa-rs's rule).
  [[nodiscard]] std::size_t reserve_size() const noexcept;
  /// The raw COSE-form signature of `to_be_signed`.
  /// @throws Error(crypto) when signing fails or a callback returns a signature of the wrong size.
  [[nodiscard]] std::vector<std::uint8_t> sign(std::span<const std::uint8_t> to_be_signed) const;

  struct State;  // opaque: the key never leaves the library

 private:
  explicit Signer(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace provmark
