// SPDX-License-Identifier: Apache-2.0
// Sidecar manifests (C2PA 2.2 §11.4; shared/design/c2pa.md §7.7): a `.c2pa` file that is the manifest store
// itself, bound to an asset it does not change by a data hash over all of the asset's bytes. Nothing of the
// store lands in the asset, so there is no exclusion and no two-pass layout: hash, then sign once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <string>

#include "c2pa/asset.hpp"
#include "c2pa/cbor.hpp"
#include "c2pa/labels.hpp"
#include "c2pa/signed_store.hpp"
#include "core/fail.hpp"
#include "core/file_io.hpp"
#include "crypto/openssl.hpp"
#include "provmark/manifest.hpp"

namespace provmark {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Like c2pa-rs's sidecars: no `exclusions` (the field is optional, S §18.5), an empty pad.
Bytes whole_asset_data_hash(Bytes sha256) {
  return c2pa::cbor::to_cbor(nlohmann::json{{"alg", c2pa::alg::sha256},
                                            {"hash", nlohmann::json::binary(std::move(sha256))},
                                            {"pad", nlohmann::json::binary({})}});
}

// SHA-256 of a file read in blocks, so a sidecar for a video needs no memory of its size.
Bytes sha256_of_file(const std::filesystem::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) fail(Errc::io, describe_errno("cannot open", path));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) fail(Errc::io, describe_errno("cannot stat", path));
  // A pipe or device may never end; a regular file does.
  if (!S_ISREG(st.st_mode)) fail(Errc::io, "not a regular file: '" + path.string() + "'");
  const crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), EVP_sha256(), nullptr) != 1)
    crypto::fail_openssl(Errc::crypto, "cannot set up SHA-256");
  Bytes block(std::size_t{1} << 20);
  for (;;) {
    const ssize_t n = ::read(file.fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(Errc::io, describe_errno("cannot read", path));
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), block.data(), static_cast<std::size_t>(n)) != 1)
      crypto::fail_openssl(Errc::crypto, "SHA-256 failed");
  }
  Bytes digest(32);
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != digest.size())
    crypto::fail_openssl(Errc::crypto, "SHA-256 failed");
  return digest;
}

}  // namespace

std::vector<std::uint8_t> sign_sidecar(std::span<const std::uint8_t> asset, const Manifest& manifest,
                                       const Signer& signer) {
  return c2pa::signed_store(manifest, c2pa::assertion::hash_data,
                            whole_asset_data_hash(c2pa::hash_excluding(asset, {}, c2pa::alg::sha256)), signer);
}

std::vector<std::uint8_t> sign_sidecar_file(const std::filesystem::path& asset, const Manifest& manifest,
                                            const Signer& signer) {
  return c2pa::signed_store(manifest, c2pa::assertion::hash_data, whole_asset_data_hash(sha256_of_file(asset)),
                            signer);
}

std::filesystem::path sidecar_path(const std::filesystem::path& asset) {
  return std::filesystem::path(asset).replace_extension(".c2pa");
}

}  // namespace provmark
