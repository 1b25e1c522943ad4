// SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file
/// A local store of every signed manifest, keyed by the watermark payload that was embedded with it,
/// so that verify() can recover the manifest of a file whose metadata was stripped. SQLite.

#include <chrono>
#include <cstddef>
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

/// Thread safety: one ManifestStore may be used from several threads at once (calls are serialised); several
/// ManifestStore objects and several processes may open the same file (SQLite WAL mode). A moved-from store
/// may only be destroyed or assigned to.
class ManifestStore {
 public:
  /// The largest manifest store (StoredManifest::store) kept or returned: 64 MiB.
  static constexpr std::size_t max_store_bytes = std::size_t{64} << 20;

  /// Opens or creates the database (spec/manifest-store-v1.md), creating missing parent folders (mode 0700).
  /// @throws Error(io) when it cannot be opened, is not a store, or has a newer schema version.
  [[nodiscard]] static ManifestStore open(const std::filesystem::path& path);
  /// The default location: $PROVMARK_STORE, else $XDG_DATA_HOME/provmark/manifests.sqlite (when absolute), else
  /// $HOME/.local/share/provmark/manifests.sqlite. @throws Error(io) when none of these is set.
  [[nodiscard]] static std::filesystem::path default_path();

  ManifestStore(ManifestStore&&) noexcept;
  ManifestStore& operator=(ManifestStore&&) noexcept;
  ~ManifestStore();

  /// Adds a manifest; a second one under the same payload is kept too (find returns the newest).
  /// signed_at is kept to the millisecond. @throws Error(invalid_argument) for an empty store,
  /// Error(limit_exceeded) for one over max_store_bytes, Error(io)
  void put(const StoredManifest& manifest);
  /// The manifest stored under `payload` with the latest signed_at (the last put among equals).
  /// @throws Error(io), Error(limit_exceeded) for a stored manifest over max_store_bytes
  [[nodiscard]] std::optional<StoredManifest> find(const Payload& payload) const;

 private:
  struct Impl;
  explicit ManifestStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace provmark
