// SPDX-License-Identifier: Apache-2.0
#include "labels/xmp.hpp"

#include <doctest/doctest.h>

#include <string>

#include "provmark/error.hpp"
#include "support/checks.hpp"

namespace {

using namespace provmark;
using namespace provmark::labels;
using provmark::test::error_code_of;

const std::string kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const std::string kTc260 = std::string(kTc260Namespace);

// A packet whose rdf:RDF holds `body`.
std::string packet(const std::string& body, const std::string& padding = "") {
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
         "<rdf:RDF xmlns:rdf=\"" +
         kRdf + "\">" + body + "</rdf:RDF></x:xmpmeta>" + padding + "<?xpacket end=\"w\"?>";
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("labels/xmp") {
  TEST_CASE("the element form is read whatever prefix is bound to the TC260 namespace") {
    for (const std::string prefix : {"TC260", "tc260", "aigc"}) {
      const std::string xmp =
          packet("<rdf:Description rdf:about=\"\" xmlns:" + prefix + "=\"" + kTc260 + "\"><" + prefix +
                 ":AIGC>{\"Label\":\"1\",\"P\":\"a&amp;b&lt;c&#x41;&#66;\"}</" + prefix + ":AIGC></rdf:Description>");
      CHECK(xmp_aigc_values(xmp) == std::vector<std::string>{"{\"Label\":\"1\",\"P\":\"a&b<cAB\"}"});
    }
  }

  TEST_CASE("the TC260 prefix bound to another namespace is not the label") {
    const std::string xmp = packet(
        "<rdf:Description rdf:about=\"\" xmlns:TC260=\"http://example.com/other/\"><TC260:AIGC>x</TC260:AIGC>"
        "</rdf:Description>");
    CHECK(xmp_aigc_values(xmp).empty());
  }

  TEST_CASE("the attribute form, CDATA, a default namespace and a structured value are read") {
    const std::string xmp =
        packet("<rdf:Description rdf:about=\"\" xmlns:t=\"" + kTc260 + "\" t:AIGC='{\"Label\":\"2\"}'/>" +
               "<rdf:Description rdf:about=\"\"><AIGC xmlns=\"" + kTc260 + "\"><![CDATA[ {\"a\":\"<b>\"} ]]></AIGC>" +
               "</rdf:Description><rdf:Description rdf:about=\"\" xmlns:t=\"" + kTc260 +
               "\"><t:AIGC><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></t:AIGC></rdf:Description>");
    CHECK(xmp_aigc_values(xmp) == std::vector<std::string>{"{\"Label\":\"2\"}", "{\"a\":\"<b>\"}", "{}"});
  }

  TEST_CASE("a namespace declaration ends with its element") {
    const std::string xmp =
        packet("<rdf:Description rdf:about=\"\"><t:X xmlns:t=\"" + kTc260 + "\"/><t:AIGC>v</t:AIGC></rdf:Description>");
    CHECK(xmp_aigc_values(xmp).empty());
  }

  TEST_CASE("setting the label adds one rdf:Description and keeps every other byte") {
    const std::string body =
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<dc:format>image/jpeg</dc:format></rdf:Description>";
    const std::string xmp = packet(body);
    const std::string updated = xmp_set_aigc(xmp, "{\"Label\":\"1\",\"X\":\"<&>\"}");
    const std::string added = "<rdf:Description rdf:about=\"\" xmlns:TC260=\"" + kTc260 +
                              "\"><TC260:AIGC>{\"Label\":\"1\",\"X\":\"&lt;&amp;&gt;\"}</TC260:AIGC></rdf:Description>";
    CHECK(updated == packet(body + added));
    CHECK(xmp_aigc_values(updated) == std::vector<std::string>{"{\"Label\":\"1\",\"X\":\"<&>\"}"});
  }

  TEST_CASE("an existing property is updated in its place and form, and later ones are removed") {
    const std::string head = "<rdf:Description rdf:about=\"\" xmlns:t=\"" + kTc260 + "\" t:AIGC=\"";
    const std::string xmp = packet(head + "old\"/><rdf:Description rdf:about=\"\" xmlns:u=\"" + kTc260 +
                                   "\"><u:AIGC>second</u:AIGC><u:Other>kept</u:Other></rdf:Description>");
    const std::string updated = xmp_set_aigc(xmp, "{\"L\":\"1\"}");
    CHECK(updated == packet(head + "{&quot;L&quot;:&quot;1&quot;}\"/><rdf:Description rdf:about=\"\" xmlns:u=\"" +
                            kTc260 + "\"><u:Other>kept</u:Other></rdf:Description>"));
    CHECK(xmp_aigc_values(updated) == std::vector<std::string>{"{\"L\":\"1\"}"});
  }

  TEST_CASE("an empty property element gets content; a structured one is replaced by a new description") {
    const std::string decl = "<rdf:Description rdf:about=\"\" xmlns:t=\"" + kTc260 + "\">";
    CHECK(xmp_set_aigc(packet(decl + "<t:AIGC/></rdf:Description>"), "v") ==
          packet(decl + "<t:AIGC>v</t:AIGC></rdf:Description>"));
    const std::string structured = packet(decl +
                                          "<t:AIGC rdf:parseType=\"Resource\"><t:A>1</t:A></t:AIGC>"
                                          "</rdf:Description>");
    const std::string updated = xmp_set_aigc(structured, "v");
    CHECK(count(updated, "AIGC>") == 2);  // only the new <TC260:AIGC>v</TC260:AIGC>
    CHECK(xmp_aigc_values(updated) == std::vector<std::string>{"v"});
  }

  TEST_CASE("removing the label leaves the rest") {
    const std::string rest = "<rdf:Description rdf:about=\"\" xmlns:t=\"" + kTc260 + "\"><t:B>b</t:B>";
    const std::string xmp = packet(rest + "<t:AIGC>v</t:AIGC></rdf:Description>");
    CHECK(xmp_set_aigc(xmp, std::nullopt) == packet(rest + "</rdf:Description>"));
    CHECK(xmp_set_aigc(packet(rest + "</rdf:Description>"), std::nullopt) == packet(rest + "</rdf:Description>"));
  }

  TEST_CASE("padding absorbs growth so the packet keeps its size when it can") {
    const std::string xmp = packet("", "\n" + std::string(400, ' ') + "\n");
    const std::string updated = xmp_set_aigc(xmp, "{\"Label\":\"1\"}");
    CHECK(updated.size() == xmp.size());
    CHECK(xmp_aigc_values(updated) == std::vector<std::string>{"{\"Label\":\"1\"}"});
    const std::string small = packet("", "  ");
    CHECK(xmp_set_aigc(small, "{\"Label\":\"1\"}").size() > small.size());
  }

  TEST_CASE("an empty rdf:RDF, a default-namespace rdf:RDF and a packet without RDF all take the label") {
    const std::string empty = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"" + kRdf + "\"/></x:xmpmeta>";
    CHECK(xmp_aigc_values(xmp_set_aigc(empty, "v")) == std::vector<std::string>{"v"});
    const std::string default_ns = "<RDF xmlns=\"" + kRdf + "\"></RDF>";
    const std::string updated = xmp_set_aigc(default_ns, "v");
    CHECK(updated.starts_with("<RDF xmlns=\"" + kRdf + "\"><rdf:Description xmlns:rdf=\"" + kRdf + "\" rdf:about"));
    CHECK(xmp_aigc_values(updated) == std::vector<std::string>{"v"});
    CHECK(xmp_set_aigc("<?xpacket begin=\"\"?><?xpacket end=\"w\"?>", "v") == xmp_new_packet("v"));
  }

  TEST_CASE("a new packet is well-formed XMP holding the value") {
    const std::string xmp = xmp_new_packet("{\"Label\":\"1\",\"A\":\"&\"}");
    CHECK(xmp.starts_with("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"));
    CHECK(xmp.ends_with("<?xpacket end=\"w\"?>"));
    CHECK(xmp.find("<TC260:AIGC>{\"Label\":\"1\",\"A\":\"&amp;\"}</TC260:AIGC>") != std::string::npos);
    CHECK(xmp_aigc_values(xmp) == std::vector<std::string>{"{\"Label\":\"1\",\"A\":\"&\"}"});
  }

  TEST_CASE("broken XML is malformed input") {
    const std::string decl = "<rdf:Description xmlns:t=\"" + kTc260 + "\">";
    for (const std::string& bad : std::vector<std::string>{
             packet(decl),                                                  // not closed
             packet(decl + "</rdf:RDF>"),                                   // wrong end tag
             packet(decl + "<t:AIGC>&bogus;</t:AIGC></rdf:Description>"),   // unknown entity
             packet(decl + "<t:AIGC>&#0;</t:AIGC></rdf:Description>"),      // NUL reference
             packet(decl + "<t:AIGC>&#xD800;</t:AIGC></rdf:Description>"),  // surrogate
             packet(decl + "<t:AIGC>&amp</t:AIGC></rdf:Description>"),      // unterminated
             packet("<rdf:Description a=\"x<y\"/>"),                        // '<' in a value
             packet("<rdf:Description a=x/>"),                              // no quotes
             packet("<rdf:Description a=\"1\"b=\"2\"/>"),                   // no space
             "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>",               // DTD
             "<x><!-- open",                                                // comment not closed
             "<x><![CDATA[ open",                                           // CDATA not closed
             "<x attr=\"open",                                              // attribute not closed
             "<",                                                           // no name
         }) {
      CAPTURE(bad);
      CHECK(error_code_of([&] { (void)xmp_aigc_values(bad); }) == Errc::malformed_input);
      CHECK(error_code_of([&] { (void)xmp_set_aigc(bad, "v"); }) == Errc::malformed_input);
    }
  }
}
