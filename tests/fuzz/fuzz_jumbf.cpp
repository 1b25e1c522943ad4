// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the JUMBF superbox reader on hostile bytes. Only provmark::Error may escape it. A tree
// that parses must write back to bytes that parse to the same tree, with every payload span inside its box.
#include <cstdlib>

#include "c2pa/jumbf.hpp"
#include "provmark/error.hpp"

namespace {

using namespace provmark::c2pa::jumbf;

void check_spans(const ParsedSuperbox& box) {
  if (box.payload.data() < box.box.data() || box.payload.data() + box.payload.size() != box.box.data() + box.box.size())
    std::abort();
  for (const auto* sub : box.superboxes()) check_spans(*sub);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ParsedSuperbox parsed;
  try {
    parsed = parse_superbox({data, size});
  } catch (const provmark::Error&) {
    return 0;
  }
  check_spans(parsed);
  const Superbox value = to_value(parsed);
  const auto bytes = serialize(value);  // an Error here is a finding: what parses must be writable
  if (to_value(parse_superbox(bytes)) != value) std::abort();
  return 0;
}
