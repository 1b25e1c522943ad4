// SPDX-License-Identifier: Apache-2.0
// propagate(): Measures Art. 6 ¶2 on upload. Editing the metadata of a signed file breaks its hard binding,
// so the platform signs a new manifest over the edited file with the old one as parentOf ingredient.
#include "core/fail.hpp"
#include "pipeline/disclosure.hpp"
#include "pipeline/media.hpp"
#include "provmark/inspect.hpp"
#include "provmark/label.hpp"

namespace provmark {
PropagateResult propagate(std::span<const std::uint8_t> encoded, const PropagateOptions& options) {
  if (options.propagator.empty()) fail(Errc::invalid_argument, "propagation needs the platform's code");
  const std::vector<FoundAigcLabel> found = read_aigc_labels(encoded, options.limits);
  if (found.empty() && options.label_value.empty())
    fail(Errc::invalid_argument, "the file has no AIGC label: say which Label value (1, 2 or 3) to write");
  const pipeline::MediaKind kind = pipeline::identify_media(encoded);
  const bool was_signed = kind.container && c2pa::read_manifest_store(*kind.container, encoded).has_value();
  if (was_signed && options.signer == nullptr)
    fail(Errc::invalid_argument,
         "the file carries a C2PA manifest: propagating without a signer would break its hard binding");

  PropagateResult result;
  if (!found.empty()) result.aigc = found.front().label;
  if (!options.label_value.empty()) result.aigc.label = options.label_value;
  result.aigc.content_propagator = options.propagator;
  result.aigc.propagate_id =
      options.propagate_id.empty() ? pipeline::upper_hex(pipeline::random_identifier()) : options.propagate_id;
  result.aigc.reserved_code2 = options.reserved_code2;
  result.bytes = write_aigc_label(encoded, result.aigc, options.limits);
  // MP3 and M4A tags are rewritten by remuxing, which drops the manifest: it could not become the parent.
  if (was_signed && !c2pa::read_manifest_store(*kind.container, result.bytes))
    fail(Errc::unsupported_format, "propagating a signed " + kind.media_type +
                                       " file is not supported yet: rewriting its tags would drop its manifest");
  if (options.signer == nullptr) return result;

  Manifest manifest(options.system_name, options.system_version);
  manifest.add_cbor_assertion(std::string(pipeline::disclosure_assertion_label),
                              pipeline::disclosure_cbor({options.provider, options.system_name, options.system_version,
                                                         std::chrono::system_clock::now(), result.aigc.propagate_id,
                                                         result.aigc, std::nullopt}));
  result.bytes = sign(result.bytes, manifest, *options.signer);
  result.manifest_label = inspect(result.bytes, pipeline::inspect_options(options.limits)).active_manifest;
  return result;
}

}  // namespace provmark
