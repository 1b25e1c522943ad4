// SPDX-License-Identifier: Apache-2.0
#include "provmark/aigc.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <string>

#include "c2pa/asset_jpeg.hpp"
#include "c2pa/asset_png.hpp"
#include "codecs/jpeg.hpp"
#include "codecs/png.hpp"
#include "labels/xmp.hpp"
#include "provmark/codec.hpp"
#include "provmark/error.hpp"
#include "support/checks.hpp"
#include "support/test_data.hpp"

namespace {

using namespace provmark;
using Bytes = std::vector<std::uint8_t>;
using provmark::test::data_path;
using provmark::test::error_code_of;

const std::string kTc260 = std::string(labels::kTc260Namespace);
const std::string kXmpSignature{"http://ns.adobe.com/xap/1.0/\0", 29};

Bytes load(const std::string& name) { return read_file(data_path(name)); }

Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

AigcLabel sample_label(const std::string& id = "IMG20261121A0001") {
  AigcLabel label;
  label.content_producer = "001191110102MAD55U9H0F10002";
  label.produce_id = id;
  label.content_propagator = label.content_producer;
  label.propagate_id = label.produce_id;
  return label;
}

// A packet whose rdf:RDF holds `body`.
std::string packet(const std::string& body) {
  return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
         body + "</rdf:RDF></x:xmpmeta>";
}

// `jpeg` with a marker segment holding `payload` right after SOI.
Bytes with_segment(const Bytes& jpeg, std::uint8_t marker, const Bytes& payload) {
  const std::size_t length = payload.size() + 2;
  Bytes out = {0xFF, 0xD8, 0xFF, marker, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  out.reserve(out.size() + payload.size() + jpeg.size());
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

Bytes xmp_payload(const std::string& xmp) { return bytes_of(kXmpSignature + xmp); }

// `png` with a chunk inserted right before its first IDAT.
Bytes with_chunk(const Bytes& png, const char* type, const Bytes& data) {
  const auto chunks = codecs::walk_png_chunks(png);
  const auto idat = std::find_if(chunks.begin(), chunks.end(),
                                 [](const auto& c) { return std::string_view(c.type.data(), 4) == "IDAT"; });
  const Bytes chunk = codecs::png_chunk_bytes({type[0], type[1], type[2], type[3]}, data);
  Bytes out(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(idat->start));
  out.insert(out.end(), chunk.begin(), chunk.end());
  out.insert(out.end(), png.begin() + static_cast<std::ptrdiff_t>(idat->start), png.end());
  return out;
}

Bytes text_chunk_data(const std::string& keyword, const std::string& text) {
  Bytes data = bytes_of(keyword);
  data.push_back(0);
  data.insert(data.end(), text.begin(), text.end());
  return data;
}

Bytes xmp_itxt_data(const std::string& xmp) { return bytes_of(std::string("XML:com.adobe.xmp\0\0\0\0\0", 22) + xmp); }

// A little-endian TIFF block whose Exif IFD holds one UserComment: `code` (8 bytes) + `text`.
Bytes exif_with_comment(const std::string& code, const std::string& text) {
  const std::string value = code + text;
  Bytes tiff{'I', 'I', 42,   0,    8, 0,  0, 0, 1, 0, 0x69, 0x87, 4,
             0,   1,   0,    0,    0, 26, 0, 0, 0, 0, 0,    0,    0,  // IFD0: ExifIFD pointer -> 26
             1,   0,   0x86, 0x92, 7, 0};                             // Exif IFD: UserComment, UNDEFINED
  for (int shift = 0; shift < 32; shift += 8) tiff.push_back(static_cast<std::uint8_t>(value.size() >> shift));
  tiff.insert(tiff.end(), {44, 0, 0, 0, 0, 0, 0, 0});  // value at 44, no next IFD
  tiff.insert(tiff.end(), value.begin(), value.end());
  return tiff;
}

std::string as_string(std::span<const std::uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

// Every standard XMP packet of a JPEG or PNG, in file order.
std::vector<std::string> xmp_packets(const Bytes& file) {
  std::vector<std::string> packets;
  if (file[0] == 0xFF) {
    for (const auto& segment : codecs::walk_jpeg_header(file))
      if (segment.marker == 0xE1 && as_string(segment.payload).starts_with(kXmpSignature))
        packets.push_back(as_string(segment.payload.subspan(kXmpSignature.size())));
  } else {
    for (const auto& chunk : codecs::walk_png_chunks(file))
      if (std::string_view(chunk.type.data(), 4) == "iTXt" && as_string(chunk.data).starts_with("XML:com.adobe.xmp"))
        packets.push_back(as_string(chunk.data.subspan(22)));
  }
  return packets;
}

std::vector<std::uint8_t> markers_of(const Bytes& jpeg) {
  std::vector<std::uint8_t> markers;
  for (const auto& segment : codecs::walk_jpeg_header(jpeg)) markers.push_back(segment.marker);
  return markers;
}

std::vector<std::string> chunk_types(const Bytes& png) {
  std::vector<std::string> types;
  for (const auto& chunk : codecs::walk_png_chunks(png)) types.emplace_back(chunk.type.data(), 4);
  return types;
}

// The bytes from the first scan on (JPEG) or from the first IDAT on (PNG): the image data.
Bytes image_data(const Bytes& file) {
  std::size_t start = 0;
  if (file[0] == 0xFF) {
    start = codecs::walk_jpeg_header(file).back().start;
  } else {
    for (const auto& chunk : codecs::walk_png_chunks(file))
      if (std::string_view(chunk.type.data(), 4) == "IDAT") {
        start = chunk.start;
        break;
      }
  }
  return {file.begin() + static_cast<std::ptrdiff_t>(start), file.end()};
}

void check_one_label(const Bytes& file, const AigcLabel& label) {
  const auto found = read_aigc_labels(file);
  REQUIRE(found.size() == 1);
  CHECK(found[0].carrier == "xmp");
  CHECK(found[0].label == label);
  CHECK(found[0].problems.empty());
}

}  // namespace

TEST_SUITE("labels/aigc") {
  TEST_CASE("the JSON is compact, in Annex E key order, and both nestings parse back") {
    AigcLabel label = sample_label();
    label.reserved_code1 = "{\"SecurityData\":{}}";
    const std::string inner =
        "{\"Label\":\"1\",\"ContentProducer\":\"001191110102MAD55U9H0F10002\",\"ProduceID\":\"IMG20261121A0001\","
        "\"ReservedCode1\":\"{\\\"SecurityData\\\":{}}\",\"ContentPropagator\":\"001191110102MAD55U9H0F10002\","
        "\"PropagateID\":\"IMG20261121A0001\",\"ReservedCode2\":\"\"}";
    CHECK(label.to_json() == inner);
    CHECK(label.to_wrapped_json() == "{\"AIGC\":" + inner + "}");
    CHECK(parse_aigc_json(inner) == label);
    CHECK(parse_aigc_json(label.to_wrapped_json()) == label);
    CHECK(aigc_label_problems(label).empty());
  }

  TEST_CASE("parsing is lenient about keys and strict about types") {
    const AigcLabel partial = parse_aigc_json(" {\"ProduceID\":\"x\",\"Extra\":[1,{\"a\":2}],\"Label\":\"3\"} ");
    CHECK(partial.label == "3");
    CHECK(partial.produce_id == "x");
    CHECK(partial.content_producer.empty());
    CHECK(parse_aigc_json("{}").label.empty());  // a missing Label is not the default "1"
    CHECK(parse_aigc_json("{\"AIGC\":\"not an object\",\"Label\":\"2\"}").label == "2");
    for (const char* bad :
         {"", "[]", "\"AIGC\"", "{\"Label\":1}", "{\"AIGC\":{\"ProduceID\":null}}", "{\"Label\":\"1\""})
      CHECK(error_code_of([&] { (void)parse_aigc_json(bad); }) == Errc::malformed_input);
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    CHECK(error_code_of([&] { (void)parse_aigc_json("{\"x\":" + deep + ",\"Label\":\"1\"}"); }) == Errc::ok);
    CHECK(error_code_of([&] { (void)parse_aigc_json(std::string(2 << 20, ' ')); }) == Errc::limit_exceeded);
  }

  TEST_CASE("problems name a bad Label, missing producer elements and characters outside Annex E j)") {
    AigcLabel label = sample_label();
    label.label = "4";
    label.content_producer.clear();
    label.reserved_code2 = "Minimax Agent AI";  // spaces, as seen in the wild
    const auto problems = aigc_label_problems(label);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].find("Label is \"4\"") != std::string::npos);
    CHECK(problems[1] == "ContentProducer is empty");
    CHECK(problems[2].find("ReservedCode2") == 0);
    for (const std::string& bad :
         std::vector<std::string>{"a\\b", "tab\t", "\xE4\xB8\xAD", std::string(1, '\0'), std::string()}) {
      AigcLabel other = sample_label();
      other.produce_id = bad;
      CAPTURE(bad);
      CHECK(aigc_label_problems(other).size() == 1);
      CHECK(error_code_of([&] { (void)write_aigc_label(load("coffee.jpg"), other); }) == Errc::invalid_argument);
    }
    AigcLabel quoted = sample_label();
    quoted.reserved_code1 = "{\"Type\":\"TC260PG\"}";  // quotes travel as \" and are allowed
    CHECK(aigc_label_problems(quoted).empty());
  }

  TEST_CASE("a label round-trips through every test photo and leaves the image data alone") {
    for (const char* name : {"coffee.jpg", "rocket.jpg", "chelsea.png", "camera_gray.png", "c2pa/earth_apollo17.jpg"}) {
      CAPTURE(name);
      const Bytes original = load(name);
      CHECK(read_aigc_labels(original).empty());
      const Bytes labelled = write_aigc_label(original, sample_label());
      check_one_label(labelled, sample_label());
      CHECK(image_data(labelled) == image_data(original));
      CHECK(xmp_packets(labelled).size() == 1);
      const Image before = decode_image(original);
      const Image after = decode_image(labelled);
      REQUIRE(after.width() == before.width());
      REQUIRE(after.height() == before.height());
      CHECK(std::equal(before.data(), before.data() + before.stride() * before.height(), after.data()));
    }
  }

  TEST_CASE("in JPEG the new XMP segment follows JFIF and Exif and precedes everything else") {
    // rocket.jpg: APP0 (JFIF), APP2 (ICC), COM, then the tables.
    const Bytes labelled = write_aigc_label(load("rocket.jpg"), sample_label());
    const auto markers = markers_of(labelled);
    REQUIRE(markers.size() > 3);
    CHECK(markers[0] == 0xE0);
    CHECK(markers[1] == 0xE1);
    CHECK(markers[2] == 0xE2);
    // The exact packet spec/aigc-label-v1.md documents.
    CHECK(xmp_packets(labelled) == std::vector<std::string>{labels::xmp_new_packet(sample_label().to_json())});
  }

  TEST_CASE("a JPEG keeps its C2PA store, and the new XMP goes before it") {
    const Bytes store = load("c2pa/png-valid.c2pa");
    const Bytes signed_jpeg = c2pa::jpeg_embed_manifest_store(load("coffee.jpg"), store).bytes;
    const Bytes labelled = write_aigc_label(signed_jpeg, sample_label());
    CHECK(c2pa::jpeg_read_manifest_store(labelled) == store);
    const auto markers = markers_of(labelled);
    const auto app1 = std::find(markers.begin(), markers.end(), 0xE1);
    const auto app11 = std::find(markers.begin(), markers.end(), 0xEB);
    CHECK(app1 < app11);
    check_one_label(labelled, sample_label());

    const Bytes c2pars = load("c2pa/c2pars_v2_ai.jpg");  // C2PA right after SOI, then Photoshop's XMP
    const Bytes relabelled = write_aigc_label(c2pars, sample_label());
    CHECK(c2pa::jpeg_read_manifest_store(relabelled) == c2pa::jpeg_read_manifest_store(c2pars));
    CHECK(markers_of(relabelled) == markers_of(c2pars));
  }

  TEST_CASE("a PNG keeps its C2PA store and its other chunks; the XMP chunk stands before IDAT") {
    const Bytes original = load("c2pa/c2pars_v2_ai.png");
    const Bytes labelled = write_aigc_label(original, sample_label());
    CHECK(c2pa::png_read_manifest_store(labelled) == c2pa::png_read_manifest_store(original));
    auto types = chunk_types(labelled);
    const auto itxt = std::find(types.begin(), types.end(), "iTXt");
    CHECK(itxt < std::find(types.begin(), types.end(), "IDAT"));
    types.erase(itxt);
    CHECK(types == chunk_types(original));
    check_one_label(labelled, sample_label());
  }

  TEST_CASE("an existing XMP packet keeps its other properties, in JPEG and in PNG") {
    // chelsea.png carries an XMP iTXt chunk with exif: and tiff: properties; earth_apollo17.jpg Photoshop's XMP.
    for (const char* name : {"chelsea.png", "c2pa/earth_apollo17.jpg"}) {
      CAPTURE(name);
      const Bytes original = load(name);
      const std::string before = xmp_packets(original).at(0);
      const Bytes labelled = write_aigc_label(original, sample_label());
      const std::string after = xmp_packets(labelled).at(0);
      // The packet is the old one with one rdf:Description added at the end of rdf:RDF (and padding spent).
      const std::size_t end_of_rdf = before.find("</rdf:RDF>");
      REQUIRE(end_of_rdf != std::string::npos);
      CHECK(after.substr(0, end_of_rdf) == before.substr(0, end_of_rdf));
      CHECK(after.find("xmlns:TC260=\"" + kTc260 + "\"><TC260:AIGC>" + sample_label().to_json() + "</TC260:AIGC>") ==
            end_of_rdf + std::string("<rdf:Description rdf:about=\"\" ").size());
      if (std::string(name) == "chelsea.png") CHECK(chunk_types(labelled) == chunk_types(original));
      if (std::string(name) != "chelsea.png") CHECK(markers_of(labelled) == markers_of(original));
    }
  }

  TEST_CASE("a second write replaces the first, in place") {
    for (const char* name : {"coffee.jpg", "chelsea.png"}) {
      CAPTURE(name);
      const Bytes first = write_aigc_label(load(name), sample_label("A0000000000000001"));
      const Bytes second = write_aigc_label(first, sample_label("B0000000000000002"));
      check_one_label(second, sample_label("B0000000000000002"));
      CHECK(second.size() == first.size());  // same length of value, same place
      CHECK(write_aigc_label(second, sample_label("A0000000000000001")) == first);
    }
  }

  TEST_CASE("labels in the attribute form or under another prefix are read and replaced") {
    const AigcLabel old_label = sample_label("OLD");
    struct Form {
      std::string xmp;
      std::string after_update;
    };
    std::string attribute_json = old_label.to_json();
    for (std::size_t at = 0; (at = attribute_json.find('"', at)) != std::string::npos; at += 6)
      attribute_json.replace(at, 1, "&quot;");
    const std::string attribute_form = packet("<rdf:Description rdf:about=\"\" xmlns:TC260=\"" + kTc260 +
                                              "\" TC260:AIGC=\"" + attribute_json + "\"/>");
    const std::string lower_prefix =
        packet("<rdf:Description rdf:about=\"\" xmlns:tc260=\"" + kTc260 + "\"><tc260:AIGC>" + old_label.to_json() +
               "</tc260:AIGC></rdf:Description>");
    for (const Form& form :
         {Form{attribute_form, "TC260:AIGC=\"{&quot;Label"}, Form{lower_prefix, "<tc260:AIGC>{\"Label"}}) {
      const std::string& xmp = form.xmp;
      CAPTURE(xmp);
      for (const Bytes& file : {with_segment(load("coffee.jpg"), 0xE1, xmp_payload(xmp)),
                                with_chunk(load("camera_gray.png"), "iTXt", xmp_itxt_data(xmp))}) {
        const auto found = read_aigc_labels(file);
        REQUIRE(found.size() == 1);
        CHECK(found[0].label == old_label);
        const Bytes labelled = write_aigc_label(file, sample_label());
        check_one_label(labelled, sample_label());
        const std::string updated = xmp_packets(labelled).at(0);
        CHECK(updated.find(form.after_update) != std::string::npos);
      }
    }
  }

  TEST_CASE("the PNG text chunk AIGC and the EXIF UserComment are read and removed on write") {
    const std::string wrapped = sample_label("TEXT").to_wrapped_json();
    const Bytes png =
        with_chunk(with_chunk(load("camera_gray.png"), "tEXt", text_chunk_data("AIGC", wrapped)), "eXIf",
                   exif_with_comment(std::string("ASCII\0\0\0", 8), sample_label("EXIF").to_wrapped_json()));
    auto found = read_aigc_labels(png);
    REQUIRE(found.size() == 2);
    CHECK(found[0].carrier == "png-text");
    CHECK(found[0].label == sample_label("TEXT"));
    CHECK(found[1].carrier == "exif-user-comment");
    CHECK(found[1].label == sample_label("EXIF"));
    const Bytes labelled_png = write_aigc_label(png, sample_label());
    check_one_label(labelled_png, sample_label());
    const auto types = chunk_types(labelled_png);
    CHECK(std::count(types.begin(), types.end(), "eXIf") == 1);

    Bytes exif = bytes_of(std::string("Exif\0\0", 6));
    const Bytes tiff = exif_with_comment(std::string(8, '\0'), " " + wrapped + "\0\0");
    exif.insert(exif.end(), tiff.begin(), tiff.end());
    const Bytes jpeg = with_segment(load("coffee.jpg"), 0xE1, exif);
    found = read_aigc_labels(jpeg);
    REQUIRE(found.size() == 1);
    CHECK(found[0].carrier == "exif-user-comment");
    CHECK(found[0].label == sample_label("TEXT"));
    const Bytes labelled_jpeg = write_aigc_label(jpeg, sample_label());
    check_one_label(labelled_jpeg, sample_label());
    CHECK(labelled_jpeg.size() == jpeg.size() + labels::xmp_new_packet(sample_label().to_json()).size() + 33);
    const auto markers = markers_of(labelled_jpeg);  // Exif, JFIF (as with_segment left them), then the new XMP
    CHECK(std::vector<std::uint8_t>(markers.begin(), markers.begin() + 3) ==
          std::vector<std::uint8_t>{0xE1, 0xE0, 0xE1});

    // An ordinary comment is not a label and stays.
    const Bytes plain = with_segment(load("coffee.jpg"), 0xE1, [] {
      Bytes out = bytes_of(std::string("Exif\0\0", 6));
      const Bytes t = exif_with_comment(std::string("ASCII\0\0\0", 8), "holiday");
      out.insert(out.end(), t.begin(), t.end());
      return out;
    }());
    CHECK(read_aigc_labels(plain).empty());
    const Bytes plain_labelled = write_aigc_label(plain, sample_label());
    CHECK(std::search(plain_labelled.begin(), plain_labelled.end(), std::begin("holiday"), std::end("holiday") - 1) !=
          plain_labelled.end());
  }

  TEST_CASE("compressed and Latin-1 text chunks are read") {
    const std::string json = sample_label().to_wrapped_json();
    Bytes compressed(compressBound(static_cast<uLong>(json.size())));
    uLongf size = compressed.size();
    REQUIRE(compress(compressed.data(), &size, reinterpret_cast<const Bytef*>(json.data()), json.size()) == Z_OK);
    compressed.resize(size);
    Bytes ztxt = bytes_of(std::string("AIGC\0\0", 6));
    ztxt.insert(ztxt.end(), compressed.begin(), compressed.end());
    const auto found = read_aigc_labels(with_chunk(load("camera_gray.png"), "zTXt", ztxt));
    REQUIRE(found.size() == 1);
    CHECK(found[0].label == sample_label());

    const auto latin1 = read_aigc_labels(with_chunk(
        load("camera_gray.png"), "tEXt", text_chunk_data("AIGC", "{\"Label\":\"1\",\"ProduceID\":\"\xE9\"}")));
    REQUIRE(latin1.size() == 1);
    CHECK(latin1[0].label.produce_id == "\xC3\xA9");
    CHECK(latin1[0].problems.size() == 2);  // no ContentProducer; a character outside Annex E j)
  }

  TEST_CASE("several labels are all reported, and writing leaves one") {
    const std::string xmp = packet("<rdf:Description rdf:about=\"\" xmlns:TC260=\"" + kTc260 + "\"><TC260:AIGC>" +
                                   sample_label("ONE").to_json() + "</TC260:AIGC></rdf:Description>");
    const std::string second = packet("<rdf:Description rdf:about=\"\" xmlns:TC260=\"" + kTc260 + "\" TC260:AIGC=\"" +
                                      "{&quot;Label&quot;:&quot;3&quot;}\" />");
    const Bytes jpeg =
        with_segment(with_segment(load("coffee.jpg"), 0xE1, xmp_payload(second)), 0xE1, xmp_payload(xmp));
    const auto found = read_aigc_labels(jpeg);
    REQUIRE(found.size() == 2);
    CHECK(found[0].label == sample_label("ONE"));
    CHECK(found[1].label.label == "3");
    CHECK(found[1].problems.size() == 2);
    const Bytes labelled = write_aigc_label(jpeg, sample_label());
    check_one_label(labelled, sample_label());
    CHECK(xmp_packets(labelled).size() == 2);  // the second packet stays, without its label

    const Bytes png =
        with_chunk(with_chunk(load("camera_gray.png"), "iTXt", xmp_itxt_data(xmp)), "iTXt", xmp_itxt_data(second));
    CHECK(read_aigc_labels(png).size() == 2);
    check_one_label(write_aigc_label(png, sample_label()), sample_label());
  }

  TEST_CASE("an XMP chunk after IDAT moves before it; extended XMP in JPEG is left alone") {
    const Bytes original = load("camera_gray.png");
    Bytes png(original.begin(), original.end() - 12);  // up to IEND
    const Bytes xmp_chunk = codecs::png_chunk_bytes({'i', 'T', 'X', 't'}, xmp_itxt_data(packet("")));
    png.insert(png.end(), xmp_chunk.begin(), xmp_chunk.end());
    png.insert(png.end(), original.end() - 12, original.end());
    const Bytes labelled = write_aigc_label(png, sample_label());
    const auto types = chunk_types(labelled);
    CHECK(std::find(types.begin(), types.end(), "iTXt") < std::find(types.begin(), types.end(), "IDAT"));
    CHECK(std::count(types.begin(), types.end(), "iTXt") == 1);
    check_one_label(labelled, sample_label());

    Bytes extension = bytes_of(std::string("http://ns.adobe.com/xmp/extension/\0", 35));
    extension.resize(extension.size() + 40, '0');
    const std::string hidden = packet("<rdf:Description xmlns:TC260=\"" + kTc260 + "\" TC260:AIGC=\"x\"/>");
    extension.insert(extension.end(), hidden.begin(), hidden.end());
    const Bytes jpeg = with_segment(load("coffee.jpg"), 0xE1, extension);
    CHECK(read_aigc_labels(jpeg).empty());
    const Bytes labelled_jpeg = write_aigc_label(jpeg, sample_label());
    check_one_label(labelled_jpeg, sample_label());
    CHECK(std::search(labelled_jpeg.begin(), labelled_jpeg.end(), extension.begin(), extension.end()) !=
          labelled_jpeg.end());
  }

  TEST_CASE("hostile and unsupported inputs give typed errors") {
    const Bytes jpeg = load("coffee.jpg");
    const Bytes png = load("chelsea.png");
    const AigcLabel label = sample_label();
    auto both = [&](const Bytes& file) {
      const Errc read = error_code_of([&] { (void)read_aigc_labels(file); });
      const Errc write = error_code_of([&] { (void)write_aigc_label(file, label); });
      CHECK(read == write);
      return read;
    };
    CHECK(both(bytes_of("GIF89a")) == Errc::unsupported_format);
    CHECK(both({}) == Errc::unsupported_format);
    CHECK(both(Bytes(jpeg.begin(), jpeg.begin() + 300)) == Errc::malformed_input);
    CHECK(both(Bytes(png.begin(), png.begin() + 5000)) == Errc::malformed_input);
    CHECK(both(with_segment(jpeg, 0xE1, xmp_payload("<x:xmpmeta><rdf:RDF>"))) == Errc::malformed_input);
    CHECK(both(with_segment(jpeg, 0xE1, xmp_payload("<!DOCTYPE x><x/>"))) == Errc::malformed_input);
    CHECK(both(with_chunk(png, "iTXt", bytes_of(std::string("XML:com.adobe.xmp\0\2\0", 20)))) == Errc::malformed_input);
    // An AIGC text chunk that cannot be read cannot be reported, but writing drops it unread.
    const Bytes garbage = with_chunk(png, "zTXt", bytes_of(std::string("AIGC\0\0garbage", 13)));
    CHECK(error_code_of([&] { (void)read_aigc_labels(garbage); }) == Errc::malformed_input);
    check_one_label(write_aigc_label(garbage, label), label);

    // A zTXt bomb: 32 MiB of spaces inflates past the 16 MiB cap.
    const std::string spaces(32 << 20, ' ');
    Bytes bomb(compressBound(static_cast<uLong>(spaces.size())));
    uLongf size = bomb.size();
    REQUIRE(compress(bomb.data(), &size, reinterpret_cast<const Bytef*>(spaces.data()), spaces.size()) == Z_OK);
    bomb.resize(size);
    bomb.insert(bomb.begin(), {'A', 'I', 'G', 'C', 0, 0});
    const Bytes bombed = with_chunk(png, "zTXt", bomb);
    CHECK(error_code_of([&] { (void)read_aigc_labels(bombed); }) == Errc::limit_exceeded);
    check_one_label(write_aigc_label(bombed, label), label);

    Limits small;
    small.max_file_bytes = 1000;
    CHECK(error_code_of([&] { (void)read_aigc_labels(jpeg, small); }) == Errc::limit_exceeded);
    CHECK(error_code_of([&] { (void)write_aigc_label(jpeg, label, small); }) == Errc::limit_exceeded);

    AigcLabel huge = label;
    huge.reserved_code1 = std::string(70'000, 'A');
    CHECK(error_code_of([&] { (void)write_aigc_label(jpeg, huge); }) == Errc::limit_exceeded);  // one APP1 segment
    check_one_label(write_aigc_label(png, huge), huge);                                         // PNG has room

    // Values that are not AIGC JSON are reported, not thrown.
    const auto found = read_aigc_labels(with_chunk(png, "tEXt", text_chunk_data("AIGC", "[1,2]")));
    REQUIRE(found.size() == 1);
    CHECK(found[0].carrier == "png-text");
    CHECK(found[0].label.label.empty());
    REQUIRE(found[0].problems.size() == 1);
    CHECK(found[0].problems[0].starts_with("unreadable value: "));
  }
}
