// SPDX-License-Identifier: Apache-2.0
#include "c2pa/cawg.hpp"

#include <openssl/objects.h>

#include <algorithm>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "c2pa/cbor.hpp"
#include "c2pa/certificates.hpp"
#include "c2pa/cose.hpp"
#include "core/fail.hpp"
#include "crypto/openssl.hpp"
#include "provmark/error.hpp"

namespace provmark::c2pa {
namespace {

using nlohmann::json;
using Span = std::span<const std::uint8_t>;
using Kind = IdentityStatus::Kind;
namespace cs = cawg_status;

// The exact bytes of the value of `key` in the top-level CBOR map `bytes`. The signature covers the signer_payload
// as stored, which nlohmann cannot give back (it re-encodes, in its own key order), so the item is found by
// walking the CBOR heads here. Only called on bytes cbor::from_cbor has accepted (well-formed, definite lengths,
// depth-limited), which keeps this walk short and bounded.
class RawItems {
 public:
  explicit RawItems(Span bytes) : bytes_(bytes) {}

  std::optional<Span> map_value(std::string_view key) {
    const auto [major, count] = head();
    if (major != 5) return std::nullopt;
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::size_t key_start = pos_;
      skip();
      const Span key_bytes = bytes_.subspan(key_start, pos_ - key_start);
      const std::size_t value_start = pos_;
      skip();
      if (is_text_key(key_bytes, key)) return bytes_.subspan(value_start, pos_ - value_start);
    }
    return std::nullopt;
  }

 private:
  struct Head {
    int major;
    std::uint64_t value;
  };

  Head head() {
    const std::uint8_t initial = take(1)[0];
    const int info = initial & 31;
    if (info < 24) return {initial >> 5, static_cast<std::uint64_t>(info)};
    if (info > 27) fail(Errc::malformed_input, "CBOR: indefinite length");
    std::uint64_t value = 0;
    for (const std::uint8_t b : take(std::size_t{1} << (info - 24))) value = value << 8 | b;
    return {initial >> 5, value};
  }

  Span take(std::uint64_t n) {
    if (n > bytes_.size() - pos_) fail(Errc::malformed_input, "CBOR: truncated");
    const Span out = bytes_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

  void skip(int depth = 0) {
    if (depth > cbor::max_depth) fail(Errc::malformed_input, "CBOR: nested too deeply");
    const Head h = head();
    switch (h.major) {
      case 2:
      case 3:
        take(h.value);
        break;
      case 4:
        for (std::uint64_t i = 0; i < h.value; ++i) skip(depth + 1);
        break;
      case 5:
        for (std::uint64_t i = 0; i < 2 * h.value; ++i) skip(depth + 1);
        break;
      case 6:
        skip(depth + 1);
        break;
      default:
        break;
    }
  }

  static bool is_text_key(Span item, std::string_view key) {
    std::vector<std::uint8_t> expected;
    cbor::write_head(expected, 3, key.size());
    expected.insert(expected.end(), key.begin(), key.end());
    return std::equal(item.begin(), item.end(), expected.begin(), expected.end());
  }

  Span bytes_;
  std::size_t pos_ = 0;
};

bool all_zero(const json& bytes) {
  const auto& b = bytes.get_binary();
  return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
}

// c2pa-rs compares a referenced assertion's url with the claim's after dropping a "/c2pa/<manifest>/" part of the
// claim's (absolute URLs written by c2pa-rs 0.36).
std::string relative_url(std::string url) {
  const auto at = url.find("/c2pa/");
  if (at == std::string::npos) return url;
  const auto end = url.find('/', at + 6);
  if (end == std::string::npos) return url;
  return url.erase(at, end + 1 - at);
}


class Checker {
 public:
  Checker(const std::vector<ClaimReference>& claim_references, const TrustAnchors* anchors,
          std::chrono::system_clock::time_point at)
      : claim_references_(claim_references), anchors_(anchors), at_(at) {}

  IdentityCheck run(Span bytes) {
    json value;
    Span signer_payload_bytes;
    try {
      value = cbor::from_cbor(bytes, json::cbor_tag_handler_t::ignore);
      const json& payload = value.at("signer_payload");
      for (const json& ref : payload.at("referenced_assertions")) {
        if (!ref.at("url").is_string() || !ref.at("hash").is_binary()) fail(Errc::malformed_input, "bad hashed URI");
      }
      result_.summary.sig_type = payload.at("sig_type").get<std::string>();
      if (payload.contains("role")) result_.summary.roles = payload.at("role").get<std::vector<std::string>>();
      if (!value.at("signature").is_binary() || !value.at("pad1").is_binary() ||
          (value.contains("pad2") && !value.at("pad2").is_binary())) {
        fail(Errc::malformed_input, "signature, pad1 and pad2 must be byte strings");
      }
      signer_payload_bytes = RawItems(bytes).map_value("signer_payload").value();
    } catch (const std::exception& e) {  // Error, nlohmann's type errors, bad_optional_access
      result_.summary = {};
      add(Kind::failure, cs::cbor_invalid, std::string("invalid CBOR: ") + e.what());
      return std::move(result_);
    }
    const json& payload = value.at("signer_payload");
    for (const json& ref : payload.at("referenced_assertions"))
      result_.summary.referenced_assertions.push_back(ref.at("url").get<std::string>());

    if (!all_zero(value.at("pad1")) || (value.contains("pad2") && !all_zero(value.at("pad2")))) {
      add(Kind::failure, cs::pad_invalid, "invalid value in pad fields");
    }
    if (!check_references(payload.at("referenced_assertions"))) return std::move(result_);
    if (result_.summary.sig_type != cawg_x509_sig_type) {
      add(Kind::failure, cs::sig_type_unknown, "unsupported signature type: " + result_.summary.sig_type);
      return std::move(result_);
    }
    check_signature(value.at("signature").get_binary(), signer_payload_bytes);
    return std::move(result_);
  }

 private:
  void add(Kind kind, std::string_view code, std::string explanation) {
    result_.statuses.push_back({kind, code, std::move(explanation)});
  }

  // c2pa-rs SignerPayload::check_against_manifest. False when a hash differs: c2pa-rs stops there.
  bool check_references(const json& references) {
    std::set<std::string> seen;
    bool hard_binding = false;
    for (const json& ref : references) {
      const std::string url = ref.at("url").get<std::string>();
      const auto& hash = ref.at("hash").get_binary();
      const auto listed = std::find_if(claim_references_.begin(), claim_references_.end(),
                                       [&](const ClaimReference& c) { return relative_url(c.url) == url; });
      if (listed == claim_references_.end()) {
        add(Kind::failure, cs::assertion_mismatch, "referenced assertion not in claim: " + url);
      } else if (!std::equal(listed->hash.begin(), listed->hash.end(), hash.begin(), hash.end())) {
        add(Kind::failure, cs::assertion_mismatch, "referenced assertion hash differs from the claim's: " + url);
        return false;
      }
      const std::string label = url.substr(url.rfind('/') == std::string::npos ? url.size() : url.rfind('/') + 1);
      hard_binding = hard_binding || label.starts_with("c2pa.hash.");
    }
    if (!hard_binding) add(Kind::failure, cs::hard_binding_missing, "no hard binding assertion referenced");
    for (const json& ref : references) {
      const std::string url = ref.at("url").get<std::string>();
      if (!seen.insert(url).second) add(Kind::failure, cs::assertion_duplicate, "multiple references to " + url);
    }
    return true;
  }

  // The claim signature's checks (validate.cpp check_signature) under c2pa-rs's CAWG X.509 names.
  void check_signature(Span signature, Span signer_payload) {
    std::optional<CoseSign1> cose;
    CertificateChain chain;
    try {
      cose = parse_cose_sign1(signature);
      chain = decode_chain(cose->x5chain);
    } catch (const Error& e) {
      crypto::clear_openssl_errors();
      if (cose) add(Kind::failure, cs::credential_invalid, e.what());
      return add(Kind::failure, cs::signature_mismatch, std::string("COSE signature cannot be read: ") + e.what());
    }
    result_.summary.signature_alg = cose_alg_name(cose->alg);
    result_.summary.signature_issuer = certificate_subject(chain.front().get(), NID_organizationName);
    result_.summary.signature_common_name = certificate_subject(chain.front().get(), NID_commonName);

    const CertificateCheck check = check_certificate_chain(chain, anchors_, at_);
    const bool usable = check.profile_valid && check.inside_validity;
    if (!check.profile_valid) {
      add(Kind::failure, cs::credential_invalid, check.explanation);
    } else if (!check.inside_validity) {
      add(Kind::failure, cs::signature_outside_validity, check.explanation);
    } else if (check.trusted) {
      add(Kind::success, cs::credential_trusted, "signing certificate trusted");
    } else {
      add(Kind::failure, cs::credential_untrusted, "signing certificate untrusted");
    }
    bool verified = false;
    try {
      verified = verify_cose_sign1(*cose, chain.front().get(), signer_payload);
    } catch (const Error& e) {
      crypto::clear_openssl_errors();
      const bool unsupported = e.code() == Errc::unsupported_format;
      return add(Kind::failure, unsupported ? cs::algorithm_unsupported : cs::signature_mismatch, e.what());
    }
    if (!verified) return add(Kind::failure, cs::signature_mismatch, "identity assertion signature is not valid");
    add(Kind::success, cs::signature_validated, "X.509 identity assertion signature validated");
    if (!usable) return;
    if (check.trusted)
      add(Kind::success, cs::trusted, "CAWG X.509 identity signature valid and trusted");
    else
      add(Kind::success, cs::well_formed, "CAWG X.509 identity signature valid");
  }

  const std::vector<ClaimReference>& claim_references_;
  const TrustAnchors* anchors_;
  std::chrono::system_clock::time_point at_;
  IdentityCheck result_;
};

}  // namespace

bool is_identity_assertion(std::string_view label) { return label.starts_with("cawg.identity"); }

IdentityCheck check_identity_assertion(Span bytes, const std::vector<ClaimReference>& claim_references,
                                       const TrustAnchors* anchors, std::chrono::system_clock::time_point at) {
  try {
    return Checker(claim_references, anchors, at).run(bytes);
  } catch (const Error& e) {  // OpenSSL failing on its own (out of memory)
    crypto::clear_openssl_errors();
    IdentityCheck check;
    check.statuses.push_back({Kind::failure, cs::signature_mismatch, e.what()});
    return check;
  }
}

}  // namespace provmark::c2pa
