// SPDX-License-Identifier: Apache-2.0
#include "c2pa/cose.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "c2pa/cbor.hpp"
#include "c2pa/timestamp.hpp"
#include "core/fail.hpp"
#include "crypto/openssl.hpp"

// CBOR: writing goes through nlohmann::json (the lead may switch it to the shared lib/c2pa/cbor helper).
// Two parts are hand-written on purpose:
// - the protected header map {1: alg, 33: x5chain}: nlohmann objects only have text keys, COSE labels are ints;
// - the reader: nlohmann's CBOR parser rejects integer map keys and recurses without a depth limit, which a
//   hostile file could use to exhaust the stack. Ours reads only the COSE_Sign1 shape, bounded and iterative
//   except for skipping unknown values (depth-limited).

namespace provmark::c2pa {
namespace {

using Bytes = std::vector<std::uint8_t>;
using json = nlohmann::json;

constexpr std::uint8_t cose_sign1_tag = 0xD2;  // CBOR tag 18 (COSE_Sign1) in its one-byte form
constexpr int max_depth = 32;                   // nesting allowed inside skipped header values

// CBOR major types (RFC 8949 §3.1).
enum Major : int { unsigned_int = 0, negative_int = 1, byte_string = 2, text_string = 3, array = 4, map = 5,
                   tag = 6, simple = 7 };

void write_head(Bytes& out, int major, std::uint64_t value) {
  cbor::write_head(out, static_cast<std::uint8_t>(major), value);
}

void write_int(Bytes& out, std::int64_t value) {
  if (value >= 0) write_head(out, unsigned_int, static_cast<std::uint64_t>(value));
  else write_head(out, negative_int, static_cast<std::uint64_t>(-(value + 1)));
}

void write_bstr(Bytes& out, std::span<const std::uint8_t> bytes) {
  write_head(out, byte_string, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// {1: alg, 33: x5chain}: deterministic (keys in ascending order, shortest heads).
Bytes encode_protected(int alg, const std::vector<Bytes>& chain) {
  Bytes out;
  write_head(out, map, 2);
  write_int(out, 1);
  write_int(out, alg);
  write_int(out, 33);
  if (chain.size() == 1) {
    write_bstr(out, chain.front());
  } else {
    write_head(out, array, chain.size());
    for (const Bytes& cert : chain) write_bstr(out, cert);
  }
  return out;
}

// Sig_structure for COSE_Sign1 with empty external_aad and the detached payload (RFC 9052 §4.4).
// Written directly (shortest heads, as any CBOR encoder writes this array): no copies of the claim into json values.
Bytes to_be_signed(std::span<const std::uint8_t> protected_header, std::span<const std::uint8_t> payload) {
  static constexpr std::string_view context = "Signature1";
  Bytes out;
  out.reserve(protected_header.size() + payload.size() + 32);
  write_head(out, array, 4);
  write_head(out, text_string, context.size());
  out.insert(out.end(), context.begin(), context.end());
  write_bstr(out, protected_header);
  write_bstr(out, {});
  write_bstr(out, payload);
  return out;
}

std::size_t head_size(std::size_t length) {
  return length < 24 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : length <= 0xFFFFFFFF ? 5 : 9;
}

// The content length n for which a bstr takes exactly `total` bytes, if one exists (heads grow 1->2->3->5->9).
std::optional<std::size_t> bstr_length_for(std::size_t total) {
  for (const std::size_t head : {1, 2, 3, 5, 9}) {
    if (total >= head && head_size(total - head) == head) return total - head;
  }
  return std::nullopt;
}

Bytes encode_cose(const Bytes& protected_header, const Bytes& signature, json unprotected, const json& extra) {
  unprotected.update(extra);
  Bytes out = json::to_cbor(json::array({json::binary(protected_header), std::move(unprotected), nullptr,
                                         json::binary(signature)}));
  out.insert(out.begin(), cose_sign1_tag);
  return out;
}

json zeros(std::size_t n) { return json::binary(Bytes(n, 0)); }

// COSE_Sign1 of exactly `reserve` bytes: grows "pad", and splits the zeros into "pad" and "pad2" when a bstr
// head size change makes the total unreachable with one (C2PA 2.2 §10.4.4; c2pa-rs pad_cose_sig).
// `extra` holds the other unprotected headers (sigTst2), or is an empty object.
Bytes encode_padded(const Bytes& protected_header, const Bytes& signature, std::size_t reserve, const json& extra) {
  const std::size_t base = encode_cose(protected_header, signature, {{"pad", zeros(0)}}, extra).size();
  if (reserve < base) {
    fail(Errc::invalid_argument, "the COSE signature needs " + std::to_string(base) + " bytes, only " +
                                     std::to_string(reserve) + " are reserved");
  }
  const std::size_t room = reserve - base + 1;  // bytes for the "pad" bstr, head included
  json unprotected;
  if (const auto n = bstr_length_for(room)) {
    unprotected = {{"pad", zeros(*n)}};
  } else {
    constexpr std::size_t pad2_key = 5;  // tstr "pad2"
    for (std::size_t n2 = 0; n2 < 24 && unprotected.is_null(); ++n2) {
      if (room < pad2_key + 1 + n2) break;
      if (const auto n1 = bstr_length_for(room - pad2_key - 1 - n2)) {
        unprotected = {{"pad", zeros(*n1)}, {"pad2", zeros(n2)}};
      }
    }
  }
  Bytes out =
      unprotected.is_null() ? Bytes{} : encode_cose(protected_header, signature, std::move(unprotected), extra);
  if (out.size() != reserve) fail(Errc::internal, "COSE padding missed the reserved size");
  return out;
}

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "COSE_Sign1: " + what); }

// A bounds-checked reader of definite-length CBOR.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool at_end() const { return pos_ == bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  struct Head {
    int major;
    std::uint64_t value;  // the argument: integer value, length or count
  };

  Head head() {
    const std::uint8_t initial = take(1)[0];
    const int info = initial & 31;
    Head h{initial >> 5, static_cast<std::uint64_t>(info)};
    if (info < 24) return h;
    if (info > 27) malformed("indefinite-length or reserved CBOR item");
    h.value = 0;
    for (const std::uint8_t b : take(std::size_t{1} << (info - 24))) h.value = h.value << 8 | b;
    return h;
  }

  std::span<const std::uint8_t> take(std::uint64_t n) {
    if (n > remaining()) malformed("truncated CBOR");
    const auto out = bytes_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

  // The raw bytes of the next item, skipped.
  std::span<const std::uint8_t> item() {
    const std::size_t start = pos_;
    skip();
    return bytes_.subspan(start, pos_ - start);
  }

  std::span<const std::uint8_t> text() {
    const Head h = head();
    if (h.major != text_string) malformed("expected a text string");
    return take(h.value);
  }

  std::span<const std::uint8_t> bstr() {
    const Head h = head();
    if (h.major != byte_string) malformed("expected a byte string");
    return take(h.value);
  }

  // A count of items that each take at least one byte: a larger count is a lie.
  std::size_t count(const Head& h, std::uint64_t bytes_per_item) {
    if (h.value > remaining() / bytes_per_item) malformed("CBOR count exceeds the data");
    return static_cast<std::size_t>(h.value);
  }

  void skip(int depth = 0) {
    if (depth > max_depth) malformed("CBOR nested too deeply");
    const Head h = head();
    switch (h.major) {
      case byte_string:
      case text_string: take(h.value); break;
      case array:
        for (std::size_t i = count(h, 1); i > 0; --i) skip(depth + 1);
        break;
      case map:
        for (std::size_t i = count(h, 2); i > 0; --i) {
          skip(depth + 1);
          skip(depth + 1);
        }
        break;
      case tag: skip(depth + 1); break;
      default: break;  // integers and simple values have no content
    }
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

// A COSE header label: an integer or a text string.
struct Label {
  bool is_text = false;
  std::int64_t number = 0;
  std::string_view text;

  bool is(std::int64_t n) const { return !is_text && number == n; }
  bool is(std::string_view s) const { return is_text && text == s; }
};

Label read_label(Reader& r) {
  const Reader::Head h = r.head();
  if (h.major == text_string) {
    const auto bytes = r.take(h.value);
    return {true, 0, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())};
  }
  if ((h.major != unsigned_int && h.major != negative_int) || h.value > std::numeric_limits<std::int64_t>::max()) {
    malformed("a header label must be an integer or a text string");
  }
  const auto magnitude = static_cast<std::int64_t>(h.value);
  return {false, h.major == unsigned_int ? magnitude : -1 - magnitude, {}};
}

int read_alg(Reader& r) {
  const Reader::Head h = r.head();
  if ((h.major != unsigned_int && h.major != negative_int) || h.value > std::numeric_limits<int>::max()) {
    malformed("alg must be a small integer");
  }
  const auto magnitude = static_cast<int>(h.value);
  return h.major == unsigned_int ? magnitude : -1 - magnitude;
}

// x5chain: one bstr, or an array of at least one bstr.
std::vector<Bytes> read_chain(Reader& r) {
  const Reader::Head h = r.head();
  std::vector<Bytes> chain;
  if (h.major == byte_string) {
    const auto cert = r.take(h.value);
    chain.emplace_back(cert.begin(), cert.end());
  } else if (h.major == array) {
    const std::size_t n = r.count(h, 1);
    if (n == 0) malformed("empty x5chain");
    for (std::size_t i = 0; i < n; ++i) {
      const auto cert = r.bstr();
      chain.emplace_back(cert.begin(), cert.end());
    }
  } else {
    malformed("x5chain must be a byte string or an array of byte strings");
  }
  return chain;
}

struct Headers {
  std::optional<int> alg;
  std::optional<std::vector<Bytes>> chain;
  std::optional<TimeStampHeader> time_stamp;
};

bool is_text(std::span<const std::uint8_t> bytes, std::string_view text) {
  return std::equal(bytes.begin(), bytes.end(), text.begin(), text.end(),
                    [](std::uint8_t b, char c) { return b == static_cast<std::uint8_t>(c); });
}

// {"tstTokens": [{"val": bstr}, ...]}, other keys ignored, as c2pa-rs's serde types read it. Throws for any other
// shape (the caller turns that into "no usable header").
std::vector<Bytes> read_time_stamp_tokens(Reader& r) {
  const Reader::Head h = r.head();
  if (h.major != map) malformed("the time-stamp header is not a map");
  std::optional<std::vector<Bytes>> tokens;
  for (std::size_t i = r.count(h, 2); i > 0; --i) {
    if (!is_text(r.text(), "tstTokens")) {
      r.skip();
      continue;
    }
    if (tokens) malformed("tstTokens given twice");
    const Reader::Head list = r.head();
    if (list.major != array) malformed("tstTokens is not an array");
    tokens.emplace();
    for (std::size_t j = r.count(list, 1); j > 0; --j) {
      const Reader::Head entry = r.head();
      if (entry.major != map) malformed("a tstTokens entry is not a map");
      std::optional<Bytes> value;
      for (std::size_t k = r.count(entry, 2); k > 0; --k) {
        if (!is_text(r.text(), "val")) {
          r.skip();
          continue;
        }
        if (value) malformed("val given twice");
        const auto bytes = r.bstr();
        value.emplace(bytes.begin(), bytes.end());
      }
      if (!value) malformed("a tstTokens entry has no val");
      tokens->push_back(std::move(*value));
    }
  }
  if (!tokens) malformed("no tstTokens");
  return std::move(*tokens);
}

TimeStampHeader read_time_stamp_header(TimeStampVersion version, std::span<const std::uint8_t> value) {
  TimeStampHeader header{version, std::nullopt};
  try {
    Reader r(value);
    header.tokens = read_time_stamp_tokens(r);
  } catch (const Error&) {
    header.tokens.reset();
  }
  return header;
}

// Reads a header map. `protected_bucket` also accepts alg and the integer label 33 for x5chain.
void read_headers(Reader& r, bool protected_bucket, Headers& out) {
  const Reader::Head h = r.head();
  if (h.major != map) malformed("a header bucket must be a map");
  for (std::size_t i = r.count(h, 2); i > 0; --i) {
    const Label label = read_label(r);
    if (protected_bucket && label.is(1)) {
      if (out.alg) malformed("alg given twice");
      out.alg = read_alg(r);
    } else if ((protected_bucket && label.is(33)) || label.is("x5chain")) {
      if (out.chain) malformed("more than one x5chain (both buckets or both labels)");
      out.chain = read_chain(r);
    } else if (!protected_bucket && (label.is("sigTst2") || label.is("sigTst"))) {
      const auto value = r.item();  // well-formed CBOR, or this throws; its shape is judged on its own
      const auto version = label.is("sigTst2") ? TimeStampVersion::v2 : TimeStampVersion::v1;
      if (!out.time_stamp) out.time_stamp = read_time_stamp_header(version, value);
    } else {
      r.skip();
    }
  }
}

}  // namespace

int cose_alg(SigningAlg alg) noexcept {
  switch (alg) {
    case SigningAlg::es256: return cose_es256;
    case SigningAlg::es384: return cose_es384;
    case SigningAlg::ps256: return cose_ps256;
    case SigningAlg::ed25519: return cose_eddsa;
  }
  return 0;
}

std::string cose_alg_name(int cose) {
  switch (cose) {
    case -7: return "Es256";
    case -35: return "Es384";
    case -36: return "Es512";
    case -37: return "Ps256";
    case -38: return "Ps384";
    case -39: return "Ps512";
    case -8: return "Ed25519";
    default: return "unknown (" + std::to_string(cose) + ")";
  }
}

std::vector<std::uint8_t> sign_claim(std::span<const std::uint8_t> claim_bytes, const Signer& signer,
                                     std::size_t reserve, const TimeStamper& time_stamper) {
  const Bytes protected_header = encode_protected(cose_alg(signer.alg()), signer.certificate_chain());
  const Bytes signature = signer.sign(to_be_signed(protected_header, claim_bytes));
  json extra = json::object();
  const TimeStamper stamper = time_stamper    ? time_stamper
                              : signer.time_stamps() ? TimeStamper([&signer](std::span<const std::uint8_t> message) {
                                                         return signer.time_stamp(message);
                                                       })
                                                     : TimeStamper();
  if (stamper) {
    const Bytes message = time_stamp_message(TimeStampVersion::v2, protected_header, claim_bytes, signature);
    Bytes token = time_stamp_token(stamper(message));
    // A token validators would reject (wrong imprint, bad signature, TSA certificate expired) is an error now,
    // not a silently useless header.
    const TimeStampCheck check = check_time_stamp(token, message);
    if (!check.time) {
      fail(Errc::crypto, "time-stamp authority: the token does not verify: " +
                             (check.statuses.empty() ? std::string("?") : check.statuses.back().explanation));
    }
    extra["sigTst2"] = {{"tstTokens", json::array({{{"val", json::binary(std::move(token))}}})}};
  }
  return encode_padded(protected_header, signature, reserve, extra);
}

std::vector<std::uint8_t> placeholder_signature(std::size_t reserve) {
  return encode_padded(Bytes{}, Bytes{}, reserve, json::object());
}

CoseSign1 parse_cose_sign1(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes[0] != cose_sign1_tag) malformed("not a tagged COSE_Sign1 (tag 18)");
  Reader r(bytes.subspan(1));
  const Reader::Head outer = r.head();
  if (outer.major != array || outer.value != 4) malformed("expected an array of 4 items");

  CoseSign1 cose;
  const auto protected_bytes = r.bstr();
  cose.protected_header.assign(protected_bytes.begin(), protected_bytes.end());
  Headers protected_headers;
  if (!protected_bytes.empty()) {  // a zero-length bstr stands for an empty map (RFC 9052 §3)
    Reader p(protected_bytes);
    read_headers(p, true, protected_headers);
    if (!p.at_end()) malformed("trailing bytes in the protected header");
  }
  Headers unprotected_headers;
  read_headers(r, false, unprotected_headers);
  if (protected_headers.chain && unprotected_headers.chain) malformed("x5chain in both header buckets");

  const Reader::Head payload = r.head();
  if (payload.major != simple || payload.value != 22) malformed("the payload must be null (detached)");
  const auto signature = r.bstr();
  cose.signature.assign(signature.begin(), signature.end());
  if (!r.at_end()) malformed("trailing bytes after the COSE_Sign1");

  if (!protected_headers.alg) malformed("no alg in the protected header");
  cose.alg = *protected_headers.alg;
  auto& chain = protected_headers.chain ? protected_headers.chain : unprotected_headers.chain;
  if (!chain) malformed("no x5chain");
  cose.x5chain = std::move(*chain);
  cose.time_stamp = std::move(unprotected_headers.time_stamp);
  return cose;
}

bool verify_cose_sign1(const CoseSign1& cose, std::span<const std::uint8_t> claim_bytes) {
  if (cose.x5chain.empty()) fail(Errc::malformed_input, "COSE_Sign1 without a certificate");
  const crypto::X509Ptr cert = crypto::read_der_certificate(cose.x5chain.front(), Errc::malformed_input);
  return verify_cose_sign1(cose, cert.get(), claim_bytes);
}

bool verify_cose_sign1(const CoseSign1& cose, X509* signer, std::span<const std::uint8_t> claim_bytes) {
  SigningAlg alg{};
  switch (cose.alg) {
    case cose_es256: alg = SigningAlg::es256; break;
    case cose_es384: alg = SigningAlg::es384; break;
    case cose_ps256: alg = SigningAlg::ps256; break;
    case cose_eddsa: alg = SigningAlg::ed25519; break;
    default: fail(Errc::unsupported_format, "COSE algorithm " + std::to_string(cose.alg) + " is not supported");
  }
  EVP_PKEY* key = X509_get0_pubkey(signer);
  if (!key) crypto::fail_openssl(Errc::malformed_input, "the signing certificate has no usable public key");
  return crypto::verify_raw(alg, key, to_be_signed(cose.protected_header, claim_bytes), cose.signature);
}

}  // namespace provmark::c2pa
