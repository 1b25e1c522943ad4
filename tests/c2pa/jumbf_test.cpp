// SPDX-License-Identifier: Apache-2.0
#include "c2pa/jumbf.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <string>

#include "c2pa/cbor.hpp"
#include "c2pa/labels.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using namespace provmark::c2pa;
using namespace provmark::c2pa::jumbf;
using Bytes = std::vector<std::uint8_t>;
using test::error_code_of;

// The manifest store of a JPEG: the APP11 'JP' segments joined (brief §7.1). Segment 1 holds CI, En, Z and
// then the JUMBF; later ones repeat the store's 8-byte LBox/TBox after Z, which is skipped.
Bytes app11_store(const Bytes& jpeg) {
  Bytes store;
  std::size_t pos = 2;
  while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xFF && jpeg[pos + 1] != 0xDA && jpeg[pos + 1] != 0xD9) {
    const std::size_t length = std::size_t{jpeg[pos + 2]} << 8 | jpeg[pos + 3];
    REQUIRE(pos + 2 + length <= jpeg.size());
    if (jpeg[pos + 1] == 0xEB && length >= 18 && jpeg[pos + 4] == 'J' && jpeg[pos + 5] == 'P') {
      const auto content = jpeg.begin() + static_cast<std::ptrdiff_t>(pos + 4);
      const auto end = jpeg.begin() + static_cast<std::ptrdiff_t>(pos + 2 + length);
      store.insert(store.end(), content + (store.empty() ? 8 : 16), end);
    }
    pos += 2 + length;
  }
  return store;
}

Bytes sha256(std::span<const std::uint8_t> bytes) {
  Bytes digest(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return digest;
}

std::vector<std::string> child_labels(const ParsedSuperbox& box) {
  std::vector<std::string> labels;
  for (const auto* sub : box.superboxes()) labels.push_back(sub->label);
  return labels;
}

// What every C2PA store made by c2pa-rs must look like; also checks the claim's hashed URIs against the
// payload spans, which is what makes `payload` the right hash input (brief §2.5).
void check_c2pa_rs_store(const Bytes& bytes) {
  const ParsedSuperbox store = parse_superbox(bytes);
  CHECK(store.label == box_label::store);
  CHECK(store.type == uuids::store);
  REQUIRE(store.superboxes().size() == 1);
  const ParsedSuperbox& manifest = *store.superboxes()[0];
  CHECK(manifest.type == uuids::manifest);
  CHECK(manifest.label.starts_with(uri::manifest_urn_prefix));
  CHECK(child_labels(manifest) ==
        std::vector<std::string>{"c2pa.assertions", "c2pa.claim.v2", "c2pa.signature"});

  const ParsedSuperbox* claim = manifest.find_child(box_label::claim_v2);
  REQUIRE(claim != nullptr);
  CHECK(claim->type == uuids::claim);
  REQUIRE(claim->content_boxes().size() == 1);
  CHECK(claim->content_boxes()[0]->type == box_type::cbor);
  const ParsedSuperbox* signature = manifest.find_child(box_label::signature);
  REQUIRE(signature != nullptr);
  REQUIRE(signature->content_boxes().size() == 1);
  CHECK(signature->content_boxes()[0]->data[0] == 0xD2);  // COSE_Sign1_Tagged: tag 18

  const ParsedSuperbox* assertions = manifest.find_child(box_label::assertions);
  REQUIRE(assertions != nullptr);
  CHECK(assertions->find_child(assertion::actions_v2) != nullptr);
  for (const auto* a : assertions->superboxes()) {
    CHECK(a->toggles == 0x13);  // c2pa-rs salts every assertion
    REQUIRE(a->salt.has_value());
    CHECK(a->salt->size() == 16);
  }

  const auto claim_map = cbor::from_cbor(claim->content_boxes()[0]->data);
  // Every assertion is referenced once, from created_assertions or gathered_assertions.
  auto refs = claim_map.at("created_assertions");
  for (const auto& ref : claim_map.value("gathered_assertions", nlohmann::json::array())) refs.push_back(ref);
  CHECK(refs.size() == assertions->superboxes().size());
  for (const auto& ref : refs) {
    const std::string url = ref["url"];
    const std::string prefix = "self#jumbf=c2pa.assertions/";
    REQUIRE(url.starts_with(prefix));
    const ParsedSuperbox* target = assertions->find_child(url.substr(prefix.size()));
    REQUIRE(target != nullptr);
    CHECK(sha256(target->payload) == static_cast<const Bytes&>(ref["hash"].get_binary()));
  }
  for (const auto* box : {&store, &manifest, claim, signature}) {
    CHECK(box->payload.data() == box->box.data() + 8);
    CHECK(box->payload.size() == box->box.size() - 8);
  }
  // The tree holds everything: writing it again gives the same bytes.
  CHECK(serialize(to_value(store)) == bytes);
}

Bytes box(const char (&type)[5], const Bytes& payload, std::uint32_t lbox = 0xFFFFFFFF) {
  const std::uint32_t size = lbox == 0xFFFFFFFF ? static_cast<std::uint32_t>(payload.size() + 8) : lbox;
  Bytes out{static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
            static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(type[i]));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes jumd(const std::string& label, std::uint8_t toggles = 0x03, const Bytes& extra = {}) {
  Bytes payload(uuids::cbor.begin(), uuids::cbor.end());
  payload.push_back(toggles);
  payload.insert(payload.end(), label.begin(), label.end());
  payload.push_back(0);
  payload.insert(payload.end(), extra.begin(), extra.end());
  return box("jumd", payload);
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Superbox sample_store() {
  Superbox assertion{uuids::cbor, "c2pa.actions.v2", std::nullopt, std::nullopt, Bytes(16, 0x5A),
                     {ContentBox{box_type::cbor, {0xA0}}}};
  Superbox thumbnail{uuids::embedded_file, "c2pa.thumbnail.claim", 7u, std::array<std::uint8_t, 32>{1, 2, 3},
                     std::nullopt,
                     {ContentBox{box_type::embedded_description, {0, 'i', 'm', 'a', 'g', 'e', '/', 'p', 'n', 'g', 0}},
                      ContentBox{box_type::embedded_data, Bytes(300, 0x11)}}};
  Superbox assertions{uuids::assertion_store, "c2pa.assertions", {}, {}, {}, {assertion, thumbnail}};
  Superbox claim{uuids::claim, "c2pa.claim.v2", {}, {}, {}, {ContentBox{box_type::cbor, {0xA1, 0x61, 'a', 0x01}}}};
  Superbox signature{uuids::signature, "c2pa.signature", {}, {}, {}, {ContentBox{box_type::cbor, {0xD2, 0x80}}}};
  Superbox manifest{uuids::manifest, "urn:c2pa:0b4c3a0e-2f9d-4d5e-9a43-1f6e0c7a8b21", {}, {}, {},
                    {assertions, claim, signature}};
  return Superbox{uuids::store, "c2pa", {}, {}, {}, {manifest}};
}

Errc parse_error(const Bytes& bytes) {
  return error_code_of([&] { (void)parse_superbox(bytes); });
}

std::string parse_message(const Bytes& bytes) {
  try {
    (void)parse_superbox(bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("c2pa/jumbf") {
  TEST_CASE("the store of a c2pa-rs JPEG parses into one manifest with assertions, claim and signature") {
    const Bytes store = app11_store(read_file(test::data_path("c2pa/jpeg-valid.head.jpg")));
    REQUIRE(store.size() > 1000);
    check_c2pa_rs_store(store);
  }

  TEST_CASE("a store split over several APP11 segments reassembles and parses") {
    const Bytes store = app11_store(read_file(test::data_path("c2pa/jpeg-valid-multisegment.head.jpg")));
    REQUIRE(store.size() > 64000);
    check_c2pa_rs_store(store);
  }

  TEST_CASE("the store of a c2pa-rs PNG (its caBX chunk data) parses") {
    check_c2pa_rs_store(read_file(test::data_path("c2pa/png-valid.c2pa")));
  }

  TEST_CASE("a superbox is written as jumb, then jumd with UUID, toggles 0x03 and the NUL-terminated label") {
    const Superbox box{uuids::cbor, "test.box", {}, {}, {}, {ContentBox{box_type::cbor, {0xF6}}}};
    const Bytes expected = concat({Bytes{0, 0, 0, 0x33}, Bytes{'j', 'u', 'm', 'b'}, jumd("test.box"),
                                   Bytes{0, 0, 0, 9, 'c', 'b', 'o', 'r', 0xF6}});
    CHECK(serialize(box) == expected);
    CHECK(payload_of(box) == Bytes(expected.begin() + 8, expected.end()));
  }

  TEST_CASE("a salt becomes a c2sh private box and toggles 0x13; id and signature set bits 2 and 3") {
    Superbox box{uuids::cbor, "a", {}, {}, Bytes(16, 0xEE), {}};
    Bytes bytes = serialize(box);
    CHECK(bytes[8 + 8 + 16] == 0x13);
    CHECK(std::search(bytes.begin(), bytes.end(), box_type::salt.begin(), box_type::salt.end()) != bytes.end());
    box.id = 42;
    box.signature = std::array<std::uint8_t, 32>{};
    bytes = serialize(box);
    CHECK(bytes[8 + 8 + 16] == 0x1F);
  }

  TEST_CASE("parsing what was written gives the same tree back") {
    const Superbox store = sample_store();
    const Bytes bytes = serialize(store);
    const ParsedSuperbox parsed = parse_superbox(bytes);
    CHECK(to_value(parsed) == store);
    const auto* manifest = parsed.superboxes().at(0);
    const auto* assertions = manifest->find_child("c2pa.assertions");
    REQUIRE(assertions != nullptr);
    const auto* thumbnail = assertions->find_child("c2pa.thumbnail.claim");
    REQUIRE(thumbnail != nullptr);
    CHECK(thumbnail->id == 7u);
    CHECK(thumbnail->content_boxes().at(1)->data.size() == 300);
    const Superbox& value = std::get<Superbox>(std::get<Superbox>(store.children[0]).children[0]);
    CHECK(Bytes(assertions->payload.begin(), assertions->payload.end()) == payload_of(value));
    CHECK(manifest->find_child("c2pa.missing") == nullptr);
  }

  TEST_CASE("the writer refuses labels, salts and content types C2PA forbids") {
    const auto write = [](Superbox b) { return error_code_of([&] { (void)serialize(b); }); };
    CHECK(write(Superbox{uuids::cbor, "", {}, {}, {}, {}}) == Errc::invalid_argument);
    CHECK(write(Superbox{uuids::cbor, "a/b", {}, {}, {}, {}}) == Errc::invalid_argument);
    CHECK(write(Superbox{uuids::cbor, "a", {}, {}, Bytes(8), {}}) == Errc::invalid_argument);
    CHECK(write(Superbox{uuids::cbor, "a", {}, {}, {}, {ContentBox{box_type::superbox, {}}}}) ==
          Errc::invalid_argument);
    Superbox deep{uuids::cbor, "d", {}, {}, {}, {}};
    for (int i = 0; i < 40; ++i) deep = Superbox{uuids::cbor, "d", {}, {}, {}, {deep}};
    CHECK(write(deep) == Errc::invalid_argument);
  }

  TEST_CASE("labels follow S 11.1.4.1.1: UTF-8 without controls or / ; ? #") {
    CHECK(is_valid_label("c2pa.ingredient.v3__1"));
    CHECK(is_valid_label("urn:c2pa:0b4c3a0e-2f9d-4d5e-9a43-1f6e0c7a8b21"));
    CHECK(is_valid_label("caf\xC3\xA9"));
    for (const char* bad : {"", "a;b", "a?b", "a#b", "a\tb", "a\x7F", "\xC2\x85", "\xC0\xAF", "\xED\xA0\x80", "\xFF"})
      CHECK_MESSAGE(!is_valid_label(bad), bad);
  }

  TEST_CASE("XLBox and LBox 0 sizes are read") {
    const Bytes content = box("cbor", {0xF6});
    const Bytes plain = box("jumb", concat({jumd("x"), content}));
    Bytes xl = concat({Bytes{0, 0, 0, 1, 'j', 'u', 'm', 'b', 0, 0, 0, 0, 0, 0, 0, 0}, jumd("x"), content});
    xl[15] = static_cast<std::uint8_t>(xl.size());
    const Bytes to_end = box("jumb", concat({jumd("x"), box("cbor", {0xF6}, 0)}), 0);
    CHECK(to_value(parse_superbox(xl)) == to_value(parse_superbox(plain)));
    CHECK(to_value(parse_superbox(to_end)) == to_value(parse_superbox(plain)));
    CHECK(serialize(to_value(parse_superbox(xl))) == plain);
  }

  TEST_CASE("every truncation and every byte flip of a real store gives a typed error or a tree, never a crash") {
    const Bytes store = read_file(test::data_path("c2pa/png-valid.c2pa"));
    for (std::size_t n = 0; n < store.size(); ++n)
      REQUIRE(parse_error(Bytes(store.begin(), store.begin() + static_cast<std::ptrdiff_t>(n))) ==
              Errc::malformed_input);
    std::size_t parsed = 0;
    for (std::size_t i = 0; i < store.size(); ++i) {
      Bytes flipped = store;
      flipped[i] ^= 0xFF;
      const Errc code = parse_error(flipped);
      REQUIRE((code == Errc::ok || code == Errc::malformed_input));
      parsed += code == Errc::ok;
    }
    CHECK(parsed > 0);  // flips inside content boxes are not JUMBF faults
    CHECK(parsed < store.size());
  }

  TEST_CASE("box sizes that do not fit their parent are malformed, and the message names box and offset") {
    const Bytes inner = box("cbor", {1, 2, 3});
    Bytes bytes = box("jumb", concat({jumd("x"), inner}));
    bytes[bytes.size() - inner.size() + 3] = 200;  // the cbor box claims more than the superbox holds
    CHECK(parse_error(bytes) == Errc::malformed_input);
    const std::string message = parse_message(bytes);
    CHECK(message.find("'cbor'") != std::string::npos);
    CHECK(message.find("offset " + std::to_string(bytes.size() - inner.size())) != std::string::npos);

    for (std::uint8_t lbox : {2, 7}) {
      Bytes small = box("jumb", concat({jumd("x"), box("cbor", {1})}));
      small[small.size() - 9 + 3] = lbox;
      CHECK(parse_error(small) == Errc::malformed_input);
    }
    CHECK(parse_error({}) == Errc::malformed_input);
    CHECK(parse_error(box("jumb", {})) == Errc::malformed_input);
    CHECK(parse_error(concat({box("jumb", jumd("x")), Bytes{0}})) == Errc::malformed_input);  // trailing byte
    CHECK(parse_error(box("cbor", jumd("x"))) == Errc::malformed_input);
    Bytes xl_small{0, 0, 0, 1, 'j', 'u', 'm', 'b', 0, 0, 0, 0, 0, 0, 0, 8};
    CHECK(parse_error(xl_small) == Errc::malformed_input);
  }

  TEST_CASE("jumd boxes that break the c2pa-rs rules are malformed") {
    const auto superbox = [](const Bytes& description) { return box("jumb", description); };
    CHECK(parse_error(superbox(jumd("x"))) == Errc::ok);
    CHECK(parse_error(superbox(jumd("x", 0x01))) == Errc::malformed_input);  // no label bit
    CHECK(parse_error(superbox(jumd("x", 0x02))) == Errc::malformed_input);  // not requestable
    CHECK(parse_error(superbox(jumd("x", 0x23))) == Errc::malformed_input);  // reserved bit
    CHECK(parse_error(superbox(jumd(""))) == Errc::malformed_input);
    CHECK(parse_error(superbox(jumd("a/b"))) == Errc::malformed_input);
    CHECK(parse_error(superbox(jumd("x", 0x03, {0}))) == Errc::malformed_input);  // stray byte
    CHECK(parse_error(superbox(jumd("x", 0x07, {0, 0}))) == Errc::malformed_input);  // truncated ID
    CHECK(parse_error(superbox(jumd("x", 0x0B, Bytes(31)))) == Errc::malformed_input);  // truncated signature
    CHECK(parse_error(superbox(jumd("x", 0x13, box("c2sh", Bytes(16))))) == Errc::ok);
    CHECK(parse_error(superbox(jumd("x", 0x13, box("c2sh", Bytes(8))))) == Errc::malformed_input);
    CHECK(parse_error(superbox(jumd("x", 0x13, box("priv", Bytes(16))))) == Errc::malformed_input);
    Bytes unterminated = jumd("x");
    unterminated.pop_back();
    unterminated[3] -= 1;
    CHECK(parse_error(superbox(unterminated)) == Errc::malformed_input);
    CHECK(parse_error(superbox(box("cbor", {1}))) == Errc::malformed_input);  // jumd missing
    CHECK(parse_error(superbox(concat({jumd("x"), jumd("y")}))) == Errc::malformed_input);
    Bytes short_jumd = box("jumd", Bytes(16, 0));
    CHECK(parse_error(superbox(short_jumd)) == Errc::malformed_input);
  }

  TEST_CASE("nesting is limited to 32 superboxes, as in c2pa-rs") {
    const auto nested = [](int levels) {
      Bytes bytes = box("jumb", jumd("n"));
      for (int i = 1; i < levels; ++i) bytes = box("jumb", concat({jumd("n"), bytes}));
      return bytes;
    };
    CHECK(parse_error(nested(32)) == Errc::ok);
    CHECK(parse_error(nested(33)) == Errc::malformed_input);
    CHECK(parse_error(nested(40)) == Errc::malformed_input);
    CHECK(parse_message(nested(40)).find("deeper than 32") != std::string::npos);
  }

  TEST_CASE("a superbox with more than max_boxes boxes hits limit_exceeded") {
    Bytes payload = jumd("many");
    const Bytes empty = box("free", {});
    for (std::size_t i = 0; i < max_boxes; ++i) payload.insert(payload.end(), empty.begin(), empty.end());
    CHECK(parse_error(box("jumb", payload)) == Errc::limit_exceeded);
  }
}
