// SPDX-License-Identifier: Apache-2.0
// Decoding is nlohmann's CBOR parser (the part hostile bytes reach), driven through its SAX interface so that
// depth and duplicate keys can be checked while parsing. That uses two nlohmann::detail classes
// (binary_reader, json_sax_dom_parser): json::sax_parse offers no tag handler and json::from_cbor no depth
// limit. Both are stable in Debian 12's 3.11.2, the version we build against.
//
// Reading in place (Document, Item) is written here too: nlohmann offers only a DOM or SAX events, and building the
// DOM of a claim and its assertions costs more than the rest of reading them. The direct reader takes only plain
// CBOR that nlohmann reads the same way; everything else still goes through nlohmann.
//
// Encoding is written here. nlohmann's to_cbor is shortest-form for integers and lengths, but it orders map
// keys by std::map (by string: "alg" < "b"), whereas RFC 8949 §4.2.1 orders them by encoded bytes, so a
// shorter key always comes first ("b" < "alg"); and it writes 1.5 as a float32 where the deterministic form is
// float16. Fixing both around nlohmann's output would take more code than the encoder below.
#include "c2pa/cbor.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "core/fail.hpp"

namespace provmark::c2pa::cbor {

void write_head(std::vector<std::uint8_t>& out, std::uint8_t major, std::uint64_t value) {
  const auto type = static_cast<std::uint8_t>(major << 5);
  int bytes = 0;
  if (value < 24) {
    out.push_back(static_cast<std::uint8_t>(type | value));
    return;
  }
  if (value <= 0xFF) {
    out.push_back(type | 24);
    bytes = 1;
  } else if (value <= 0xFFFF) {
    out.push_back(type | 25);
    bytes = 2;
  } else if (value <= 0xFFFFFFFF) {
    out.push_back(type | 26);
    bytes = 4;
  } else {
    out.push_back(type | 27);
    bytes = 8;
  }
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

namespace {

using nlohmann::json;


// The IEEE half-precision bits of `v` if it is exactly representable (finite v only).
std::optional<std::uint16_t> exact_half(double v) {
  const std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  if (a == 0) return sign;
  int e = 0;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  const int exponent = e - 1;          // a = 1.f * 2^exponent
  if (exponent >= -14 && exponent <= 15) {
    const double significand = std::ldexp(m, 11);  // 11 significant bits: [1024, 2048)
    if (significand != std::floor(significand)) return std::nullopt;
    return static_cast<std::uint16_t>(sign | (exponent + 15) << 10 | (static_cast<int>(significand) - 1024));
  }
  if (exponent >= -24 && exponent < -14) {  // subnormal: a = k * 2^-24
    const double k = std::ldexp(a, 24);
    if (k != std::floor(k)) return std::nullopt;
    return static_cast<std::uint16_t>(sign | static_cast<int>(k));
  }
  return std::nullopt;
}

void put_float(std::vector<std::uint8_t>& out, double v) {
  auto put_bits = [&out](std::uint8_t initial, std::uint64_t bits, int bytes) {
    out.push_back(initial);
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  };
  if (std::isnan(v)) return put_bits(0xF9, 0x7E00, 2);  // the one NaN of RFC 8949 §4.2.2
  if (std::isinf(v)) return put_bits(0xF9, v > 0 ? 0x7C00 : 0xFC00, 2);
  if (const auto half = exact_half(v)) return put_bits(0xF9, *half, 2);
  if (std::fabs(v) <= FLT_MAX && static_cast<double>(static_cast<float>(v)) == v) {
    std::uint32_t bits = 0;
    const float f = static_cast<float>(v);
    std::memcpy(&bits, &f, sizeof bits);
    return put_bits(0xFA, bits, 4);
  }
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  put_bits(0xFB, bits, 8);
}

void encode(const json& value, std::vector<std::uint8_t>& out, int depth) {
  switch (value.type()) {
    case json::value_t::null: out.push_back(0xF6); return;
    case json::value_t::boolean: out.push_back(value.get<bool>() ? 0xF5 : 0xF4); return;
    case json::value_t::number_unsigned: write_head(out, 0, value.get<std::uint64_t>()); return;
    case json::value_t::number_integer: {
      const auto v = value.get<std::int64_t>();
      if (v >= 0) {
        write_head(out, 0, static_cast<std::uint64_t>(v));
      } else {
        write_head(out, 1, static_cast<std::uint64_t>(-1 - v));
      }
      return;
    }
    case json::value_t::number_float: put_float(out, value.get<double>()); return;
    case json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      write_head(out, 3, s.size());
      out.insert(out.end(), s.begin(), s.end());
      return;
    }
    case json::value_t::binary: {
      const auto& b = value.get_binary();
      if (b.has_subtype()) write_head(out, 6, b.subtype());
      write_head(out, 2, b.size());
      out.insert(out.end(), b.begin(), b.end());
      return;
    }
    case json::value_t::array:
      if (depth >= max_depth) fail(Errc::invalid_argument, "cbor: value nested deeper than 64 levels");
      write_head(out, 4, value.size());
      for (const auto& item : value) encode(item, out, depth + 1);
      return;
    case json::value_t::object: {
      if (depth >= max_depth) fail(Errc::invalid_argument, "cbor: value nested deeper than 64 levels");
      // Every key is a text string, whose head grows with its length: ordering the encodings bytewise is
      // ordering by length, then by the UTF-8 bytes (std::string compares chars as unsigned).
      std::vector<std::pair<const std::string*, const json*>> entries;
      entries.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) entries.emplace_back(&it.key(), &it.value());
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.first->size() != b.first->size() ? a.first->size() < b.first->size() : *a.first < *b.first;
      });
      write_head(out, 5, entries.size());
      for (const auto& [key, item] : entries) {
        write_head(out, 3, key->size());
        out.insert(out.end(), key->begin(), key->end());
        encode(*item, out, depth + 1);
      }
      return;
    }
    case json::value_t::discarded: break;
  }
  fail(Errc::invalid_argument, "cbor: cannot encode a discarded value");
}

// The keys of one map being read. C2PA maps have a handful of keys: a linear search over them beats a std::set's
// allocations; a hostile map with many keys moves to the set, so the check stays O(n log n).
class KeySet {
 public:
  bool insert(const std::string& key) {
    if (large_.empty() && small_.size() < small_limit) {
      if (std::find(small_.begin(), small_.end(), key) != small_.end()) return false;
      small_.push_back(key);
      return true;
    }
    if (large_.empty()) large_.insert(small_.begin(), small_.end());
    return large_.insert(key).second;
  }

 private:
  static constexpr std::size_t small_limit = 16;
  std::vector<std::string> small_;
  std::set<std::string> large_;
};

// nlohmann's DOM builder plus the checks C2PA needs while the input is read.
class CheckedSax {
 public:
  explicit CheckedSax(json& root) : dom_(root, false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  // nlohmann reports major type 0 as unsigned and wraps major-type-1 values below -2^63 to v >= 0.
  bool number_integer(json::number_integer_t v) {
    return v < 0 ? dom_.number_integer(v) : stop("negative integer below -2^63");
  }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) {
    if (!enter()) return false;
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    if (!keys_.back().insert(k)) return stop("duplicate map key '" + k + "'");
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return enter() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) { return stop(e.what()); }

  const std::string& error() const { return error_; }

 private:
  bool enter() { return ++depth_ <= max_depth || stop("nested deeper than 64 levels"); }
  bool stop(std::string why) {
    error_ = std::move(why);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<KeySet> keys_;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

std::vector<std::uint8_t> to_cbor(const json& value) {
  std::vector<std::uint8_t> out;
  encode(value, out, 0);
  return out;
}

std::vector<std::uint8_t> to_cbor_tagged(std::uint64_t tag, const json& value) {
  std::vector<std::uint8_t> out;
  write_head(out, 6, tag);
  encode(value, out, 0);
  return out;
}

json from_cbor(std::span<const std::uint8_t> bytes, json::cbor_tag_handler_t tags) {
  json result;
  CheckedSax sax(result);
  bool ok = false;
  try {
    auto input = nlohmann::detail::input_adapter(bytes.data(), bytes.data() + bytes.size());
    nlohmann::detail::binary_reader<json, decltype(input), CheckedSax> reader(std::move(input),
                                                                              nlohmann::detail::input_format_t::cbor);
    ok = reader.sax_parse(nlohmann::detail::input_format_t::cbor, &sax, true, tags);
  } catch (const json::exception& e) {  // e.g. a container length beyond max_size()
    fail(Errc::malformed_input, std::string("cbor: ") + e.what());
  }
  if (!ok) fail(Errc::malformed_input, "cbor: " + (sax.error().empty() ? std::string("invalid input") : sax.error()));
  return result;
}

Tagged from_cbor_tagged(std::span<const std::uint8_t> bytes, json::cbor_tag_handler_t tags) {
  if (bytes.empty() || bytes[0] >> 5 != 6) return {std::nullopt, from_cbor(bytes, tags)};
  const unsigned info = bytes[0] & 0x1Fu;
  std::size_t length = 0;  // bytes of the tag number after the initial byte
  if (info >= 24 && info <= 27) {
    length = std::size_t{1} << (info - 24);
  } else if (info > 27) {
    fail(Errc::malformed_input, "cbor: reserved tag encoding");
  }
  if (bytes.size() < 1 + length) fail(Errc::malformed_input, "cbor: truncated tag");
  std::uint64_t tag = info < 24 ? info : 0;
  for (std::size_t i = 1; i <= length; ++i) tag = tag << 8 | bytes[i];
  return {tag, from_cbor(bytes.subspan(1 + length), tags)};
}

namespace {

using Span = std::span<const std::uint8_t>;

struct Head {
  int major = 0;
  int info = 0;  // the low 5 bits of the initial byte
  std::uint64_t argument = 0;
  std::size_t size = 0;  // bytes of the head
};

// The head at `pos`; nullopt when truncated, indefinite or reserved.
std::optional<Head> read_head(Span bytes, std::size_t pos) {
  if (pos >= bytes.size()) return std::nullopt;
  const int info = bytes[pos] & 31;
  Head head{bytes[pos] >> 5, info, static_cast<std::uint64_t>(info), 1};
  if (info < 24) return head;
  if (info > 27) return std::nullopt;
  const std::size_t length = std::size_t{1} << (info - 24);
  if (bytes.size() - pos - 1 < length) return std::nullopt;
  head.argument = 0;
  for (std::size_t i = 1; i <= length; ++i) head.argument = head.argument << 8 | bytes[pos + i];
  head.size = 1 + length;
  return head;
}

// True when `bytes` is one item that nlohmann's reader, with from_cbor's checks, accepts and reads as written:
// definite lengths, no tags, text keys without duplicates, nesting within max_depth, integers within int64 when
// negative, only false/true/null/floats as simple values. Linear in the input (maps over 16 keys are sorted).
class PlainCbor {
 public:
  explicit PlainCbor(Span bytes) : bytes_(bytes) {}

  bool one_item() { return item(0) && pos_ == bytes_.size(); }

 private:
  bool item(int depth) {
    const auto head = read_head(bytes_, pos_);
    if (!head) return false;
    pos_ += head->size;
    switch (head->major) {
      case 0:
        return true;
      case 1:
        return head->argument <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      case 2:
      case 3:
        return skip(head->argument);
      case 4:
        if (depth >= max_depth || head->argument > remaining()) return false;
        for (std::uint64_t i = 0; i < head->argument; ++i)
          if (!item(depth + 1)) return false;
        return true;
      case 5:
        return map(head->argument, depth);
      case 7:
        return (head->info >= 20 && head->info <= 22) || (head->info >= 25 && head->info <= 27);
      default:
        return false;  // tags
    }
  }

  bool map(std::uint64_t count, int depth) {
    if (depth >= max_depth || count > remaining() / 2) return false;
    constexpr std::uint64_t small_map = 16;
    const std::size_t first = keys_.size();
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto head = read_head(bytes_, pos_);
      if (!head || head->major != 3) return false;
      pos_ += head->size;
      const std::size_t start = pos_;
      if (!skip(head->argument)) return false;
      const std::string_view key(reinterpret_cast<const char*>(bytes_.data() + start), pos_ - start);
      if (count <= small_map &&
          std::find(keys_.begin() + static_cast<std::ptrdiff_t>(first), keys_.end(), key) != keys_.end())
        return false;
      keys_.push_back(key);
      if (!item(depth + 1)) return false;
    }
    const auto begin = keys_.begin() + static_cast<std::ptrdiff_t>(first);
    if (count > small_map) {
      std::sort(begin, keys_.end());
      if (std::adjacent_find(begin, keys_.end()) != keys_.end()) return false;
    }
    keys_.erase(begin, keys_.end());
    return true;
  }

  std::size_t remaining() const { return bytes_.size() - pos_; }

  bool skip(std::uint64_t n) {
    if (n > remaining()) return false;
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

  Span bytes_;
  std::size_t pos_ = 0;
  std::vector<std::string_view> keys_;  // of the maps being read, innermost last
};

// One past the item at `pos` of bytes PlainCbor accepted (so every read is in bounds, nesting within max_depth).
std::size_t item_end(Span bytes, std::size_t pos) {
  const auto head = read_head(bytes, pos);
  if (!head) fail(Errc::internal, "cbor: reading unchecked bytes");
  pos += head->size;
  switch (head->major) {
    case 2:
    case 3:
      return pos + static_cast<std::size_t>(head->argument);
    case 4:
      for (std::uint64_t i = 0; i < head->argument; ++i) pos = item_end(bytes, pos);
      return pos;
    case 5:
      for (std::uint64_t i = 0; i < 2 * head->argument; ++i) pos = item_end(bytes, pos);
      return pos;
    default:
      return pos;
  }
}

}  // namespace

Item Item::at(Span bytes, std::size_t pos) {
  static constexpr Type types[] = {Type::unsigned_int, Type::negative_int, Type::bytes, Type::text,
                                   Type::array,        Type::map,          Type::other, Type::other};
  const auto head = read_head(bytes, pos);
  if (!head) fail(Errc::internal, "cbor: reading unchecked bytes");
  Item item;
  item.encoded_ = bytes.subspan(pos, item_end(bytes, pos) - pos);
  item.head_size_ = head->size;
  item.type_ = types[head->major];
  item.argument_ = head->argument;
  return item;
}

std::string_view Item::text() const noexcept {
  if (type_ != Type::text) return {};
  return {reinterpret_cast<const char*>(encoded_.data() + head_size_), encoded_.size() - head_size_};
}

std::span<const std::uint8_t> Item::bytes() const noexcept {
  return type_ == Type::bytes ? encoded_.subspan(head_size_) : Span{};
}

std::optional<Item> Item::find(std::string_view key) const {
  if (type_ != Type::map) return std::nullopt;
  std::size_t pos = head_size_;
  for (std::uint64_t i = 0; i < argument_; ++i) {
    const Item name = at(encoded_, pos);
    const Item value = at(encoded_, pos + name.encoded_.size());
    if (name.text() == key) return value;
    pos += name.encoded_.size() + value.encoded_.size();
  }
  return std::nullopt;
}

std::vector<Item> Item::elements() const {
  std::vector<Item> out;
  if (type_ != Type::array) return out;
  out.reserve(static_cast<std::size_t>(argument_));
  std::size_t pos = head_size_;
  for (std::uint64_t i = 0; i < argument_; ++i) {
    out.push_back(at(encoded_, pos));
    pos += out.back().encoded_.size();
  }
  return out;
}

Document::Document(std::span<const std::uint8_t> bytes) {
  if (!PlainCbor(bytes).one_item()) {
    // nlohmann judges it (and names the fault); what it accepts is re-encoded into plain CBOR.
    normalized_ = to_cbor(from_cbor(bytes, json::cbor_tag_handler_t::ignore));
    if (!PlainCbor(normalized_).one_item()) fail(Errc::internal, "cbor: re-encoded value is not plain CBOR");
    bytes = normalized_;
  }
  root_ = Item::at(bytes, 0);
}

}  // namespace provmark::c2pa::cbor
