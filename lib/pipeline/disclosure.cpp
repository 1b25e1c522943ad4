// SPDX-License-Identifier: Apache-2.0
#include "pipeline/disclosure.hpp"

#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "c2pa/cbor.hpp"
#include "crypto/keystream.hpp"
#include "provmark/manifest.hpp"

namespace provmark::pipeline {

std::string upper_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string s;
  for (const std::uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

std::array<std::uint8_t, 16> random_identifier() {
  crypto::ensure_sodium();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::vector<std::uint8_t> disclosure_cbor(const Disclosure& d) {
  nlohmann::json value = {{"provider", d.provider},
                          {"system", {{"name", d.system_name}, {"version", d.system_version}}},
                          {"created", utc_timestamp(d.created)},
                          {"identifier", d.identifier},
                          {"aiGenerated", true}};
  if (d.aigc) value["aigc"] = nlohmann::json::parse(d.aigc->to_json());
  if (d.watermark) value["watermark"] = {{"alg", d.watermark_alg}, {"payload", d.watermark->to_hex()}};
  return c2pa::cbor::to_cbor(value);
}

}  // namespace provmark::pipeline
