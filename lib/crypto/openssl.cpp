// SPDX-License-Identifier: Apache-2.0
#include "crypto/openssl.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <climits>
#include <cstring>

#include "core/fail.hpp"

namespace provmark::crypto {
namespace {

// Never prompt on a terminal for a PEM passphrase (OpenSSL's default when no callback is given).
int no_passphrase(char*, int, int, void*) { return -1; }

const char* digest_name(SigningAlg alg) {
  switch (alg) {
    case SigningAlg::es256:
    case SigningAlg::ps256: return "SHA256";
    case SigningAlg::es384: return "SHA384";
    case SigningAlg::ed25519: return nullptr;  // pure EdDSA: no pre-hash
  }
  return nullptr;
}

bool is_ecdsa(SigningAlg alg) { return alg == SigningAlg::es256 || alg == SigningAlg::es384; }

// EVP_DigestSign/Verify want a non-null pointer even for an empty message.
const unsigned char* data_or_empty(std::span<const std::uint8_t> bytes) {
  static const unsigned char empty = 0;
  return bytes.empty() ? &empty : bytes.data();
}

// RSASSA-PSS as C2PA PS256 wants it: MGF1 with the same hash, salt length = digest length.
bool set_pss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1;
}

std::size_t ec_field_size(const EVP_PKEY* key) { return (static_cast<std::size_t>(EVP_PKEY_get_bits(key)) + 7) / 8; }

BioPtr memory_bio(std::string_view text, Errc code) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) fail(code, "PEM text too large");
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) fail_openssl(Errc::crypto, "BIO_new_mem_buf");
  return bio;
}

}  // namespace

void fail_openssl(Errc code, const std::string& what) {
  std::string message = what;
  // Only OpenSSL's reason strings are kept: never the error data, which could echo input bytes.
  const char* separator = ": ";
  while (const unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    message += separator;
    message += text;
    separator = "; ";
  }
  fail(code, message);
}

void clear_openssl_errors() noexcept { ERR_clear_error(); }

std::vector<X509Ptr> read_pem_certificates(std::string_view pem, Errc code) {
  const BioPtr bio = memory_bio(pem, code);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr)) certs.emplace_back(cert);
  // The loop ends with "no start line" at the end of the text; anything else is a corrupt certificate.
  const unsigned long last = ERR_peek_last_error();
  if (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE && !certs.empty()) {
    ERR_clear_error();
    return certs;
  }
  fail_openssl(code, certs.empty() ? "no PEM certificate found" : "corrupt PEM certificate");
}

X509Ptr read_der_certificate(std::span<const std::uint8_t> der, Errc code) {
  if (der.size() > static_cast<std::size_t>(LONG_MAX)) fail(code, "certificate too large");
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) fail_openssl(code, "corrupt DER certificate");
  if (p != der.data() + der.size()) fail(code, "trailing bytes after a DER certificate");
  return cert;
}

std::vector<std::uint8_t> to_der(X509* cert) {
  const int size = i2d_X509(cert, nullptr);
  if (size <= 0) fail_openssl(Errc::crypto, "i2d_X509");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  unsigned char* p = der.data();
  if (i2d_X509(cert, &p) != size) fail_openssl(Errc::crypto, "i2d_X509");
  return der;
}

SigningAlg alg_for_key(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) {
        fail_openssl(Errc::bad_key, "EC key without a named curve");
      }
      if (std::strcmp(group, "prime256v1") == 0) return SigningAlg::es256;
      if (std::strcmp(group, "secp384r1") == 0) return SigningAlg::es384;
      fail(Errc::bad_key, std::string("unsupported EC curve ") + group + " (P-256 or P-384 only)");
    }
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key) < 2048) fail(Errc::bad_key, "RSA keys must have at least 2048 bits");
      return SigningAlg::ps256;
    case EVP_PKEY_ED25519: return SigningAlg::ed25519;
    default: fail(Errc::bad_key, "unsupported key type (EC P-256/P-384, RSA or Ed25519 only)");
  }
}

std::size_t raw_signature_size(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: return 2 * ec_field_size(key);
    case EVP_PKEY_ED25519: return 64;
    default: return static_cast<std::size_t>(EVP_PKEY_get_size(key));  // RSA: the modulus size
  }
}

std::vector<std::uint8_t> sign_raw(SigningAlg alg, EVP_PKEY* key, std::span<const std::uint8_t> message) {
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), &pctx, digest_name(alg), nullptr, nullptr, key, nullptr) != 1 ||
      (alg == SigningAlg::ps256 && !set_pss(pctx))) {
    fail_openssl(Errc::crypto, "cannot start signing");
  }
  std::size_t size = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &size, data_or_empty(message), message.size()) != 1) {
    fail_openssl(Errc::crypto, "signing failed");
  }
  std::vector<std::uint8_t> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, data_or_empty(message), message.size()) != 1) {
    fail_openssl(Errc::crypto, "signing failed");
  }
  signature.resize(size);
  if (!is_ecdsa(alg)) return signature;

  // OpenSSL gives ECDSA as DER SEQUENCE{r, s}; COSE wants r||s, each padded to the field size.
  const unsigned char* p = signature.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size()));
  if (!sig) fail_openssl(Errc::crypto, "OpenSSL returned a corrupt ECDSA signature");
  const std::size_t field = ec_field_size(key);
  std::vector<std::uint8_t> raw(2 * field);
  const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw.data(), static_cast<int>(field)) == static_cast<int>(field) &&
                  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw.data() + field, static_cast<int>(field)) ==
                      static_cast<int>(field);
  ECDSA_SIG_free(sig);
  if (!ok) fail_openssl(Errc::crypto, "ECDSA signature conversion failed");
  return raw;
}

// ECDSA over a digest made here with a digest fetched once: EVP_DigestVerifyInit_ex fetches the digest by name on
// every call (OpenSSL 3.0), which costs a fifth of the P-256 verification itself. Same result: ECDSA signs the
// digest of the message.
static bool verify_ecdsa_der(SigningAlg alg, EVP_PKEY* key, std::span<const std::uint8_t> message,
                             std::span<const std::uint8_t> der) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  EVP_MD* md = alg == SigningAlg::es256 ? sha256 : sha384;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (!md || EVP_Digest(data_or_empty(message), message.size(), digest, &digest_size, md, nullptr) != 1) {
    fail_openssl(Errc::crypto, "cannot hash the signed message");
  }
  using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) fail_openssl(Errc::crypto, "cannot start verifying");
  const int result = EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest, digest_size);
  clear_openssl_errors();  // a bad signature leaves reasons on the queue; the answer is `false`
  return result == 1;
}

bool verify_raw(SigningAlg alg, EVP_PKEY* key, std::span<const std::uint8_t> message,
                std::span<const std::uint8_t> signature) {
  const int type = EVP_PKEY_get_base_id(key);
  const bool key_fits = is_ecdsa(alg)                  ? type == EVP_PKEY_EC
                        : alg == SigningAlg::ps256     ? type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS
                                                       : type == EVP_PKEY_ED25519;
  if (!key_fits) return false;

  std::vector<std::uint8_t> der;
  if (is_ecdsa(alg)) {
    // COSE r||s back to the DER form OpenSSL verifies.
    const std::size_t field = ec_field_size(key);
    if (signature.size() != 2 * field) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(field), nullptr);
    BIGNUM* s = BN_bin2bn(signature.data() + field, static_cast<int>(field), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(sig);
      fail_openssl(Errc::crypto, "ECDSA_SIG_set0");
    }
    unsigned char* out = nullptr;
    const int size = i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
    if (size <= 0) fail_openssl(Errc::crypto, "i2d_ECDSA_SIG");
    der.assign(out, out + size);
    OPENSSL_free(out);
    return verify_ecdsa_der(alg, key, message, der);
  }

  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pctx, digest_name(alg), nullptr, nullptr, key, nullptr) != 1 ||
      (alg == SigningAlg::ps256 && !set_pss(pctx))) {
    fail_openssl(Errc::crypto, "cannot start verifying");
  }
  const int result = EVP_DigestVerify(ctx.get(), data_or_empty(signature), signature.size(), data_or_empty(message),
                                      message.size());
  clear_openssl_errors();  // a bad signature leaves reasons on the queue; the answer is `false`
  return result == 1;
}

}  // namespace provmark::crypto
