// SPDX-License-Identifier: Apache-2.0
// C2PA: Signer, the Manifest builder, sign() and inspect().
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "native.hpp"
#include "provmark/error.hpp"
#include "provmark/inspect.hpp"
#include "provmark/manifest.hpp"
#include "provmark/signer.hpp"

namespace provmark::python {

namespace {

using namespace pybind11::literals;

constexpr std::pair<SigningAlg, const char*> signing_alg_names[] = {{SigningAlg::es256, "es256"},
                                                                    {SigningAlg::es384, "es384"},
                                                                    {SigningAlg::ps256, "ps256"},
                                                                    {SigningAlg::ed25519, "ed25519"}};
constexpr std::pair<DigitalSourceType, const char*> digital_source_type_names[] = {
    {DigitalSourceType::trained_algorithmic_media, "trained_algorithmic_media"},
    {DigitalSourceType::composite_with_trained_algorithmic_media, "composite_with_trained_algorithmic_media"}};
constexpr std::pair<ExistingManifests, const char*> existing_manifests_names[] = {
    {ExistingManifests::keep_as_parent, "keep_as_parent"}, {ExistingManifests::replace, "replace"}};

// provmark.SigningAlg members are str, so a member and its value ("es256") both arrive here as text.
SigningAlg signing_alg_from(const std::string& name) {
  for (const auto& [alg, alg_name] : signing_alg_names)
    if (name == alg_name) return alg;
  throw Error(Errc::invalid_argument, "unknown signing algorithm '" + name + "'");
}

py::object signing_alg_to_python(SigningAlg alg) {
  for (const auto& [known, name] : signing_alg_names)
    if (alg == known) return types().signing_alg(name);
  throw Error(Errc::internal, "unnamed signing algorithm");
}

ExistingManifests existing_manifests_from(const std::string& name) {
  for (const auto& [policy, policy_name] : existing_manifests_names)
    if (name == policy_name) return policy;
  throw Error(Errc::invalid_argument, "unknown existing-manifests policy '" + name + "'");
}

py::object existing_manifests_to_python(ExistingManifests policy) {
  for (const auto& [known, name] : existing_manifests_names)
    if (policy == known) return types().existing_manifests(name);
  throw Error(Errc::internal, "unnamed existing-manifests policy");
}

py::tuple statuses(const std::vector<ValidationStatus>& list) {
  py::tuple result(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    result[i] = types().validation_status("code"_a = to_text(list[i].code), "url"_a = to_text(list[i].url),
                                          "explanation"_a = to_text(list[i].explanation));
  }
  return result;
}

py::tuple strings(const std::vector<std::string>& list) {
  py::tuple result(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) result[i] = to_text(list[i]);
  return result;
}

py::object ingredient(const IngredientSummary& ingredient) {
  return types().ingredient_summary(
      "label"_a = to_text(ingredient.label), "title"_a = to_text(ingredient.title),
      "format"_a = to_text(ingredient.format), "relationship"_a = to_text(ingredient.relationship),
      "active_manifest"_a = to_text(ingredient.active_manifest), "success"_a = statuses(ingredient.success),
      "informational"_a = statuses(ingredient.informational), "failure"_a = statuses(ingredient.failure));
}

py::object summary(const ManifestSummary& manifest) {
  py::tuple ingredients(manifest.ingredients.size());
  for (std::size_t i = 0; i < manifest.ingredients.size(); ++i) ingredients[i] = ingredient(manifest.ingredients[i]);
  py::tuple soft_bindings(manifest.soft_bindings.size());
  for (std::size_t i = 0; i < manifest.soft_bindings.size(); ++i) {
    soft_bindings[i] = types().soft_binding("alg"_a = to_text(manifest.soft_bindings[i].alg),
                                            "value"_a = to_bytes(manifest.soft_bindings[i].value));
  }
  return types().manifest_summary(
      "label"_a = to_text(manifest.label), "claim_version"_a = manifest.claim_version,
      "claim_generator"_a = to_text(manifest.claim_generator), "assertions"_a = strings(manifest.assertions),
      "digital_source_type"_a = to_text(manifest.digital_source_type), "actions"_a = strings(manifest.actions),
      "signature_alg"_a = to_text(manifest.signature_alg), "signature_issuer"_a = to_text(manifest.signature_issuer),
      "signature_common_name"_a = to_text(manifest.signature_common_name), "soft_bindings"_a = soft_bindings,
      "ingredients"_a = ingredients);
}

// The callback runs while the GIL is released (inside sign()), so it takes the GIL to call Python; the Python
// function is shared and released under the GIL too, since the C++ side copies the std::function freely.
Signer::SignFunction python_sign_function(py::function function) {
  const std::shared_ptr<py::function> shared(new py::function(std::move(function)), [](py::function* pointer) {
    const py::gil_scoped_acquire gil;
    delete pointer;
  });
  return [shared](std::span<const std::uint8_t> to_be_signed) {
    const py::gil_scoped_acquire gil;
    return to_vector((*shared)(to_bytes(to_be_signed)));
  };
}

void bind_signer(py::module_& m) {
  py::class_<Signer>(m, "Signer",
                     "Signing credentials for C2PA claims: a certificate chain plus a private key (kept inside the\n"
                     "library) or a callback to a remote signer, KMS or HSM. Immutable; safe to share across threads.")
      .def_static(
          "from_pem", [](const std::string& chain, const std::string& key) { return Signer::from_pem(chain, key); },
          "chain_pem"_a, "private_key_pem"_a,
          "From a PEM certificate chain (end-entity first) and an unencrypted PEM private key (str or bytes).\n"
          "The algorithm follows the key: P-256 es256, P-384 es384, RSA ps256, Ed25519 ed25519. Raises BadKeyError.")
      .def_static(
          "from_pem_files",
          [](const std::filesystem::path& chain, const std::filesystem::path& key) {
            py::gil_scoped_release release;
            return Signer::from_pem_files(chain, key);
          },
          "chain"_a, "private_key"_a, "from_pem() on the contents of two files. Raises IoError or BadKeyError.")
      .def_static(
          "from_callback",
          [](const std::string& alg, const py::iterable& chain_der, py::function sign) {
            std::vector<std::vector<std::uint8_t>> chain;
            for (const py::handle certificate : chain_der) chain.push_back(to_vector(certificate));
            return Signer::from_callback(signing_alg_from(alg), std::move(chain),
                                         python_sign_function(std::move(sign)));
          },
          "alg"_a, "chain_der"_a, "sign"_a,
          "A remote signer: sign(to_be_signed: bytes) -> bytes returns the raw COSE-form signature (ECDSA r||s).\n"
          "chain_der: DER certificates, end-entity first. The callback runs on the calling thread, with the GIL;\n"
          "an exception it raises comes out of provmark.sign() unchanged. Raises BadKeyError, InvalidArgumentError.")
      .def_property_readonly(
          "alg", [](const Signer& self) { return signing_alg_to_python(self.alg()); }, "The SigningAlg.")
      .def_property_readonly(
          "certificate_chain",
          [](const Signer& self) {
            py::list chain;
            for (const auto& certificate : self.certificate_chain()) chain.append(to_bytes(certificate));
            return py::tuple(chain);
          },
          "DER certificates, end-entity first, without the root.")
      .def_property_readonly("reserve_size", &Signer::reserve_size,
                             "Bytes reserved for the COSE_Sign1 (signature + chain + 1024).")
      .def(
          "sign",
          [](const Signer& self, const py::handle& to_be_signed) {
            const BytesIn in(to_be_signed);
            std::vector<std::uint8_t> signature;
            {
              py::gil_scoped_release release;
              signature = self.sign(in.span());
            }
            return to_bytes(signature);
          },
          "to_be_signed"_a, "The raw COSE-form signature of the bytes. Raises CryptoError.")
      .def("__repr__", [](const Signer& self) {
        return "Signer(alg=" + std::string(py::str(signing_alg_to_python(self.alg()).attr("value"))) +
               ", certificates=" + std::to_string(self.certificate_chain().size()) + ")";
      });
}

void bind_manifest(py::module_& m) {
  m.attr("IMAGE_WATERMARK_ALG") = std::string(image_watermark_alg);
  py::class_<Manifest>(m, "Manifest",
                       "A manifest to sign: what the C2PA claim (v2) will assert. Builder methods return the manifest\n"
                       "itself, so calls chain: Manifest('MyModel').watermarked(payload).")
      .def(py::init<std::string, std::string>(), "generator"_a, "generator_version"_a = "",
           "generator names the product that made the content (claim_generator_info.name).")
      .def(
          "created",
          [](py::object self, const std::string& source_type) {
            self.cast<Manifest&>().created(digital_source_type_from(source_type));
            return self;
          },
          "source_type"_a, "A c2pa.created action with this DigitalSourceType.")
      .def(
          "watermarked",
          [](py::object self, const Payload& payload, const std::string& alg) {
            self.cast<Manifest&>().watermarked(payload, alg);
            return self;
          },
          "payload"_a, "alg"_a = std::string(image_watermark_alg),
          "A c2pa.watermarked action and a c2pa.soft-binding assertion carrying the watermark payload.")
      .def(
          "add_cbor_assertion",
          [](py::object self, std::string label, const py::handle& cbor) {
            self.cast<Manifest&>().add_cbor_assertion(std::move(label), to_vector(cbor));
            return self;
          },
          "label"_a, "cbor"_a, "A custom assertion (label, CBOR-encoded value). Raises InvalidArgumentError.")
      .def(
          "existing_manifests",
          [](py::object self, const std::string& policy) {
            self.cast<Manifest&>().existing_manifests(existing_manifests_from(policy));
            return self;
          },
          "policy"_a,
          "What sign() does with a manifest store the asset already has (an ExistingManifests; default\n"
          "KEEP_AS_PARENT: keep it and make its active manifest the parentOf ingredient; REPLACE: drop it).")
      .def(
          "parent_title",
          [](py::object self, std::string title) {
            self.cast<Manifest&>().parent_title(std::move(title));
            return self;
          },
          "title"_a,
          "dc:title of the parent ingredient when re-signing, e.g. the input file's name (read back as\n"
          "parent_ingredient_title). Default: the previous claim's dc:title, if it has one.")
      .def(
          "set_title",
          [](py::object self, std::string title) {
            self.cast<Manifest&>().set_title(std::move(title));
            return self;
          },
          "title"_a, "The claim's dc:title (e.g. the asset's file name); \"\" for none.")
      .def(
          "set_generator",
          [](py::object self, std::string name, std::string version) {
            self.cast<Manifest&>().set_generator(std::move(name), std::move(version));
            return self;
          },
          "name"_a, "version"_a = "",
          "Replaces claim_generator_info (name and version). Raises InvalidArgumentError for an empty name.")
      .def_property_readonly(
          "generator", [](const Manifest& self) { return to_text(self.generator()); },
          "The product that made the content.")
      .def_property_readonly(
          "generator_version", [](const Manifest& self) { return to_text(self.generator_version()); },
          "Its version, or \"\".")
      .def_property_readonly(
          "title", [](const Manifest& self) { return to_text(self.title()); }, "The claim's dc:title, or \"\".")
      .def_property_readonly(
          "existing_manifests_policy",
          [](const Manifest& self) { return existing_manifests_to_python(self.existing_manifests_policy()); },
          "The ExistingManifests policy given to existing_manifests().")
      .def_property_readonly(
          "parent_ingredient_title", [](const Manifest& self) { return to_text(self.parent_title()); },
          "The title given to parent_title(), or \"\" (the previous claim's dc:title is used then).")
      .def_property_readonly(
          "source_type",
          [](const Manifest& self) { return types().digital_source_type(digital_source_type_uri(self.source_type())); },
          "The DigitalSourceType of the c2pa.created action.")
      .def_property_readonly(
          "watermark_payload",
          [](const Manifest& self) { return self.has_watermark() ? py::cast(self.watermark_payload()) : py::none(); },
          "The Payload given to watermarked(), or None.")
      .def_property_readonly(
          "watermark_alg", [](const Manifest& self) { return to_text(self.watermark_alg()); },
          "The soft-binding algorithm given to watermarked(), or \"\".")
      .def_property_readonly(
          "custom_assertions",
          [](const Manifest& self) {
            py::list list;
            for (const auto& assertion : self.custom_assertions())
              list.append(py::make_tuple(to_text(assertion.label), to_bytes(assertion.cbor)));
            return py::tuple(list);
          },
          "(label, cbor bytes) pairs, in order.")
      .def("__repr__", [](const Manifest& self) {
        std::string text = "Manifest(generator=" + std::string(py::repr(to_text(self.generator())));
        if (!self.generator_version().empty())
          text += ", generator_version=" + std::string(py::repr(to_text(self.generator_version())));
        if (self.has_watermark()) text += ", watermark=Payload(0x" + self.watermark_payload().to_hex() + ")";
        return text + ")";
      });
}

}  // namespace

DigitalSourceType digital_source_type_from(const std::string& uri) {
  for (const auto& [type, name] : digital_source_type_names)
    if (uri == digital_source_type_uri(type)) return type;
  throw Error(Errc::invalid_argument, "unknown digital source type '" + uri + "'");
}

InspectOptions inspect_options(const py::handle& trust_anchors, const py::handle& at, const Limits& limits) {
  InspectOptions options;
  if (!trust_anchors.is_none()) options.trust_anchors_pem = trust_anchors.cast<std::string>();
  options.at = time_point_of(at);
  options.limits = limits;
  return options;
}

py::object to_python(const ManifestReport& report) {
  py::tuple manifests(report.manifests.size());
  for (std::size_t i = 0; i < report.manifests.size(); ++i) manifests[i] = summary(report.manifests[i]);
  py::tuple deltas(report.ingredient_deltas.size());
  for (std::size_t i = 0; i < report.ingredient_deltas.size(); ++i) {
    const IngredientDelta& delta = report.ingredient_deltas[i];
    deltas[i] = types().ingredient_delta(
        "ingredient_assertion_uri"_a = to_text(delta.ingredient_assertion_uri), "success"_a = statuses(delta.success),
        "informational"_a = statuses(delta.informational), "failure"_a = statuses(delta.failure));
  }
  return types().manifest_report(
      "has_manifest"_a = report.has_manifest, "state"_a = types().validation_state(validation_state_name(report.state)),
      "active_manifest"_a = to_text(report.active_manifest), "manifests"_a = manifests,
      "success"_a = statuses(report.success), "informational"_a = statuses(report.informational),
      "failure"_a = statuses(report.failure), "ingredient_deltas"_a = deltas, "_json"_a = to_text(report.to_json()));
}

void bind_c2pa(py::module_& m) {
  bind_signer(m);
  bind_manifest(m);
  m.def(
      "digital_source_type_uri",
      [](const std::string& name) {
        for (const auto& [type, type_name] : digital_source_type_names)
          if (name == type_name) return std::string(digital_source_type_uri(type));
        throw Error(Errc::invalid_argument, "unknown digital source type '" + name + "'");
      },
      "name"_a, "The IPTC URI of a digital source type named as in C++ (\"trained_algorithmic_media\").");
  m.def(
      "validation_state_name", [](int state) { return validation_state_name(static_cast<ValidationState>(state)); },
      "state"_a, "The C2PA name of a ValidationState number (0 Invalid, 1 Valid, 2 Trusted).");

  m.def(
      "sign",
      [](const py::handle& asset, const Manifest& manifest, const Signer& signer) {
        const BytesIn in(asset);
        const Manifest copy = manifest;  // other threads may keep building the Python object meanwhile
        std::vector<std::uint8_t> signed_asset;
        {
          py::gil_scoped_release release;
          signed_asset = sign(in.span(), copy, signer);
        }
        return to_bytes(signed_asset);
      },
      "asset"_a, "manifest"_a, "signer"_a,
      "JPEG or PNG bytes with a newly signed C2PA manifest store embedded (replacing any it had); the hard binding\n"
      "is c2pa.hash.data. Raises UnsupportedFormatError, MalformedInputError, CryptoError, InvalidArgumentError.");

  m.def(
      "manifest_from_json",
      [](const std::string& definition) { return manifest_from_json(definition); },
      "definition"_a,
      "A Manifest from a JSON definition (str or bytes) shaped like c2pa-rs's ManifestDefinition, in the subset\n"
      "provmark writes: claim_generator_info, title, and the assertions c2pa.actions.v2 (c2pa.created with a\n"
      "digitalSourceType), c2pa.soft-binding and custom labels whose JSON data becomes CBOR. Unknown fields are\n"
      "refused, not dropped. Raises MalformedInputError naming the bad field (\"assertions[1].label: ...\").");

  m.def(
      "sign_sidecar",
      [](const py::handle& asset, const Manifest& manifest, const Signer& signer) {
        const BytesIn in(asset);
        const Manifest copy = manifest;
        std::vector<std::uint8_t> store;
        {
          py::gil_scoped_release release;
          store = sign_sidecar(in.span(), copy, signer);
        }
        return to_bytes(store);
      },
      "asset"_a, "manifest"_a, "signer"_a,
      "A sidecar: the bytes of a standalone .c2pa manifest store for `asset` (any bytes-like object, any format;\n"
      "left as it is), whose hard binding hashes every byte of it. Raises CryptoError, InvalidArgumentError.");

  m.def(
      "sign_sidecar_file",
      [](const std::filesystem::path& asset, const Manifest& manifest, const Signer& signer) {
        const Manifest copy = manifest;
        std::vector<std::uint8_t> store;
        {
          py::gil_scoped_release release;
          store = sign_sidecar_file(asset, copy, signer);
        }
        return to_bytes(store);
      },
      "asset"_a, "manifest"_a, "signer"_a,
      "sign_sidecar() of the file at `asset`, hashed while it is read (never held in memory, whatever its size).\n"
      "Returns the store's bytes; write them to sidecar_path(asset). Raises IoError, CryptoError.");

  m.def("sidecar_path", &sidecar_path, "asset"_a,
        "Where a sidecar goes by convention (C2PA 2.2 section 11.4): the asset's path with the extension .c2pa,\n"
        "as a pathlib.Path.");

  m.def(
      "inspect",
      [](const py::handle& asset, const py::handle& trust_anchors, const py::handle& at, const Limits& limits) {
        const BytesIn in(asset);
        const InspectOptions options = inspect_options(trust_anchors, at, limits);
        ManifestReport result;
        {
          py::gil_scoped_release release;
          result = inspect(in.span(), options);
        }
        return to_python(result);
      },
      "asset"_a, py::kw_only(), "trust_anchors"_a = py::none(), "at"_a = py::none(), "limits"_a = py::none(),
      "Validates the C2PA manifest store in JPEG or PNG bytes the way c2pa-rs does. trust_anchors: PEM bundle\n"
      "(str or bytes) of trusted roots, None trusts nobody; at: the datetime certificates must be valid at (now).\n"
      "No manifest is an answer (has_manifest False). Returns a ManifestReport.\n"
      "Raises UnsupportedFormatError, MalformedInputError (unreadable container or trust bundle), LimitExceededError.");

  m.def(
      "inspect_sidecar",
      [](const py::handle& store, const py::handle& asset, const py::handle& trust_anchors, const py::handle& at,
         const Limits& limits) {
        const BytesIn store_in(store);
        const BytesIn asset_in(asset);
        const InspectOptions options = inspect_options(trust_anchors, at, limits);
        ManifestReport result;
        {
          py::gil_scoped_release release;
          result = inspect_sidecar(store_in.span(), asset_in.span(), options);
        }
        return to_python(result);
      },
      "store"_a, "asset"_a, py::kw_only(), "trust_anchors"_a = py::none(), "at"_a = py::none(), "limits"_a = py::none(),
      "inspect() of a sidecar .c2pa manifest store for `asset` (any bytes, hashed whole).");
}

}  // namespace provmark::python
