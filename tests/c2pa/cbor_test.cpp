// SPDX-License-Identifier: Apache-2.0
#include "c2pa/cbor.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "c2pa/jumbf.hpp"
#include "c2pa/labels.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using namespace provmark::c2pa;
using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;
using test::error_code_of;

Errc decode_error(const Bytes& bytes, json::cbor_tag_handler_t tags = json::cbor_tag_handler_t::error) {
  return error_code_of([&] { (void)cbor::from_cbor(bytes, tags); });
}

// The message of from_cbor(bytes, ignore) and of a Document of `bytes`; "" when accepted.
std::pair<std::string, std::string> both_errors(const Bytes& bytes) {
  std::pair<std::string, std::string> errors;
  try {
    (void)cbor::from_cbor(bytes, json::cbor_tag_handler_t::ignore);
  } catch (const Error& e) {
    errors.first = e.what();
  }
  try {
    const cbor::Document document(bytes);
  } catch (const Error& e) {
    errors.second = e.what();
  }
  return errors;
}

// The claim and signature bytes of the committed c2pa-rs store.
struct StoreParts {
  Bytes store;
  Bytes claim;
  Bytes signature;
};

StoreParts store_parts() {
  StoreParts parts{read_file(test::data_path("c2pa/png-valid.c2pa")), {}, {}};
  const auto tree = jumbf::parse_superbox(parts.store);
  const auto* manifest = tree.superboxes().at(0);
  const auto claim = manifest->find_child(box_label::claim_v2)->content_boxes().at(0)->data;
  const auto signature = manifest->find_child(box_label::signature)->content_boxes().at(0)->data;
  parts.claim.assign(claim.begin(), claim.end());
  parts.signature.assign(signature.begin(), signature.end());
  return parts;
}

}  // namespace

TEST_SUITE("c2pa/cbor") {
  TEST_CASE("map keys are sorted by their encoded bytes, so shorter keys come first") {
    const json value = {{"alg", "sha256"}, {"b", 1}, {"aa", 2}};
    CHECK(cbor::to_cbor(value) == Bytes{0xA3, 0x61, 'b', 0x01, 0x62, 'a', 'a', 0x02, 0x63, 'a', 'l', 'g', 0x66,
                                        's', 'h', 'a', '2', '5', '6'});
    // nlohmann orders by string ("aa" < "alg" < "b"): same bytes, other order.
    CHECK(json::to_cbor(value) != cbor::to_cbor(value));
    CHECK(json::from_cbor(cbor::to_cbor(value)) == value);
  }

  TEST_CASE("with keys of one length nlohmann's order is deterministic, and the bytes equal nlohmann's") {
    const json value = {{"url", "self#jumbf=c2pa.assertions/c2pa.hash.data"},
                        {"alg", "sha256"},
                        {"pad", json::binary(Bytes(10, 0))},
                        {"num", {0, 23, 24, 255, 256, 65535, 65536, 4294967296ULL, -1, -24, -25, -1000000}},
                        {"tru", true},
                        {"nul", nullptr}};
    CHECK(cbor::to_cbor(value) == json::to_cbor(value));
  }

  TEST_CASE("integers and floats use their shortest form (RFC 8949 Appendix A)") {
    const auto enc = [](const json& v) { return cbor::to_cbor(v); };
    CHECK(enc(0) == Bytes{0x00});
    CHECK(enc(24) == Bytes{0x18, 0x18});
    CHECK(enc(1000000) == Bytes{0x1A, 0x00, 0x0F, 0x42, 0x40});
    CHECK(enc(std::numeric_limits<std::uint64_t>::max()) == Bytes{0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    CHECK(enc(-1000) == Bytes{0x39, 0x03, 0xE7});
    CHECK(enc(std::numeric_limits<std::int64_t>::min()) ==
          Bytes{0x3B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    CHECK(enc(0.0) == Bytes{0xF9, 0x00, 0x00});
    CHECK(enc(-0.0) == Bytes{0xF9, 0x80, 0x00});
    CHECK(enc(1.5) == Bytes{0xF9, 0x3E, 0x00});
    CHECK(enc(65504.0) == Bytes{0xF9, 0x7B, 0xFF});
    CHECK(enc(5.960464477539063e-8) == Bytes{0xF9, 0x00, 0x01});
    CHECK(enc(0.00006103515625) == Bytes{0xF9, 0x04, 0x00});
    CHECK(enc(-4.0) == Bytes{0xF9, 0xC4, 0x00});
    CHECK(enc(100000.0) == Bytes{0xFA, 0x47, 0xC3, 0x50, 0x00});
    CHECK(enc(3.4028234663852886e+38) == Bytes{0xFA, 0x7F, 0x7F, 0xFF, 0xFF});
    CHECK(enc(1.1) == Bytes{0xFB, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A});
    CHECK(enc(1.0e+300) == Bytes{0xFB, 0x7E, 0x37, 0xE4, 0x3C, 0x88, 0x00, 0x75, 0x9C});
    CHECK(enc(std::numeric_limits<double>::infinity()) == Bytes{0xF9, 0x7C, 0x00});
    CHECK(enc(std::nan("")) == Bytes{0xF9, 0x7E, 0x00});
    for (const double v : {1.5, 65504.0, 5.960464477539063e-8, 100000.0, 1.1, -1.0e+300})
      CHECK(cbor::from_cbor(enc(v)).get<double>() == v);
  }

  TEST_CASE("byte strings are bstr, and a tag can be put on a bstr or around any value") {
    CHECK(cbor::to_cbor(json::binary({1, 2, 3})) == Bytes{0x43, 1, 2, 3});
    CHECK(cbor::to_cbor(json::binary({1}, 18)) == Bytes{0xD2, 0x41, 1});
    const json cose = json::array({json::binary({0xA0}), json::object(), nullptr, json::binary({9})});
    const Bytes tagged = cbor::to_cbor_tagged(18, cose);
    CHECK(tagged == Bytes{0xD2, 0x84, 0x41, 0xA0, 0xA0, 0xF6, 0x41, 0x09});
    const auto read = cbor::from_cbor_tagged(tagged);
    CHECK(read.tag == 18u);
    CHECK(read.value == cose);
    CHECK(cbor::from_cbor_tagged(cbor::to_cbor_tagged(1000, 5)).tag == 1000u);
    CHECK_FALSE(cbor::from_cbor_tagged(Bytes{0x05}).tag.has_value());
    CHECK(error_code_of([] { (void)cbor::from_cbor_tagged(Bytes{0xD9, 0x03}); }) == Errc::malformed_input);
    CHECK(error_code_of([] { (void)cbor::from_cbor_tagged(Bytes{0xDC, 0x00}); }) == Errc::malformed_input);
  }

  TEST_CASE("a c2pa-rs claim decodes, and re-encoding it deterministically keeps its content") {
    const StoreParts parts = store_parts();
    const json claim = cbor::from_cbor(parts.claim);
    CHECK(claim["claim_generator_info"]["name"] == "c2pa-ref-fixture");
    CHECK(claim["signature"].get<std::string>().find("c2pa.signature") != std::string::npos);
    CHECK(cbor::from_cbor(cbor::to_cbor(claim)) == claim);
  }

  TEST_CASE("a c2pa-rs COSE_Sign1 is tag 18 around [protected bstr, unprotected map, null, signature]") {
    const StoreParts parts = store_parts();
    const auto cose = cbor::from_cbor_tagged(parts.signature);
    CHECK(cose.tag == 18u);
    REQUIRE(cose.value.is_array());
    REQUIRE(cose.value.size() == 4);
    CHECK(cose.value[0].is_binary());
    CHECK(cose.value[2].is_null());
    CHECK(cose.value[3].get_binary().size() == 64);  // ES256: raw r||s
    // Without the hand-read tag, the default handler refuses tags; ignore drops them.
    CHECK(decode_error(parts.signature) == Errc::malformed_input);
    CHECK(cbor::from_cbor(parts.signature, json::cbor_tag_handler_t::ignore) == cose.value);
  }

  TEST_CASE("trailing bytes, non-text keys, duplicate keys and deep nesting are malformed") {
    CHECK(decode_error({0x01, 0x02}) == Errc::malformed_input);
    CHECK(decode_error({0xA1, 0x01, 0x02}) == Errc::malformed_input);  // {1: 2}
    CHECK(decode_error({0xA2, 0x61, 'a', 0x01, 0x61, 'a', 0x02}) == Errc::malformed_input);
    CHECK(decode_error({0xA2, 0x61, 'a', 0x01, 0x61, 'b', 0xA1, 0x61, 'a', 0x02}) == Errc::ok);  // nested reuse
    CHECK(decode_error({}) == Errc::malformed_input);
    CHECK(decode_error({0x3B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) == Errc::ok);  // -2^63
    CHECK(decode_error({0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) == Errc::malformed_input);  // -2^64
    CHECK(decode_error({0x9B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) == Errc::malformed_input);
    CHECK(decode_error({0x5B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) == Errc::malformed_input);
    CHECK(decode_error({0xC0, 0x61, 'x'}, json::cbor_tag_handler_t::ignore) == Errc::malformed_input);  // tag 0
    CHECK(decode_error({0xD8, 0x20, 0x61, 'x'}, json::cbor_tag_handler_t::ignore) == Errc::ok);
    const auto nested = [](int depth, std::uint8_t opener) {
      Bytes bytes(static_cast<std::size_t>(depth), opener);
      if (opener == 0xA1)
        for (int i = 0; i < depth; ++i) bytes.insert(bytes.begin() + 2 * i + 1, {0x60});  // {"": {"": ...}}
      bytes.push_back(0x00);
      return bytes;
    };
    CHECK(decode_error(nested(64, 0x81)) == Errc::ok);
    CHECK(decode_error(nested(65, 0x81)) == Errc::malformed_input);
    CHECK(decode_error(nested(100000, 0x9F)) == Errc::malformed_input);  // indefinite arrays
    CHECK(decode_error(nested(64, 0xA1)) == Errc::ok);
    CHECK(decode_error(nested(65, 0xA1)) == Errc::malformed_input);
    json deep = 0;
    for (int i = 0; i < 65; ++i) deep = json::array({deep});
    CHECK(error_code_of([&] { (void)cbor::to_cbor(deep); }) == Errc::invalid_argument);
  }

  TEST_CASE("every truncation of a real claim is malformed") {
    const StoreParts parts = store_parts();
    for (std::size_t n = 0; n < parts.claim.size(); ++n)
      REQUIRE(decode_error(Bytes(parts.claim.begin(), parts.claim.begin() + static_cast<std::ptrdiff_t>(n))) ==
              Errc::malformed_input);
  }

  TEST_CASE("a Document reads a c2pa-rs claim in place, with the values from_cbor gives") {
    const StoreParts parts = store_parts();
    const json claim = cbor::from_cbor(parts.claim, json::cbor_tag_handler_t::ignore);
    const cbor::Document document(parts.claim);
    const cbor::Item& root = document.root();
    REQUIRE(root.is_map());
    CHECK(root.encoded().data() == parts.claim.data());  // not re-encoded
    CHECK(root.argument() == claim.size());
    for (const auto& [key, value] : claim.items()) {
      const auto item = root.find(key);
      REQUIRE(item);
      CHECK(cbor::from_cbor(item->encoded(), json::cbor_tag_handler_t::ignore) == value);
    }
    CHECK_FALSE(root.find("no such key"));
    CHECK(root.find("signature")->text() == claim["signature"].get<std::string>());
    const auto assertions = root.find("created_assertions");
    REQUIRE(assertions);
    const auto elements = assertions->elements();
    REQUIRE(elements.size() == claim["created_assertions"].size());
    const auto& first_hash = claim["created_assertions"][0]["hash"].get_binary();
    const auto hash = elements[0].find("hash")->bytes();
    CHECK(std::equal(hash.begin(), hash.end(), first_hash.begin(), first_hash.end()));
    // Reading one type as another gives nothing.
    CHECK(root.text().empty());
    CHECK(root.bytes().empty());
    CHECK(root.elements().empty());
    CHECK_FALSE(elements[0].find("hash")->find("x"));
  }

  TEST_CASE("a Document of indefinite lengths or tags reads nlohmann's value") {
    // {_ "a": 24(h'01'), "b": [_ 1, -2], "c": 1.5}
    const Bytes bytes{0xBF, 0x61, 'a',  0xD8, 0x18, 0x41, 0x01, 0x61, 'b', 0x9F,
                      0x01, 0x21, 0xFF, 0x61, 'c',  0xF9, 0x3E, 0x00, 0xFF};
    const cbor::Document document(bytes);
    const cbor::Item& root = document.root();
    REQUIRE(root.is_map());
    CHECK(root.find("a")->bytes().size() == 1);
    const auto b = root.find("b")->elements();
    REQUIRE(b.size() == 2);
    CHECK(b[0].type() == cbor::Item::Type::unsigned_int);
    CHECK(b[0].argument() == 1);
    CHECK(b[1].type() == cbor::Item::Type::negative_int);
    CHECK(b[1].argument() == 1);
    CHECK(root.find("c")->type() == cbor::Item::Type::other);
  }

  TEST_CASE("a Document rejects what from_cbor(ignore) rejects, with the same message") {
    const Bytes bad[] = {
        {},
        {0x01, 0x02},                                            // trailing
        {0xA1, 0x01, 0x02},                                      // {1: 2}
        {0xA2, 0x61, 'a', 0x01, 0x61, 'a', 0x02},                // duplicate key
        {0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // -2^64
        {0x9B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // array longer than the input
        {0xC0, 0x61, 'x'},                                       // tag 0
        {0xF7},                                                  // undefined
        {0x62, 'a'},                                             // truncated
    };
    for (const Bytes& bytes : bad) {
      const auto [dom, document] = both_errors(bytes);
      CHECK_FALSE(dom.empty());
      CHECK(document == dom);
    }
    Bytes many_keys{0xB8, 40};  // 40 keys, the last a repeat of the first
    for (int i = 0; i < 40; ++i)
      many_keys.insert(many_keys.end(), {0x62, 'k', static_cast<std::uint8_t>('0' + i % 39), 0x00});
    const auto [dom, document] = both_errors(many_keys);
    CHECK_FALSE(dom.empty());
    CHECK(document == dom);
    Bytes deep(64, 0x81);
    deep.push_back(0x00);
    CHECK(both_errors(deep) == std::pair<std::string, std::string>{});
    deep.insert(deep.begin(), 0x81);
    CHECK_FALSE(both_errors(deep).second.empty());
  }
}
