// SPDX-License-Identifier: Apache-2.0
#include "crypto/test_pki.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace provmark::test {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

crypto::PkeyPtr make_key(const std::string& kind) {
  EVP_PKEY* key = nullptr;
  if (kind == "P-256" || kind == "P-384" || kind == "P-521") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kind.c_str());
  }
  if (kind == "RSA-2048") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
  if (kind == "RSA-1024") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
  if (kind == "Ed25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  require(key != nullptr, "keygen");
  return crypto::PkeyPtr(key);
}

Extensions ca_extensions() {
  return {{"basicConstraints", "critical,CA:TRUE"}, {"keyUsage", "critical,keyCertSign,cRLSign"},
          {"subjectKeyIdentifier", "hash"}};
}

Extensions signer_extensions() {
  return {{"basicConstraints", "critical,CA:FALSE"},
          {"keyUsage", "critical,digitalSignature"},
          {"extendedKeyUsage", "emailProtection,1.3.6.1.5.5.7.3.36"},
          {"subjectKeyIdentifier", "hash"},
          {"authorityKeyIdentifier", "keyid:always"}};
}

Extensions signer_extensions_with(const std::string& name, const std::string& value) {
  Extensions out;
  for (const auto& ext : signer_extensions()) {
    if (ext.first != name) out.push_back(ext);
  }
  if (!value.empty()) out.emplace_back(name, value);
  return out;
}

crypto::X509Ptr make_cert(EVP_PKEY* key, const CertOptions& options, X509* issuer, EVP_PKEY* issuer_key) {
  static long serial = 1000;
  crypto::X509Ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  require(X509_set_version(cert.get(), options.v3 ? X509_VERSION_3 : X509_VERSION_1) == 1, "version");
  require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial) == 1, "serial");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("provmark tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(options.common_name.c_str()), -1, -1, 0);
  require(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) == 1, "issuer");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), options.valid_from_days * 86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), options.valid_to_days * 86400);
  require(X509_set_pubkey(cert.get(), key) == 1, "pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [ext_name, value] : options.extensions) {
    X509_EXTENSION* ext = X509V3_EXT_nconf(nullptr, &ctx, ext_name.c_str(), value.c_str());
    require(ext != nullptr, "extension");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  EVP_PKEY* signing_key = issuer_key ? issuer_key : key;
  const EVP_MD* md = EVP_PKEY_get_base_id(signing_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  require(X509_sign(cert.get(), signing_key, md) > 0, "sign");
  return cert;
}

std::string to_pem(X509* cert) {
  const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM cert");
  return bio_text(bio.get());
}

std::string private_key_pem(EVP_PKEY* key) {
  const crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM key");
  return bio_text(bio.get());
}

bool openssl_verifies(EVP_PKEY* public_key, const std::string& alg, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature) {
  std::vector<unsigned char> sig(signature.begin(), signature.end());
  if (alg == "ES256" || alg == "ES384") {
    const std::size_t half = sig.size() / 2;
    ECDSA_SIG* ecdsa = ECDSA_SIG_new();
    ECDSA_SIG_set0(ecdsa, BN_bin2bn(sig.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(sig.data() + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    const int size = i2d_ECDSA_SIG(ecdsa, &der);
    sig.assign(der, der + size);
    OPENSSL_free(der);
    ECDSA_SIG_free(ecdsa);
  }
  const char* md = alg == "ES384" ? "SHA384" : alg == "Ed25519" ? nullptr : "SHA256";
  crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  require(EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, public_key, nullptr) == 1, "verify init");
  if (alg == "PS256") {
    require(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1, "pss");
    require(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1, "salt");
    require(EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1, "mgf1");
  }
  const bool ok = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), message.data(), message.size()) == 1;
  crypto::clear_openssl_errors();
  return ok;
}

SignerWithRoot make_signer_with_root(const std::string& kind) {
  const auto root_key = make_key("P-256");
  const auto root = make_cert(root_key.get(), {.common_name = "provmark test root", .extensions = ca_extensions()});
  const auto key = make_key(kind);
  const auto cert = make_cert(key.get(), {.common_name = "provmark test signer", .extensions = signer_extensions()},
                              root.get(), root_key.get());
  return {Signer::from_pem(to_pem(cert.get()), private_key_pem(key.get())), to_pem(root.get())};
}

std::filesystem::path shared_pki_dir() {
  const char* env = std::getenv("PROVMARK_SHARED_DIR");
  const std::filesystem::path shared = env ? std::filesystem::path(env)
                                           : std::filesystem::path(PROVMARK_SOURCE_DIR) / ".." / "shared";
  const std::filesystem::path pki = shared / "tools" / "c2pa-ref" / "pki";
  return std::filesystem::exists(pki / "root.pem") ? pki : std::filesystem::path();
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  require(in.good(), "read_text");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace provmark::test
