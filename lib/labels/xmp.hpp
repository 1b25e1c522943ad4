// SPDX-License-Identifier: Apache-2.0
#pragma once
// The TC260:AIGC property of an XMP packet (ISO 16684-1 serialised as RDF/XML): found, updated, removed or
// added without touching anything else in the packet. spec/aigc-label-v1.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provmark::labels {

/// The namespace of the GB 45438 property (TC260 practice guides). Readers match it, not the prefix.
inline constexpr std::string_view kTc260Namespace = "http://www.tc260.org.cn/ns/AIGC/1.0/";

/// The value of every AIGC property in kTc260Namespace, in document order: the element form <p:AIGC>v</p:AIGC>
/// (the character data inside, entities and CDATA resolved, also when wrapped in an rdf:Alt or the like) and
/// the attribute form p:AIGC="v" on any element, whatever prefix p is bound to the namespace. Values are trimmed
/// of XML white space. @throws Error(malformed_input) when the packet is not well-formed as far as the scanner
/// checks (tags, quotes, nesting, entities) or carries a DTD.
[[nodiscard]] std::vector<std::string> xmp_aigc_values(std::string_view packet);

/// The packet with exactly one AIGC property holding `value`, or with none when `value` is nullopt. The first
/// simple property (an attribute, or an element without child elements or RDF attributes) keeps its place and
/// form and gets the new value; every other one is removed. Without a simple one, a new rdf:Description
/// (rdf:about="", declaring xmlns:TC260) holding <TC260:AIGC> is added at the end of the first rdf:RDF. All
/// other bytes stay as they were, except the white-space padding before a closing <?xpacket end=...?>, which
/// shrinks by as much as the packet grows. A packet without rdf:RDF and without the property is replaced by
/// xmp_new_packet(). @throws Error(malformed_input) as for xmp_aigc_values().
[[nodiscard]] std::string xmp_set_aigc(std::string_view packet, std::optional<std::string_view> value);

/// A new packet holding only the property (its exact bytes are in spec/aigc-label-v1.md).
[[nodiscard]] std::string xmp_new_packet(std::string_view value);

}  // namespace provmark::labels
