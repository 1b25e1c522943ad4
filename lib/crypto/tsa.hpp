// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// The client side of RFC 3161 time-stamping, with OpenSSL's TS API and its HTTP client: the request, the check
/// that a response answers it, and a plain HTTP POST to a time-stamp authority.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace provmark::crypto {

/// A DER TimeStampReq (v1) over SHA-256(`message`) with certReq set and a random 64-bit nonce.
std::vector<std::uint8_t> time_stamp_request(std::span<const std::uint8_t> message);

/// Throws Error(crypto) unless `response` is a DER TimeStampResp that grants `request`: status granted, token
/// version 1, the request's message imprint and nonce. (The token's signature is checked by the caller, which
/// knows what it covers.)
void check_time_stamp_response(std::span<const std::uint8_t> request, std::span<const std::uint8_t> response);

/// The parts of an http:// URL OpenSSL's client needs. @throws Error(invalid_argument) for other URLs.
struct HttpUrl {
  std::string host, port, path;
};
HttpUrl parse_http_url(const std::string& url);

/// POSTs `request` to `url` as application/timestamp-query and returns the application/timestamp-reply body.
/// @throws Error(io) when the server cannot be reached, times out or answers otherwise.
std::vector<std::uint8_t> post_time_stamp_request(const HttpUrl& url, std::span<const std::uint8_t> request,
                                                  std::chrono::seconds timeout);

}  // namespace provmark::crypto
