// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// A local store of every signed manifest, keyed by the watermark payload that was embedded with it,
/// so that verify() can recover the manifest of a file whose metadata was stripped. SQLite.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "provmark/watermark.hpp"

namespace provmark {

struct StoredManifest {
  Payload payload{};
  std::vector<std::uint8_t> store;  ///< the C2PA manifest store (JUMBF) as embedded
  std::string active_manifest;      ///< its active manifest's label (urn:c2pa:...)
  std::string media_type;           ///< of the asset it was signed into, e.g. "image/jpeg"
  std::chrono::system_clock::time_point signed_at{};
};

/// Thread safety: one ManifestStore may be used from several threads at once; several processes may
/// open the same file (SQLite WAL mode).
class ManifestStore {
 public:
  /// Opens or creates the database. @throws Error(io) when it cannot be opened or is not a store.
  [[nodiscard]] static ManifestStore open(const std::filesystem::path& path);
  /// The default location: $PROVMARK_STORE, else $XDG_DATA_HOME/provmark/manifests.sqlite, else
  /// ~/.local/share/provmark/manifests.sqlite.
  [[nodiscard]] static std::filesystem::path default_path();

  ManifestStore(ManifestStore&&) noexcept;
  ManifestStore& operator=(ManifestStore&&) noexcept;
  ~ManifestStore();

  /// Adds a manifest; a second one under the same payload is kept too (find returns the newest).
  /// @throws Error(io)
  void put(const StoredManifest& manifest);
  /// The newest manifest stored under `payload`. @throws Error(io)
  [[nodiscard]] std::optional<StoredManifest> find(const Payload& payload) const;

 private:
  struct Impl;
  explicit ManifestStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace provmark
