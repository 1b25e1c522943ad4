// SPDX-License-Identifier: Apache-2.0
// JUMBF boxes are a few lines of big-endian framing; no maintained C++ library reads them with the
// c2pa-rs rules (brief §2.1), so the reader and writer are written here, bounds-checked at every read.
#include "c2pa/jumbf.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "core/fail.hpp"

namespace provmark::c2pa::jumbf {
namespace {

constexpr std::size_t header_size = 8;
constexpr std::size_t min_salt = 16;
constexpr std::uint8_t required_toggles = toggle::requestable | toggle::label;
constexpr std::uint8_t reserved_toggles = 0xE0;

// ---- writing ----

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Starts a box whose LBox is patched by end_box once its content is written.
std::size_t begin_box(std::vector<std::uint8_t>& out, const FourCC& type) {
  const std::size_t start = out.size();
  put_u32(out, 0);
  out.insert(out.end(), type.begin(), type.end());
  return start;
}

void end_box(std::vector<std::uint8_t>& out, std::size_t start) {
  const std::size_t size = out.size() - start;
  if (size > std::numeric_limits<std::uint32_t>::max())
    fail(Errc::limit_exceeded, "jumbf: a box of " + std::to_string(size) + " bytes does not fit a 32-bit LBox");
  for (int i = 0; i < 4; ++i) out[start + i] = static_cast<std::uint8_t>(size >> (24 - 8 * i));
}

void write_superbox(const Superbox& box, std::vector<std::uint8_t>& out, int depth) {
  if (depth > max_depth) fail(Errc::invalid_argument, "jumbf: superboxes nested deeper than 32 levels");
  if (!is_valid_label(box.label)) fail(Errc::invalid_argument, "jumbf: invalid label '" + box.label + "'");
  if (box.salt && box.salt->size() < min_salt)
    fail(Errc::invalid_argument, "jumbf: salt of '" + box.label + "' is shorter than 16 bytes");
  const std::size_t start = begin_box(out, box_type::superbox);

  const std::size_t jumd = begin_box(out, box_type::description);
  out.insert(out.end(), box.type.begin(), box.type.end());
  out.push_back(static_cast<std::uint8_t>(required_toggles | (box.id ? toggle::id : 0) |
                                          (box.signature ? toggle::signature : 0) |
                                          (box.salt ? toggle::private_box : 0)));
  out.insert(out.end(), box.label.begin(), box.label.end());
  out.push_back(0);
  if (box.id) put_u32(out, *box.id);
  if (box.signature) out.insert(out.end(), box.signature->begin(), box.signature->end());
  if (box.salt) {
    const std::size_t salt = begin_box(out, box_type::salt);
    out.insert(out.end(), box.salt->begin(), box.salt->end());
    end_box(out, salt);
  }
  end_box(out, jumd);

  for (const auto& child : box.children) {
    if (const auto* sub = std::get_if<Superbox>(&child)) {
      write_superbox(*sub, out, depth + 1);
      continue;
    }
    const auto& content = std::get<ContentBox>(child);
    if (content.type == box_type::superbox || content.type == box_type::description)
      fail(Errc::invalid_argument, "jumbf: a content box of '" + box.label + "' may not be typed jumb or jumd");
    const std::size_t at = begin_box(out, content.type);
    out.insert(out.end(), content.data.begin(), content.data.end());
    end_box(out, at);
  }
  end_box(out, start);
}

// ---- reading ----

std::string type_name(const FourCC& type) {
  std::string name;
  for (const char c : type) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      name += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      name += hex;
    }
  }
  return name;
}

struct BoxHeader {
  FourCC type{};
  std::size_t start = 0;  // offset of LBox
  std::size_t body = 0;   // offset of the payload
  std::size_t end = 0;    // one past the box
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  ParsedSuperbox superbox(std::size_t pos, std::size_t parent_end, int depth) {
    const BoxHeader h = header(pos, parent_end);
    if (h.type != box_type::superbox)
      bad("expected a jumb superbox, found '" + type_name(h.type) + "'", pos);
    if (depth > max_depth) bad("superbox nested deeper than 32 levels", pos);
    ParsedSuperbox box;
    box.box = bytes_.subspan(h.start, h.end - h.start);
    box.payload = bytes_.subspan(h.body, h.end - h.body);
    std::size_t at = description(box, h.body, h.end);
    while (at < h.end) {
      const BoxHeader child = header(at, h.end);
      if (child.type == box_type::superbox) {
        box.children.emplace_back(superbox(at, h.end, depth + 1));
      } else if (child.type == box_type::description) {
        bad("second jumd in superbox '" + box.label + "'", at);
      } else {
        box.children.emplace_back(ParsedContentBox{child.type, bytes_.subspan(child.start, child.end - child.start),
                                                   bytes_.subspan(child.body, child.end - child.body)});
      }
      at = child.end;
    }
    return box;
  }

 private:
  [[noreturn]] static void bad(const std::string& what, std::size_t offset) {
    fail(Errc::malformed_input, "jumbf: " + what + " at offset " + std::to_string(offset));
  }

  std::uint32_t u32(std::size_t pos) const {
    return static_cast<std::uint32_t>(bytes_[pos]) << 24 | static_cast<std::uint32_t>(bytes_[pos + 1]) << 16 |
           static_cast<std::uint32_t>(bytes_[pos + 2]) << 8 | bytes_[pos + 3];
  }

  BoxHeader header(std::size_t pos, std::size_t parent_end) {
    if (parent_end - pos < header_size) bad("truncated box header", pos);
    if (++boxes_ > max_boxes)
      fail(Errc::limit_exceeded, "jumbf: more than " + std::to_string(max_boxes) + " boxes");
    BoxHeader h;
    h.start = pos;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(pos + 4), 4, h.type.begin());
    const std::size_t room = parent_end - pos;
    const std::uint32_t lbox = u32(pos);
    std::uint64_t size = lbox;
    h.body = pos + header_size;
    if (lbox == 1) {  // XLBox: a 64-bit size follows the type
      if (room < 2 * header_size) bad("truncated XLBox of box '" + type_name(h.type) + "'", pos);
      size = std::uint64_t{u32(pos + 8)} << 32 | u32(pos + 12);
      h.body = pos + 2 * header_size;
      if (size < 2 * header_size) bad("XLBox of box '" + type_name(h.type) + "' smaller than its header", pos);
    } else if (lbox == 0) {  // the box runs to the end of its parent
      size = room;
    } else if (lbox < header_size) {
      bad("LBox " + std::to_string(lbox) + " of box '" + type_name(h.type) + "' smaller than its header", pos);
    }
    if (size > room)
      bad("box '" + type_name(h.type) + "' of " + std::to_string(size) + " bytes overruns its parent (" +
              std::to_string(room) + " bytes left)",
          pos);
    h.end = pos + static_cast<std::size_t>(size);
    return h;
  }

  // Reads the jumd at `pos` into `box`; returns the offset after it.
  std::size_t description(ParsedSuperbox& box, std::size_t pos, std::size_t parent_end) {
    if (pos == parent_end) bad("superbox without a jumd", pos);
    const BoxHeader h = header(pos, parent_end);
    if (h.type != box_type::description) bad("superbox starts with '" + type_name(h.type) + "', not jumd", pos);
    // 16-byte UUID, toggles, at least a one-character label and its NUL (c2pa-rs: 26 bytes with the header).
    if (h.end - h.body < box.type.size() + 3) bad("jumd too short", pos);
    std::size_t at = h.body;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at), box.type.size(), box.type.begin());
    at += box.type.size();
    box.toggles = bytes_[at++];
    if ((box.toggles & required_toggles) != required_toggles)
      bad("jumd toggles 0x" + hex(box.toggles) + " lack requestable+label (C2PA requires 0x03)", pos);
    if (box.toggles & reserved_toggles) bad("jumd toggles 0x" + hex(box.toggles) + " set reserved bits", pos);

    const auto first = bytes_.begin() + static_cast<std::ptrdiff_t>(at);
    const auto last = bytes_.begin() + static_cast<std::ptrdiff_t>(h.end);
    const auto nul = std::find(first, last, std::uint8_t{0});
    if (nul == last) bad("jumd label not NUL-terminated", pos);
    box.label.assign(first, nul);
    if (!is_valid_label(box.label)) bad("jumd label is empty or has forbidden characters", pos);
    at += box.label.size() + 1;

    if (box.toggles & toggle::id) {
      if (h.end - at < 4) bad("jumd of '" + box.label + "' truncated in its ID", pos);
      box.id = u32(at);
      at += 4;
    }
    if (box.toggles & toggle::signature) {
      std::array<std::uint8_t, 32> signature{};
      if (h.end - at < signature.size()) bad("jumd of '" + box.label + "' truncated in its signature", pos);
      std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at), signature.size(), signature.begin());
      box.signature = signature;
      at += signature.size();
    }
    if (box.toggles & toggle::private_box) {
      const BoxHeader salt = header(at, h.end);
      if (salt.type != box_type::salt) bad("jumd private box '" + type_name(salt.type) + "' is not c2sh", at);
      if (salt.end - salt.body < min_salt) bad("salt of '" + box.label + "' shorter than 16 bytes", at);
      box.salt = bytes_.subspan(salt.body, salt.end - salt.body);
      at = salt.end;
    }
    if (at != h.end) bad("jumd of '" + box.label + "' has " + std::to_string(h.end - at) + " stray bytes", pos);
    return h.end;
  }

  static std::string hex(std::uint8_t v) {
    char s[3];
    std::snprintf(s, sizeof s, "%02X", v);
    return s;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t boxes_ = 0;
};

}  // namespace

std::vector<std::uint8_t> serialize(const Superbox& box) {
  std::vector<std::uint8_t> out;
  write_superbox(box, out, 1);
  return out;
}

std::vector<std::uint8_t> payload_of(const Superbox& box) {
  std::vector<std::uint8_t> bytes = serialize(box);
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header_size));
  return bytes;
}

bool is_valid_label(std::string_view label) noexcept {
  if (label.empty()) return false;
  std::size_t i = 0;
  while (i < label.size()) {
    const auto lead = static_cast<unsigned char>(label[i]);
    std::uint32_t cp = 0;
    std::size_t extra = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      cp = lead & 0x1Fu;
      extra = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      cp = lead & 0x0Fu;
      extra = 2;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      cp = lead & 0x07u;
      extra = 3;
    } else {
      return false;
    }
    if (label.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cont = static_cast<unsigned char>(label[i + k]);
      if ((cont & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cont & 0x3Fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || cp == '/' || cp == ';' || cp == '?' || cp == '#') return false;
    i += extra + 1;
  }
  return true;
}

const ParsedSuperbox* ParsedSuperbox::find_child(std::string_view child_label) const {
  for (const auto& child : children)
    if (const auto* sub = std::get_if<ParsedSuperbox>(&child); sub && sub->label == child_label) return sub;
  return nullptr;
}

std::vector<const ParsedSuperbox*> ParsedSuperbox::superboxes() const {
  std::vector<const ParsedSuperbox*> out;
  for (const auto& child : children)
    if (const auto* sub = std::get_if<ParsedSuperbox>(&child)) out.push_back(sub);
  return out;
}

std::vector<const ParsedContentBox*> ParsedSuperbox::content_boxes() const {
  std::vector<const ParsedContentBox*> out;
  for (const auto& child : children)
    if (const auto* content = std::get_if<ParsedContentBox>(&child)) out.push_back(content);
  return out;
}

ParsedSuperbox parse_superbox(std::span<const std::uint8_t> bytes) {
  Reader reader(bytes);
  ParsedSuperbox box = reader.superbox(0, bytes.size(), 1);
  if (box.box.size() != bytes.size())
    fail(Errc::malformed_input, "jumbf: " + std::to_string(bytes.size() - box.box.size()) +
                                    " bytes after the superbox at offset " + std::to_string(box.box.size()));
  return box;
}

Superbox to_value(const ParsedSuperbox& parsed) {
  Superbox box;
  box.type = parsed.type;
  box.label = parsed.label;
  box.id = parsed.id;
  box.signature = parsed.signature;
  if (parsed.salt) box.salt.emplace(parsed.salt->begin(), parsed.salt->end());
  for (const auto& child : parsed.children) {
    if (const auto* sub = std::get_if<ParsedSuperbox>(&child)) {
      box.children.emplace_back(to_value(*sub));
    } else {
      const auto& content = std::get<ParsedContentBox>(child);
      box.children.emplace_back(ContentBox{content.type, {content.data.begin(), content.data.end()}});
    }
  }
  return box;
}

}  // namespace provmark::c2pa::jumbf
