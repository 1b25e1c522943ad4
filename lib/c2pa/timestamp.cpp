// SPDX-License-Identifier: Apache-2.0
#include "c2pa/timestamp.hpp"

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include <algorithm>
#include <climits>
#include <ctime>
#include <memory>

#include "c2pa/cbor.hpp"
#include "c2pa/certificates.hpp"
#include "c2pa/labels.hpp"
#include "core/fail.hpp"
#include "crypto/openssl.hpp"
#include "provmark/error.hpp"

// OpenSSL's TS_RESP_verify_token checks the signature and the TSA's chain in one call. c2pa-rs reports them apart
// (a token can be validated but untrusted) and applies the C2PA certificate profile to the TSA, so the steps are
// done one by one here with the primitives that call uses: PKCS7_dataInit + PKCS7_signatureVerify for the
// signature, TS_TST_INFO for genTime and the imprint, and our certificate checks for the TSA.

namespace provmark::c2pa {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::system_clock;
namespace st = status;

struct TsFree {
  void operator()(TS_RESP* p) const noexcept { TS_RESP_free(p); }
  void operator()(PKCS7* p) const noexcept { PKCS7_free(p); }
  void operator()(TS_TST_INFO* p) const noexcept { TS_TST_INFO_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
};
using RespPtr = std::unique_ptr<TS_RESP, TsFree>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, TsFree>;
using TstInfoPtr = std::unique_ptr<TS_TST_INFO, TsFree>;
using BioChainPtr = std::unique_ptr<BIO, TsFree>;

constexpr long pki_status_granted = 0;
constexpr long pki_status_granted_with_mods = 1;

void write_bstr(Bytes& out, std::span<const std::uint8_t> bytes) {
  cbor::write_head(out, 2, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// The parsed token, owned either by a TimeStampResp or on its own.
struct Token {
  RespPtr response;
  Pkcs7Ptr own;
  PKCS7* p7 = nullptr;
};

// c2pa-rs signed_data_from_time_stamp_response: a TimeStampResp (status granted) or a bare TimeStampToken.
// An empty string when read, else why not.
std::string read_token(std::span<const std::uint8_t> der, Token& token) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) return "no time-stamp data";
  const auto length = static_cast<long>(der.size());
  const unsigned char* p = der.data();
  token.response.reset(d2i_TS_RESP(nullptr, &p, length));
  if (token.response && p == der.data() + der.size()) {
    const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(token.response.get())));
    if (status != pki_status_granted && status != pki_status_granted_with_mods) return "time-stamp not granted";
    token.p7 = TS_RESP_get_token(token.response.get());
    return token.p7 ? "" : "the time-stamp response holds no token";
  }
  token.response.reset();
  p = der.data();
  token.own.reset(d2i_PKCS7(nullptr, &p, length));
  if (!token.own || p != der.data() + der.size()) return "neither a TimeStampResp nor a TimeStampToken";
  token.p7 = token.own.get();
  return {};
}

// A genTime as a time point; nullopt when unreadable or outside what system_clock holds (about 1678-2261:
// GeneralizedTime reaches 9999).
std::optional<Clock::time_point> to_time_point(const ASN1_GENERALIZEDTIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  const std::time_t since_epoch = timegm(&tm);
  if (since_epoch == static_cast<std::time_t>(-1)) return std::nullopt;
  constexpr auto limit = std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();
  if (since_epoch >= limit || since_epoch <= -limit) return std::nullopt;
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(since_epoch)));
}

std::string common_name(X509* cert) {
  char text[256] = {};
  const int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, text, sizeof text);
  return n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string("(no common name)");
}

bool valid_at_inclusive(const X509* cert, Clock::time_point at) {
  std::time_t when = Clock::to_time_t(at);
  return X509_cmp_time(X509_get0_notBefore(cert), &when) <= 0 && X509_cmp_time(X509_get0_notAfter(cert), &when) >= 0;
}

// The hash of `message` under the imprint's algorithm, if c2pa-rs knows that algorithm (SHA-1 or SHA-2).
std::optional<Bytes> imprint_of(const TS_MSG_IMPRINT* imprint, std::span<const std::uint8_t> message) {
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(const_cast<TS_MSG_IMPRINT*>(imprint)));
  const int nid = oid ? OBJ_obj2nid(oid) : NID_undef;
  if (nid != NID_sha1 && nid != NID_sha256 && nid != NID_sha384 && nid != NID_sha512) return std::nullopt;
  Bytes digest(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  if (EVP_Digest(message.data(), message.size(), digest.data(), &size, EVP_get_digestbynid(nid), nullptr) != 1) {
    crypto::fail_openssl(Errc::crypto, "time-stamp imprint digest");
  }
  digest.resize(size);
  return digest;
}

// Another reference to a certificate the token owns, so that it outlives the token.
crypto::X509Ptr share(X509* cert) {
  X509_up_ref(cert);
  return crypto::X509Ptr(cert);
}

class Checker {
 public:
  explicit Checker(std::span<const std::uint8_t> message) : message_(message) {}

  TimeStampCheck run(std::span<const std::uint8_t> der) {
    Token token;
    if (std::string problem = read_token(der, token); !problem.empty()) return only(st::time_stamp_malformed, problem);
    if (!PKCS7_type_is_signed(token.p7) || !token.p7->d.sign) {
      return only(st::time_stamp_malformed, "the time-stamp token is not SignedData");
    }
    STACK_OF(X509)* certs = token.p7->d.sign->cert;
    if (sk_X509_num(certs) <= 0) return only(st::time_stamp_untrusted, "the time-stamp token has no certificates");
    const TstInfoPtr info(PKCS7_to_TS_TST_INFO(token.p7));
    if (!info) return only(st::time_stamp_malformed, "the time-stamp token has no TSTInfo");
    const auto gen_time = to_time_point(TS_TST_INFO_get_time(info.get()));
    if (!gen_time) return only(st::time_stamp_malformed, "the time-stamp genTime cannot be read");
    // Runs the content through the digests of every signer, once; PKCS7_signatureVerify then checks each one.
    const BioChainPtr content(PKCS7_dataInit(token.p7, nullptr));
    if (!content) return only(st::time_stamp_malformed, "the time-stamp token's digest algorithm is not supported");
    unsigned char buffer[4096];
    while (BIO_read(content.get(), buffer, sizeof buffer) > 0) {
    }

    // Like c2pa-rs: the first signer that passes wins, otherwise the statuses of the last one tried.
    TimeStampCheck last;
    STACK_OF(PKCS7_SIGNER_INFO)* signers = PKCS7_get_signer_info(token.p7);
    for (int i = 0; i < sk_PKCS7_SIGNER_INFO_num(signers); ++i) {
      PKCS7_SIGNER_INFO* signer = sk_PKCS7_SIGNER_INFO_value(signers, i);
      X509* cert = signer->issuer_and_serial ? X509_find_by_issuer_and_serial(certs, signer->issuer_and_serial->issuer,
                                                                              signer->issuer_and_serial->serial)
                                             : nullptr;
      if (!cert) continue;
      last = check_signer(content.get(), token.p7, signer, cert, certs, *gen_time, info.get());
      if (last.time) break;
    }
    return last;
  }

 private:
  static TimeStampCheck only(std::string_view code, std::string why) {
    TimeStampCheck check;
    check.statuses.push_back({code, false, std::move(why)});
    return check;
  }

  TimeStampCheck check_signer(BIO* content, PKCS7* p7, PKCS7_SIGNER_INFO* signer, X509* cert, STACK_OF(X509)* certs,
                              Clock::time_point gen_time, TS_TST_INFO* info) const {
    const std::string name = common_name(cert);
    ERR_clear_error();
    if (PKCS7_signatureVerify(content, p7, signer, cert) != 1) {
      const unsigned long error = ERR_peek_last_error();
      const int reason = ERR_GET_LIB(error) == ERR_LIB_PKCS7 ? ERR_GET_REASON(error) : 0;
      ERR_clear_error();
      if (reason == PKCS7_R_DIGEST_FAILURE) return only(st::time_stamp_mismatch, "timestamp bad message digest");
      if (reason == PKCS7_R_UNABLE_TO_FIND_MESSAGE_DIGEST) {
        return only(st::time_stamp_malformed, "timestamp no message digest");
      }
      return only(st::time_stamp_untrusted, "timestamp signed data did not match signature");
    }
    if (!valid_at_inclusive(cert, gen_time)) {
      return only(st::time_stamp_outside_validity, "timestamp signer outside of certificate validity");
    }
    const TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
    const std::optional<Bytes> expected = imprint_of(imprint, message_);
    if (!expected) return only(st::time_stamp_untrusted, "timestamp unknown message digest algorithm");
    const ASN1_OCTET_STRING* stored = TS_MSG_IMPRINT_get_msg(const_cast<TS_MSG_IMPRINT*>(imprint));
    const std::span<const std::uint8_t> actual(ASN1_STRING_get0_data(stored),
                                               static_cast<std::size_t>(ASN1_STRING_length(stored)));
    if (!std::equal(expected->begin(), expected->end(), actual.begin(), actual.end())) {
      return only(st::time_stamp_mismatch, "timestamp message digest did not match: " + name);
    }

    TimeStampCheck check;
    check.time = gen_time;
    check.statuses.push_back({st::time_stamp_validated, true, "timestamp message digest matched: " + name});
    check.tsa_name = name;
    check.tsa = share(cert);
    for (int i = 0; i < sk_X509_num(certs); ++i) {
      if (sk_X509_value(certs, i) != cert) check.others.push_back(share(sk_X509_value(certs, i)));
    }
    return check;
  }

  std::span<const std::uint8_t> message_;
};

}  // namespace

std::vector<std::uint8_t> time_stamp_message(TimeStampVersion version, std::span<const std::uint8_t> protected_header,
                                             std::span<const std::uint8_t> claim_bytes,
                                             std::span<const std::uint8_t> signature) {
  static constexpr std::string_view context = "CounterSignature";
  Bytes out;
  cbor::write_head(out, 4, 4);
  cbor::write_head(out, 3, context.size());
  out.insert(out.end(), context.begin(), context.end());
  write_bstr(out, protected_header);
  write_bstr(out, {});  // external_aad
  if (version == TimeStampVersion::v1) {
    write_bstr(out, claim_bytes);
  } else {
    Bytes signature_bstr;
    write_bstr(signature_bstr, signature);
    write_bstr(out, signature_bstr);
  }
  return out;
}

TimeStampCheck check_time_stamp(std::span<const std::uint8_t> token, std::span<const std::uint8_t> message) {
  TimeStampCheck check;
  try {
    check = Checker(message).run(token);
  } catch (const Error& e) {  // OpenSSL failing on its own (out of memory): the time-stamp is not used
    check = {};
    check.statuses.push_back({st::time_stamp_malformed, false, e.what()});
  }
  crypto::clear_openssl_errors();
  return check;
}

TimeStampCheck check_signature_time_stamp(const CoseSign1& cose, std::span<const std::uint8_t> claim_bytes) {
  if (!cose.time_stamp || !cose.time_stamp->tokens || cose.time_stamp->tokens->empty()) return {};
  const auto& tokens = *cose.time_stamp->tokens;
  if (tokens.size() > 1) {
    TimeStampCheck check;
    check.statuses.push_back(
        {st::time_stamp_malformed, false, "only a single timestamp response is allowed in a manifest"});
    return check;
  }
  const Bytes message =
      time_stamp_message(cose.time_stamp->version, cose.protected_header, claim_bytes, cose.signature);
  return check_time_stamp(tokens.front(), message);
}

TimeStampTrust trust_time_stamp(const TimeStampCheck& check, const TrustAnchors* anchors, bool check_trust) {
  if (!check.time || !check.tsa) return {false, {st::time_stamp_untrusted, false, "the time-stamp is not validated"}};
  if (!check_trust) {
    // c2pa-rs 0.91 checks no TSA trust for a claim v1 and still says trusted; we agree, and say why.
    return {true, {st::time_stamp_trusted, true,
                   "legacy timestamp (claim v1), the TSA's trust is not checked: " + check.tsa_name}};
  }
  std::vector<X509*> others;
  for (const crypto::X509Ptr& cert : check.others) others.push_back(cert.get());
  std::string problem;
  try {
    problem = time_stamp_authority_problem(check.tsa.get(), others, anchors, *check.time);
  } catch (const Error& e) {
    problem = e.what();
  }
  if (!problem.empty()) {
    return {false,
            {st::time_stamp_untrusted, false, "timestamp cert untrusted: " + check.tsa_name + " (" + problem + ")"}};
  }
  return {true, {st::time_stamp_trusted, true, "timestamp cert trusted: " + check.tsa_name}};
}

std::vector<std::uint8_t> time_stamp_token(std::span<const std::uint8_t> der) {
  Token token;
  if (std::string problem = read_token(der, token); !problem.empty()) {
    crypto::clear_openssl_errors();
    fail(Errc::malformed_input, "time-stamp: " + problem);
  }
  if (token.own) return {der.begin(), der.end()};
  unsigned char* out = nullptr;
  const int size = i2d_PKCS7(token.p7, &out);
  if (size <= 0) crypto::fail_openssl(Errc::crypto, "i2d_PKCS7");
  Bytes bytes(out, out + size);
  OPENSSL_free(out);
  return bytes;
}

std::string rfc3339(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = Clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32] = {};
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return text;
}

}  // namespace provmark::c2pa
