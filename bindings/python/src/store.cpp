// SPDX-License-Identifier: Apache-2.0
// ManifestStore: the SQLite store of signed manifests keyed by watermark payload, as a context manager.
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "native.hpp"
#include "provmark/error.hpp"
#include "provmark/manifest_store.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

StoredManifest stored_manifest_from(const py::handle& manifest) {
  for (const char* attribute : {"payload", "store", "active_manifest", "media_type", "signed_at"})
    if (!py::hasattr(manifest, attribute))
      throw py::type_error("expected a StoredManifest, got " +
                           std::string(py::str(py::type::handle_of(manifest).attr("__name__"))));
  StoredManifest result;
  result.payload = cast_argument<Payload>(manifest.attr("payload"), "StoredManifest.payload", "a Payload");
  result.store = to_vector(manifest.attr("store"));
  result.active_manifest =
      cast_argument<std::string>(manifest.attr("active_manifest"), "StoredManifest.active_manifest", "a str");
  result.media_type = cast_argument<std::string>(manifest.attr("media_type"), "StoredManifest.media_type", "a str");
  result.signed_at = time_point_of(manifest.attr("signed_at"));
  return result;
}

py::object stored_manifest_to_python(const StoredManifest& manifest) {
  return types().stored_manifest("payload"_a = manifest.payload, "store"_a = to_bytes(manifest.store),
                                 "active_manifest"_a = to_text(manifest.active_manifest),
                                 "media_type"_a = to_text(manifest.media_type),
                                 "signed_at"_a = to_datetime(manifest.signed_at));
}

}  // namespace

std::shared_ptr<ManifestStore> PythonManifestStore::get() const {
  if (!store) throw Error(Errc::invalid_argument, "the manifest store is closed");
  return store;
}

void bind_store(py::module_& m) {
  py::class_<PythonManifestStore> store(
      m, "ManifestStore",
      "A local SQLite store of signed manifests keyed by the watermark payload embedded with them, so that verify()\n"
      "recovers the manifest of a file whose metadata was stripped. label(store=...) fills it. A context manager:\n"
      "`with ManifestStore.open(path) as store:` closes it at the end. One store may be used from several threads;\n"
      "several stores and processes may open one file.");
  store.attr("max_store_bytes") = ManifestStore::max_store_bytes;
  store
      .def_static(
          "open",
          [](const std::filesystem::path& path) {
            std::optional<ManifestStore> opened;
            {
              py::gil_scoped_release release;
              opened.emplace(ManifestStore::open(path));
            }
            return PythonManifestStore{std::make_shared<ManifestStore>(std::move(*opened)), path};
          },
          "path"_a,
          "Opens or creates the database (spec/manifest-store-v1.md), creating missing parent folders (mode 0700).\n"
          "Raises IoError when it cannot be opened, is not a store or has a newer schema version.")
      .def_static("default_path", &ManifestStore::default_path,
                  "The default location: $PROVMARK_STORE, else $XDG_DATA_HOME/provmark/manifests.sqlite (when\n"
                  "absolute), else ~/.local/share/provmark/manifests.sqlite. Raises IoError when none is set.")
      .def(
          "put",
          [](const PythonManifestStore& self, const py::handle& manifest) {
            const StoredManifest stored = stored_manifest_from(manifest);
            const std::shared_ptr<ManifestStore> opened = self.get();
            py::gil_scoped_release release;
            opened->put(stored);
          },
          "manifest"_a,
          "Adds a StoredManifest; a second one under the same payload is kept too (find() returns the newest).\n"
          "signed_at is kept to the millisecond. Raises InvalidArgumentError for an empty store bytes,\n"
          "LimitExceededError over max_store_bytes, IoError.")
      .def(
          "find",
          [](const PythonManifestStore& self, const Payload& payload) -> py::object {
            const std::shared_ptr<ManifestStore> opened = self.get();
            std::optional<StoredManifest> found;
            {
              py::gil_scoped_release release;
              found = opened->find(payload);
            }
            return found ? stored_manifest_to_python(*found) : py::none();
          },
          "payload"_a,
          "The StoredManifest under `payload` with the latest signed_at (the last put among equals), or None.\n"
          "Raises IoError, LimitExceededError.")
      .def(
          "close", [](PythonManifestStore& self) { self.store.reset(); },
          "Closes the database (calls still running on other threads finish first). Using the store afterwards\n"
          "raises InvalidArgumentError; closing twice is harmless.")
      .def_property_readonly(
          "closed", [](const PythonManifestStore& self) { return !self.store; }, "Whether close() was called.")
      .def_property_readonly(
          "path", [](const PythonManifestStore& self) { return self.path; }, "The database file, a pathlib.Path.")
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [](PythonManifestStore& self, const py::handle&, const py::handle&, const py::handle&) {
            self.store.reset();
            return false;
          },
          "type"_a, "value"_a, "traceback"_a)
      .def("__repr__", [](const PythonManifestStore& self) {
        return "ManifestStore(" + std::string(py::repr(py::cast(self.path).attr("__str__")())) +
               (self.store ? ")" : ", closed)");
      });
}

}  // namespace provmark::python
