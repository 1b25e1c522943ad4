// SPDX-License-Identifier: Apache-2.0
// A small XML scanner, hand-written on purpose. An XMP toolkit (exempi, the only one in Debian) parses the
// packet into a tree and serialises it again, rewriting every other property's bytes and pulling in a large
// C++ library; a general XML parser (expat, libxml2) would still not give the byte offsets an edit in place
// needs. One property in a packet of a few kilobytes takes a single linear pass: no recursion, every name,
// quote and entity checked against the end of the input, and no DTD (so no entity can expand).

#include "labels/xmp.hpp"

#include <algorithm>
#include <cstdint>
#include <map>

#include "core/fail.hpp"

namespace provmark::labels {
namespace {

constexpr std::string_view kRdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
constexpr std::size_t kNone = std::string_view::npos;

[[noreturn]] void malformed(const std::string& what) { fail(Errc::malformed_input, "xmp: " + what); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Permissive: any byte that cannot end a name belongs to it (non-ASCII names pass unchecked).
bool is_name_char(char c) {
  return !is_space(c) && c != '<' && c != '>' && c != '/' && c != '=' && c != '"' && c != '\'' && c != '&';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// &#65; or &#x41;: at most 8 digits, a Unicode scalar value other than NUL.
std::uint32_t character_reference(std::string_view digits) {
  const bool hex = !digits.empty() && digits.front() == 'x';
  if (hex) digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 8) malformed("bad character reference");
  std::uint32_t code = 0;
  for (const char c : digits) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      malformed("bad character reference");
    }
    code = code * (hex ? 16 : 10) + digit;
  }
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) malformed("bad character reference");
  return code;
}

// The five predefined entities and character references; without a DTD there are no others.
std::string decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] != '&') {
      out += raw[i++];
      continue;
    }
    const std::size_t semicolon = raw.find(';', i);
    if (semicolon == kNone || semicolon - i > 11) malformed("unterminated entity reference");
    const std::string_view name = raw.substr(i + 1, semicolon - i - 1);
    if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (!name.empty() && name.front() == '#') {
      append_utf8(out, character_reference(name.substr(1)));
    } else {
      malformed("unknown entity &" + std::string(name) + ";");
    }
    i = semicolon + 1;
  }
  return out;
}

// `quote` is the attribute's quote character, or 0 for element content.
std::string escape(std::string_view value, char quote) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"' && quote == '"') {
      out += "&quot;";
    } else if (c == '\'' && quote == '\'') {
      out += "&apos;";
    } else {
      out += c;
    }
  }
  return out;
}

struct Property {
  std::size_t start = 0;  // the element, or the attribute with the white space before it
  std::size_t end = 0;
  std::size_t value_start = 0;  // element content; attribute value inside the quotes; "/>" of an empty element
  std::size_t value_end = 0;
  char quote = 0;           // attribute form: its quote character; element form: 0
  std::string empty_qname;  // element form written <p:AIGC/>: its name, to close it again
  bool simple = true;       // a plain value that can be replaced in place
  std::string value;
};

struct Scan {
  std::vector<Property> properties;
  std::optional<std::size_t> rdf_insert;  // the start of the first </rdf:RDF>, or the "/>" of <rdf:RDF/>
  bool rdf_empty = false;
  std::string rdf_qname;
  std::size_t padding_start = 0;  // white space before a closing <?xpacket end=...?> outside every element
  std::size_t padding_end = 0;
};

struct Attribute {
  std::size_t start = 0;  // the white space before the name
  std::string_view name;
  std::size_t value_start = 0;
  std::size_t value_end = 0;
  char quote = 0;
};

bool is_namespace_declaration(std::string_view name) { return name == "xmlns" || name.starts_with("xmlns:"); }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  Scan run() {
    while (pos_ < text_.size()) {
      if (text_[pos_] != '<') {
        character_data();
      } else if (starts("<?")) {
        processing_instruction();
      } else if (starts("<!--")) {
        pos_ = find_end("-->", "comment") + 3;
      } else if (starts("<![CDATA[")) {
        cdata();
      } else if (starts("<!")) {
        malformed("a DTD or other declaration (not allowed in XMP)");
      } else if (starts("</")) {
        end_tag();
      } else {
        start_tag();
      }
    }
    if (!open_.empty()) malformed("element <" + std::string(open_.back().qname) + "> is not closed");
    return std::move(scan_);
  }

 private:
  struct Open {
    std::string_view qname;
    std::size_t declared = 0;  // namespace declarations it made
  };

  bool starts(std::string_view token) const { return text_.substr(pos_).starts_with(token); }

  std::size_t find_end(std::string_view token, const char* what) const {
    const std::size_t at = text_.find(token, pos_);
    if (at == kNone) malformed(std::string(what) + " is not closed");
    return at;
  }

  void expect(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c)
      malformed(std::string("'") + c + "' expected at offset " + std::to_string(pos_));
    ++pos_;
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  std::string_view name() {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (pos_ == begin) malformed("a name expected at offset " + std::to_string(begin));
    return text_.substr(begin, pos_ - begin);
  }

  void character_data() {
    const std::size_t end = std::min(text_.find('<', pos_), text_.size());
    if (capture_) capture_->value += decode(text_.substr(pos_, end - pos_));
    pos_ = end;
  }

  void cdata() {
    pos_ += 9;
    const std::size_t end = find_end("]]>", "CDATA section");
    if (capture_) capture_->value.append(text_.substr(pos_, end - pos_));
    pos_ = end + 3;
  }

  void processing_instruction() {
    const std::size_t begin = pos_;
    const std::size_t end = find_end("?>", "processing instruction");
    const std::string_view body = text_.substr(begin + 2, end - begin - 2);
    if (open_.empty() && body.starts_with("xpacket") && body.find("end=") != kNone) {
      scan_.padding_end = begin;
      scan_.padding_start = begin;
      while (scan_.padding_start > 0 && is_space(text_[scan_.padding_start - 1])) --scan_.padding_start;
    }
    pos_ = end + 2;
  }

  std::vector<Attribute> attributes(std::string_view qname, bool& empty) {
    std::vector<Attribute> list;
    for (;;) {
      const std::size_t space_start = pos_;
      skip_space();
      if (pos_ >= text_.size()) malformed("tag <" + std::string(qname) + "> is not closed");
      if (text_[pos_] == '>') {
        ++pos_;
        return list;
      }
      if (starts("/>")) {
        pos_ += 2;
        empty = true;
        return list;
      }
      if (pos_ == space_start) malformed("white space expected before an attribute at offset " + std::to_string(pos_));
      Attribute attribute;
      attribute.start = space_start;
      attribute.name = name();
      skip_space();
      expect('=');
      skip_space();
      if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\''))
        malformed("attribute value without quotes at offset " + std::to_string(pos_));
      attribute.quote = text_[pos_++];
      attribute.value_start = pos_;
      attribute.value_end = find_end(std::string_view(&attribute.quote, 1), "attribute value");
      if (raw(attribute).find('<') != kNone) malformed("'<' in an attribute value");
      pos_ = attribute.value_end + 1;
      list.push_back(attribute);
    }
  }

  std::string_view raw(const Attribute& attribute) const {
    return text_.substr(attribute.value_start, attribute.value_end - attribute.value_start);
  }

  void start_tag() {
    const std::size_t tag_start = pos_++;
    const std::string_view qname = name();
    bool empty = false;
    const std::vector<Attribute> list = attributes(qname, empty);
    const std::size_t tag_end = pos_;
    open_.push_back({qname, declare(list)});
    const auto [uri, local] = resolve(qname, false);

    if (!capture_ && uri == kTc260Namespace && local == "AIGC") {
      Property property;
      property.start = tag_start;
      property.simple = std::all_of(list.begin(), list.end(), [](const Attribute& a) {
        return is_namespace_declaration(a.name) || a.name == "xml:lang";
      });
      if (empty) {
        property.end = property.value_end = tag_end;
        property.value_start = tag_end - 2;
        property.empty_qname = qname;
        scan_.properties.push_back(std::move(property));
      } else {
        property.value_start = tag_end;
        capture_ = std::move(property);
        capture_depth_ = open_.size();
      }
    } else if (capture_) {
      capture_->simple = false;  // a child element: the value is a structure
    } else {
      for (const Attribute& attribute : list) {
        if (is_namespace_declaration(attribute.name)) continue;
        const auto [attribute_uri, attribute_local] = resolve(attribute.name, true);
        if (attribute_uri != kTc260Namespace || attribute_local != "AIGC") continue;
        Property property;
        property.start = attribute.start;
        property.end = attribute.value_end + 1;
        property.value_start = attribute.value_start;
        property.value_end = attribute.value_end;
        property.quote = attribute.quote;
        property.value = trim(decode(raw(attribute)));
        scan_.properties.push_back(std::move(property));
      }
      if (!scan_.rdf_insert && rdf_depth_ == 0 && uri == kRdfNamespace && local == "RDF") {
        scan_.rdf_qname = qname;
        if (empty) {
          scan_.rdf_insert = tag_end - 2;
          scan_.rdf_empty = true;
        } else {
          rdf_depth_ = open_.size();
        }
      }
    }
    if (empty) close_element(tag_end, tag_end);
  }

  void end_tag() {
    const std::size_t start = pos_;
    pos_ += 2;
    const std::string_view qname = name();
    skip_space();
    expect('>');
    if (open_.empty() || open_.back().qname != qname)
      malformed("end tag </" + std::string(qname) + "> does not match its start tag");
    close_element(start, pos_);
  }

  void close_element(std::size_t end_tag_start, std::size_t end_tag_end) {
    if (capture_ && open_.size() == capture_depth_) {
      capture_->value_end = end_tag_start;
      capture_->end = end_tag_end;
      capture_->value = trim(capture_->value);
      scan_.properties.push_back(std::move(*capture_));
      capture_.reset();
    }
    if (rdf_depth_ == open_.size()) {
      scan_.rdf_insert = end_tag_start;
      rdf_depth_ = 0;
    }
    for (std::size_t i = 0; i < open_.back().declared; ++i) {
      const auto binding = bindings_.find(declared_.back());
      binding->second.pop_back();
      if (binding->second.empty()) bindings_.erase(binding);
      declared_.pop_back();
    }
    open_.pop_back();
  }

  std::size_t declare(const std::vector<Attribute>& list) {
    std::size_t count = 0;
    for (const Attribute& attribute : list) {
      if (!is_namespace_declaration(attribute.name)) continue;
      const std::string_view prefix = attribute.name == "xmlns" ? std::string_view{} : attribute.name.substr(6);
      bindings_[std::string(prefix)].push_back(decode(raw(attribute)));
      declared_.push_back(prefix);
      ++count;
    }
    return count;
  }

  // {namespace, local name}; an unbound prefix (which XMP forbids, but some writers emit) and an unprefixed
  // attribute have no namespace.
  std::pair<std::string_view, std::string_view> resolve(std::string_view qname, bool attribute) const {
    const std::size_t colon = qname.find(':');
    if (colon == kNone && attribute) return {{}, qname};
    const std::string_view prefix = colon == kNone ? std::string_view{} : qname.substr(0, colon);
    const std::string_view local = colon == kNone ? qname : qname.substr(colon + 1);
    if (prefix == "xml") return {kXmlNamespace, local};
    const auto binding = bindings_.find(prefix);
    if (binding == bindings_.end()) return {{}, local};
    return {binding->second.back(), local};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Scan scan_;
  std::vector<Open> open_;
  std::map<std::string, std::vector<std::string>, std::less<>> bindings_;  // prefix -> URIs, innermost last
  std::vector<std::string_view> declared_;                                 // prefixes, in declaration order
  std::optional<Property> capture_;                                        // the element-form property being read
  std::size_t capture_depth_ = 0;
  std::size_t rdf_depth_ = 0;  // depth of the open first rdf:RDF, 0 when none is open
};

struct Edit {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string text;
};

// <rdf:Description rdf:about="" xmlns:TC260="..."><TC260:AIGC>value</TC260:AIGC></rdf:Description>, with the
// prefix the rdf:RDF element uses (declared again when it uses the default namespace).
std::string new_description(const Scan& scan, std::string_view value) {
  const std::size_t colon = scan.rdf_qname.find(':');
  const std::string rdf = colon == kNone ? "rdf" : scan.rdf_qname.substr(0, colon);
  std::string out = "<" + rdf + ":Description ";
  if (colon == kNone) out += "xmlns:rdf=\"" + std::string(kRdfNamespace) + "\" ";
  out += rdf + ":about=\"\" xmlns:TC260=\"" + std::string(kTc260Namespace) + "\"><TC260:AIGC>" + escape(value, 0) +
         "</TC260:AIGC></" + rdf + ":Description>";
  if (scan.rdf_empty) out = ">" + out + "</" + scan.rdf_qname + ">";
  return out;
}

std::string apply(std::string_view packet, std::vector<Edit> edits, const Scan& scan) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.start != b.start ? a.start < b.start : a.end < b.end; });
  // Growth eats into the padding, as the XMP specification intends padding to be used.
  std::ptrdiff_t growth = 0;
  for (const Edit& edit : edits)
    growth += static_cast<std::ptrdiff_t>(edit.text.size()) - static_cast<std::ptrdiff_t>(edit.end - edit.start);
  const std::size_t padding = scan.padding_end - scan.padding_start;
  if (growth > 0 && padding > 0 && edits.back().end <= scan.padding_start)
    edits.push_back({scan.padding_start, scan.padding_start + std::min(padding, static_cast<std::size_t>(growth)), {}});

  std::string out;
  out.reserve(packet.size() + static_cast<std::size_t>(std::max<std::ptrdiff_t>(growth, 0)));
  std::size_t copied = 0;
  for (const Edit& edit : edits) {
    if (edit.start < copied) fail(Errc::internal, "xmp: overlapping edits");
    out.append(packet.substr(copied, edit.start - copied));
    out += edit.text;
    copied = edit.end;
  }
  out.append(packet.substr(copied));
  return out;
}

}  // namespace

std::vector<std::string> xmp_aigc_values(std::string_view packet) {
  std::vector<std::string> values;
  for (Property& property : Scanner(packet).run().properties) values.push_back(std::move(property.value));
  return values;
}

std::string xmp_set_aigc(std::string_view packet, std::optional<std::string_view> value) {
  const Scan scan = Scanner(packet).run();
  if (value && !scan.rdf_insert && scan.properties.empty()) return xmp_new_packet(*value);
  const auto kept = value ? std::find_if(scan.properties.begin(), scan.properties.end(),
                                         [](const Property& property) { return property.simple; })
                          : scan.properties.end();
  std::vector<Edit> edits;
  for (auto property = scan.properties.begin(); property != scan.properties.end(); ++property) {
    if (property != kept) {
      edits.push_back({property->start, property->end, {}});
    } else if (!property->empty_qname.empty()) {
      edits.push_back(
          {property->value_start, property->value_end, ">" + escape(*value, 0) + "</" + property->empty_qname + ">"});
    } else {
      edits.push_back({property->value_start, property->value_end, escape(*value, property->quote)});
    }
  }
  if (value && kept == scan.properties.end()) {
    if (!scan.rdf_insert) malformed("no rdf:RDF element to add the AIGC property to");
    edits.push_back({*scan.rdf_insert, *scan.rdf_insert + (scan.rdf_empty ? 2 : 0), new_description(scan, *value)});
  }
  if (edits.empty()) return std::string(packet);
  return apply(packet, std::move(edits), scan);
}

std::string xmp_new_packet(std::string_view value) {
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
         " <rdf:RDF xmlns:rdf=\"" +
         std::string(kRdfNamespace) +
         "\">\n"
         "  <rdf:Description rdf:about=\"\" xmlns:TC260=\"" +
         std::string(kTc260Namespace) +
         "\">\n"
         "   <TC260:AIGC>" +
         escape(value, 0) +
         "</TC260:AIGC>\n"
         "  </rdf:Description>\n"
         " </rdf:RDF>\n"
         "</x:xmpmeta>\n"
         "<?xpacket end=\"w\"?>";
}

}  // namespace provmark::labels
