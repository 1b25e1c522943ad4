// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CBOR decoding (nlohmann behind our depth, key and tag checks) on hostile bytes. Only
// provmark::Error may escape. A decoded value must encode deterministically and decode back to itself. The in-place
// reader (Document) must accept and reject exactly what from_cbor(ignore) does, with the same message, and hold
// the same value.
#include <cstdlib>
#include <string>

#include "c2pa/cbor.hpp"
#include "provmark/error.hpp"

using provmark::c2pa::cbor::Document;
using provmark::c2pa::cbor::from_cbor;
using provmark::c2pa::cbor::from_cbor_tagged;
using provmark::c2pa::cbor::Item;
using provmark::c2pa::cbor::to_cbor;

namespace {

// Reads every array element and a few likely map keys, as the validator does.
void walk(const Item& item, int depth) {
  (void)item.text();
  (void)item.bytes();
  for (const Item& element : item.elements()) walk(element, depth + 1);
  for (const char* key : {"a", "alg", "hash", "url", "actions", "exclusions", "start", "length"}) {
    if (const auto value = item.find(key)) walk(*value, depth + 1);
  }
  if (depth > provmark::c2pa::cbor::max_depth + 1) std::abort();
}

void check_document(std::span<const std::uint8_t> bytes) {
  std::string dom_error, document_error;
  nlohmann::json value;
  try {
    value = from_cbor(bytes, nlohmann::json::cbor_tag_handler_t::ignore);
  } catch (const provmark::Error& e) {
    dom_error = e.what();
  }
  try {
    const Document document(bytes);
    if (!dom_error.empty()) std::abort();
    walk(document.root(), 0);
    const auto read = from_cbor(document.root().encoded(), nlohmann::json::cbor_tag_handler_t::ignore);
    if (to_cbor(read) != to_cbor(value)) std::abort();
  } catch (const provmark::Error& e) {
    document_error = e.what();
  }
  if (document_error != dom_error) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_document(bytes);
  try {
    (void)from_cbor_tagged(bytes, nlohmann::json::cbor_tag_handler_t::ignore);
  } catch (const provmark::Error&) {
  }
  nlohmann::json value;
  try {
    value = from_cbor(bytes);
  } catch (const provmark::Error&) {
    return 0;
  }
  const auto encoded = to_cbor(value);
  // NaN != NaN, so compare the deterministic encodings rather than the values.
  if (to_cbor(from_cbor(encoded)) != encoded) std::abort();
  return 0;
}
