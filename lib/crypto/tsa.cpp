// SPDX-License-Identifier: Apache-2.0
#include "crypto/tsa.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "core/fail.hpp"
#include "crypto/openssl.hpp"

namespace provmark::crypto {
namespace {

struct TsFree {
  void operator()(TS_REQ* p) const noexcept { TS_REQ_free(p); }
  void operator()(TS_RESP* p) const noexcept { TS_RESP_free(p); }
  void operator()(TS_VERIFY_CTX* p) const noexcept { TS_VERIFY_CTX_free(p); }
  void operator()(TS_MSG_IMPRINT* p) const noexcept { TS_MSG_IMPRINT_free(p); }
  void operator()(X509_ALGOR* p) const noexcept { X509_ALGOR_free(p); }
  void operator()(ASN1_INTEGER* p) const noexcept { ASN1_INTEGER_free(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(char* p) const noexcept { OPENSSL_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, TsFree>;

// Response bodies of a TSA are a few kB; this bounds what a hostile server can make us buffer.
constexpr std::size_t max_response_bytes = 1 << 20;

Ptr<TS_REQ> read_request(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  Ptr<TS_REQ> request(d2i_TS_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!request) fail_openssl(Errc::internal, "cannot re-read our own TimeStampReq");
  return request;
}

}  // namespace

std::vector<std::uint8_t> time_stamp_request(std::span<const std::uint8_t> message) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!SHA256(message.data(), message.size(), digest)) fail_openssl(Errc::crypto, "SHA256");
  unsigned char nonce_bytes[8];
  if (RAND_bytes(nonce_bytes, sizeof nonce_bytes) != 1) fail_openssl(Errc::crypto, "RAND_bytes");
  const Ptr<BIGNUM> nonce_bn(BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
  const Ptr<ASN1_INTEGER> nonce(nonce_bn ? BN_to_ASN1_INTEGER(nonce_bn.get(), nullptr) : nullptr);
  const Ptr<X509_ALGOR> algo(X509_ALGOR_new());
  const Ptr<TS_MSG_IMPRINT> imprint(TS_MSG_IMPRINT_new());
  const Ptr<TS_REQ> request(TS_REQ_new());
  if (!nonce || !algo || !imprint || !request) fail_openssl(Errc::crypto, "out of memory");
  X509_ALGOR_set_md(algo.get(), EVP_sha256());
  if (TS_MSG_IMPRINT_set_algo(imprint.get(), algo.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), digest, sizeof digest) != 1 || TS_REQ_set_version(request.get(), 1) != 1 ||
      TS_REQ_set_msg_imprint(request.get(), imprint.get()) != 1 || TS_REQ_set_nonce(request.get(), nonce.get()) != 1 ||
      TS_REQ_set_cert_req(request.get(), 1) != 1) {
    fail_openssl(Errc::crypto, "cannot build the TimeStampReq");
  }
  unsigned char* out = nullptr;
  const int size = i2d_TS_REQ(request.get(), &out);
  if (size <= 0) fail_openssl(Errc::crypto, "i2d_TS_REQ");
  std::vector<std::uint8_t> der(out, out + size);
  OPENSSL_free(out);
  return der;
}

void check_time_stamp_response(std::span<const std::uint8_t> request, std::span<const std::uint8_t> response) {
  if (response.empty() || response.size() > static_cast<std::size_t>(LONG_MAX)) {
    fail(Errc::crypto, "time-stamp authority: empty answer");
  }
  const unsigned char* p = response.data();
  const Ptr<TS_RESP> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
  if (!resp || p != response.data() + response.size()) {
    clear_openssl_errors();
    fail(Errc::crypto, "time-stamp authority: the answer is not a DER TimeStampResp");
  }
  const Ptr<TS_REQ> req = read_request(request);
  // The request's version, imprint and nonce; not the signature: the TSA's certificate is judged by validators.
  const Ptr<TS_VERIFY_CTX> ctx(TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  if (!ctx) fail_openssl(Errc::crypto, "TS_REQ_to_TS_VERIFY_CTX");
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    char reason[256] = {};
    ERR_error_string_n(ERR_peek_last_error(), reason, sizeof reason);
    clear_openssl_errors();
    fail(Errc::crypto, std::string("time-stamp authority: the answer does not grant the request (") + reason + ")");
  }
}

HttpUrl parse_http_url(const std::string& url) {
  char* user = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  char* path = nullptr;
  char* query = nullptr;
  char* fragment = nullptr;
  int use_ssl = 0;
  int port_number = 0;
  const int ok =
      OSSL_HTTP_parse_url(url.c_str(), &use_ssl, &user, &host, &port, &port_number, &path, &query, &fragment);
  const Ptr<char> owned[] = {Ptr<char>(user), Ptr<char>(host),  Ptr<char>(port),
                             Ptr<char>(path), Ptr<char>(query), Ptr<char>(fragment)};
  clear_openssl_errors();
  if (ok != 1 || !url.starts_with("http")) fail(Errc::invalid_argument, "not an http:// URL: " + url);
  if (use_ssl) {
    fail(Errc::invalid_argument,
         "https time-stamp authorities need a TimeStampFunction (Signer::with_time_stamps) "
         "around your HTTPS client: " +
             url);
  }
  HttpUrl out{host, port, path};
  if (query && *query) out.path += std::string("?") + query;
  return out;
}

std::vector<std::uint8_t> post_time_stamp_request(const HttpUrl& url, std::span<const std::uint8_t> request,
                                                  std::chrono::seconds timeout) {
  if (request.size() > static_cast<std::size_t>(INT_MAX)) fail(Errc::invalid_argument, "time-stamp request too large");
  const BioPtr body(BIO_new_mem_buf(request.data(), static_cast<int>(request.size())));
  if (!body) fail_openssl(Errc::crypto, "BIO_new_mem_buf");
  const auto seconds = static_cast<int>(std::min<std::chrono::seconds::rep>(timeout.count(), INT_MAX));
  // OSSL_HTTP_transfer: connect (through http_proxy unless no_proxy says otherwise), POST, check the status and
  // the content type, and read at most max_response_bytes of ASN.1 within the timeout.
  const BioPtr answer(OSSL_HTTP_transfer(nullptr, url.host.c_str(), url.port.c_str(), url.path.c_str(), 0, nullptr,
                                         nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr,
                                         "application/timestamp-query", body.get(), "application/timestamp-reply", 1,
                                         max_response_bytes, seconds, 0));
  if (!answer) {
    char reason[256] = {};
    ERR_error_string_n(ERR_peek_last_error(), reason, sizeof reason);
    clear_openssl_errors();
    fail(Errc::io, "time-stamp authority " + url.host + ":" + url.port + url.path + ": " + reason);
  }
  std::vector<std::uint8_t> out;
  unsigned char buffer[4096];
  int n = 0;
  while ((n = BIO_read(answer.get(), buffer, sizeof buffer)) > 0) out.insert(out.end(), buffer, buffer + n);
  return out;
}

}  // namespace provmark::crypto
