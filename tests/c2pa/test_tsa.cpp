// SPDX-License-Identifier: Apache-2.0
#include "c2pa/test_tsa.hpp"

#include <openssl/sha.h>
#include <openssl/ts.h>

#include <memory>
#include <stdexcept>

namespace provmark::test {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test TSA: ") + what);
}

struct Free {
  void operator()(TS_REQ* p) const noexcept { TS_REQ_free(p); }
  void operator()(TS_RESP* p) const noexcept { TS_RESP_free(p); }
  void operator()(TS_RESP_CTX* p) const noexcept { TS_RESP_CTX_free(p); }
  void operator()(TS_MSG_IMPRINT* p) const noexcept { TS_MSG_IMPRINT_free(p); }
  void operator()(X509_ALGOR* p) const noexcept { X509_ALGOR_free(p); }
  void operator()(ASN1_OBJECT* p) const noexcept { ASN1_OBJECT_free(p); }
};

// genTime comes from here rather than the clock, so tests choose it.
int fixed_time(TS_RESP_CTX*, void* data, long* seconds, long* microseconds) {
  *seconds = *static_cast<const long*>(data);
  *microseconds = 0;
  return 1;
}

}  // namespace

Extensions tsa_extensions() {
  return signer_extensions_with("extendedKeyUsage", "critical,timeStamping");
}

TestTsa::TestTsa(CertOptions tsa_options)
    : root_key(make_key("P-256")),
      root(make_cert(root_key.get(), {"provmark test TSA root", ca_extensions(), -100, 3650})),
      key(make_key("P-256")),
      cert(make_cert(key.get(), tsa_options, root.get(), root_key.get())) {}

std::string TestTsa::root_pem() const { return to_pem(root.get()); }

std::vector<std::uint8_t> TestTsa::respond(std::span<const std::uint8_t> message, std::time_t at) const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(message.data(), message.size(), digest);
  const std::unique_ptr<X509_ALGOR, Free> algo(X509_ALGOR_new());
  const std::unique_ptr<TS_MSG_IMPRINT, Free> imprint(TS_MSG_IMPRINT_new());
  const std::unique_ptr<TS_REQ, Free> request(TS_REQ_new());
  require(algo && imprint && request, "alloc");
  X509_ALGOR_set_md(algo.get(), EVP_sha256());
  require(TS_MSG_IMPRINT_set_algo(imprint.get(), algo.get()) == 1 &&
              TS_MSG_IMPRINT_set_msg(imprint.get(), digest, sizeof digest) == 1 &&
              TS_REQ_set_version(request.get(), 1) == 1 && TS_REQ_set_msg_imprint(request.get(), imprint.get()) == 1 &&
              TS_REQ_set_cert_req(request.get(), 1) == 1,
          "request");
  unsigned char* request_der = nullptr;
  const int request_size = i2d_TS_REQ(request.get(), &request_der);
  require(request_size > 0, "request DER");
  const std::vector<std::uint8_t> der(request_der, request_der + request_size);
  OPENSSL_free(request_der);
  return answer(der, at);
}

std::vector<std::uint8_t> TestTsa::answer(std::span<const std::uint8_t> request, std::time_t at) const {
  const crypto::BioPtr request_bio(BIO_new_mem_buf(request.data(), static_cast<int>(request.size())));
  require(request_bio != nullptr, "request BIO");

  long seconds = static_cast<long>(at);
  const std::unique_ptr<TS_RESP_CTX, Free> ctx(TS_RESP_CTX_new());
  const std::unique_ptr<ASN1_OBJECT, Free> policy(OBJ_txt2obj("1.3.6.1.4.1.4146.2.3", 1));
  require(ctx && policy, "alloc");
  require(TS_RESP_CTX_set_signer_cert(ctx.get(), cert.get()) == 1 &&
              TS_RESP_CTX_set_signer_key(ctx.get(), key.get()) == 1 &&
              TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) == 1 &&
              TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) == 1 &&
              TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256()) == 1,
          "TSA context");
  TS_RESP_CTX_set_time_cb(ctx.get(), fixed_time, &seconds);
  const std::unique_ptr<TS_RESP, Free> response(TS_RESP_create_response(ctx.get(), request_bio.get()));
  require(response != nullptr, "TS_RESP_create_response");
  require(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get()))) == 0, "granted");
  unsigned char* out = nullptr;
  const int size = i2d_TS_RESP(response.get(), &out);
  require(size > 0, "response DER");
  std::vector<std::uint8_t> der(out, out + size);
  OPENSSL_free(out);
  return der;
}

std::vector<std::uint8_t> TestTsa::token(std::span<const std::uint8_t> message, std::time_t at) const {
  const std::vector<std::uint8_t> der = respond(message, at);
  const unsigned char* p = der.data();
  const std::unique_ptr<TS_RESP, Free> response(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  require(response != nullptr, "reread response");
  unsigned char* out = nullptr;
  const int size = i2d_PKCS7(TS_RESP_get_token(response.get()), &out);
  require(size > 0, "token DER");
  std::vector<std::uint8_t> token(out, out + size);
  OPENSSL_free(out);
  return token;
}

}  // namespace provmark::test
